"""A spreadsheet saved as CSV, read by the standard (RFC 4180) with Python's csv module:
commas, semicolons (European Excel), tabs or pipes between columns, spaces after them, double
quotes around texts that hold the separator, a quote or a line break.

The first row names the columns: a question column and an answer column (and tags), or any
names, with --columns naming the question's and the answer's (`--columns korean,english`, or
by number, `--columns 1,2`). Other columns are named in a warning.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from printkit.importers.base import (
    Importer,
    Options,
    Parsed,
    Source,
    separator_name,
    source_error,
    split_lines,
    split_tags,
)

# Header names accepted for each column, lower case.
COLUMNS = {
    "question": ("question", "front", "term", "prompt"),
    "answer": ("answer", "back", "definition"),
    "tags": ("tags", "tag"),
}
DELIMITERS = ",;\t|"
_SAMPLE_ROWS = 200


class CsvFile(Importer):
    name = "csv"
    summary = "a CSV file"

    def sniff(self, source: Source, options: Options) -> float:
        first = next((line for line in source.lines if line.strip()), "")
        if has_header(first):
            return 1.0
        delimiter, columns, share = table_shape(source.lines, options.sep)
        if columns < 2 or share < 0.9:
            return 0.0
        if options.columns:
            return 0.95
        if columns >= 3 and delimiter in ",;":  # Quizlet has two columns; notes have none
            return 0.9
        return 0.5 if delimiter == "\t" else 0.6

    def suggestion(self, source: Source, options: Options) -> str:
        return "--format csv --columns 1,2"

    def parse(self, source: Source, options: Options) -> list[Parsed]:
        return [parse(source.text, source.path, options.sep, options.columns)]


IMPORTER = CsvFile()


def table_shape(lines: list[str], sep: str | None = None) -> tuple[str, int, float]:
    """(delimiter, columns, share): the separator that splits the most rows into as many
    columns as one another (two or more), that number, and the share of rows that have it."""
    sample = [line + "\n" for line in lines[:_SAMPLE_ROWS] if line.strip()]
    best = (",", 0, 0.0)
    for delimiter in (sep,) if sep else DELIMITERS:
        try:
            rows = list(csv.reader(sample, _dialect(delimiter)))
        except csv.Error:
            continue
        counts = Counter(len(row) for row in rows if any(cell.strip() for cell in row))
        if not counts:
            continue
        columns, count = counts.most_common(1)[0]
        share = count / sum(counts.values())
        if columns >= 2 and (share, columns) > (best[2], best[1]):
            best = (delimiter, columns, share)
    return best


def parse(
    text: str, path: Path, sep: str | None = None, columns: tuple[str, str] | None = None
) -> Parsed:
    lines = split_lines(text, keepends=True)
    delimiter = sep or _delimiter(split_lines(text))
    reader = csv.reader(lines, _dialect(delimiter))
    parsed = Parsed()
    rows, end = [], 0
    try:
        for row in reader:
            line, end = end + 1, reader.line_num
            if any(cell.strip() for cell in row):
                rows.append((line, row))
    except csv.Error as error:
        raise source_error(
            path, end + 1, f"this row cannot be read ({error}); check its quotes"
        ) from None
    if not rows:
        return parsed
    header_line, header = rows[0]
    found, data = _columns(header, columns, path, header_line, delimiter, parsed)
    if data:  # with --columns by number, the first row was a card, not names
        rows = [rows[0], *rows]
    needed = max(found["question"], found["answer"]) + 1
    extra = [i for i in range(len(header)) if i not in found.values()]
    used_extra: set[int] = set()
    for line, row in rows[1:]:
        if len(row) < needed:
            count = f"{len(row)} column" + ("s" if len(row) != 1 else "")
            raise source_error(
                path,
                line,
                f"this row has only {count}, but the question and the answer need the first "
                f"{needed}; separate the columns with {separator_name(delimiter)}",
            )
        used_extra.update(i for i in extra if i < len(row) and row[i].strip())
        tags = row[found["tags"]] if found["tags"] is not None and found["tags"] < len(row) else ""
        parsed.add(path, line, row[found["question"]], row[found["answer"]], split_tags(tags))
    if used_extra and not data:
        names = ", ".join(repr(header[i].strip()) for i in sorted(used_extra))
        parsed.warnings.append(
            f"the column(s) {names} were not imported: a card has a question and an answer "
            "(choose others with --columns)"
        )
    return parsed


def _dialect(delimiter: str) -> type[csv.Dialect]:
    """Excel's CSV dialect (RFC 4180 quoting with '"'), with the separator, and spaces after
    the separator skipped so that '"a", "b, c"' is two columns."""
    return type("Dialect", (csv.excel,), {"delimiter": delimiter, "skipinitialspace": True})


def _delimiter(lines: list[str]) -> str:
    """The separator that the header row names columns with, else the one that shapes a table."""
    first = next((line for line in lines if line.strip()), "")
    return next((d for d in DELIMITERS if _header_ok(first, d)), None) or table_shape(lines)[0]


def has_header(line: str) -> bool:
    """True when a first line names question and answer columns, with any separator."""
    return any(_header_ok(line, delimiter) for delimiter in DELIMITERS)


def _header_ok(line: str, delimiter: str) -> bool:
    names = {cell.strip().strip('"').lower() for cell in line.split(delimiter)}
    return all(names & set(COLUMNS[key]) for key in ("question", "answer"))


def _columns(
    header: list[str],
    chosen: tuple[str, str] | None,
    path: Path,
    line: int,
    delimiter: str,
    parsed: Parsed,
) -> tuple[dict[str, int | None], bool]:
    """Each column's index, and whether the first row is data (--columns by number, and the
    first row does not look like names). A header naming no question or answer is refused."""
    names = [cell.strip().lower() for cell in header]
    found: dict[str, int | None] = {
        key: next((i for i, name in enumerate(names) if name in accepted), None)
        for key, accepted in COLUMNS.items()
    }
    shown = ", ".join(repr(cell.strip()) for cell in header) or "nothing"
    if chosen is None:
        if found["question"] is None or found["answer"] is None:
            raise source_error(
                path,
                line,
                f"the first row names the columns {shown} (separated by {separator_name(delimiter)}), "
                "but none of them is called question or answer (or front and back, term and "
                f"definition); say which to read with --columns {_example(header)}, or by number with --columns 1,2",
            )
        return found, False
    indexes = [_column_index(name, names, header, path, line) for name in chosen]
    data = all(name.isdigit() for name in chosen) and not _looks_like_names(header, found)
    if not data and chosen[0].isdigit():
        parsed.warnings.append(
            f"the first row ({shown}) was read as the columns' names, not as a card"
        )
    found["question"], found["answer"] = indexes
    if found["tags"] in indexes:
        found["tags"] = None
    return found, data


def _column_index(name: str, names: list[str], header: list[str], path: Path, line: int) -> int:
    if name.isdigit() and int(name) >= 1:
        return int(name) - 1
    if name.lower() in names:
        return names.index(name.lower())
    shown = ", ".join(repr(cell.strip()) for cell in header)
    raise source_error(
        path, line, f"--columns names '{name}', but the first row names the columns {shown}"
    )


def _looks_like_names(header: list[str], found: dict[str, int | None]) -> bool:
    """A first row of short, different words (no digits) is taken for the columns' names."""
    cells = [cell.strip() for cell in header]
    if found["question"] is not None or found["tags"] is not None:
        return True
    return (
        all(cells)
        and len(set(cells)) == len(cells)
        and all(len(cell) <= 30 and not any(ch.isdigit() for ch in cell) for cell in cells)
    )


def _example(header: list[str]) -> str:
    names = [cell.strip() for cell in header[:2]]
    if len(names) == 2 and all(name and "," not in name and " " not in name for name in names):
        return ",".join(name.lower() for name in names)
    return "1,2"
