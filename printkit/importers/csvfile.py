"""A spreadsheet saved as CSV: a header row naming the question and answer columns (and tags).

Any dialect Python's csv.Sniffer recognises works: commas, semicolons (European Excel), tabs or
pipes, with double quotes around texts that hold the separator, a quote or a line break.
"""

from __future__ import annotations

import csv
from pathlib import Path

from printkit.importers.base import Parsed, separator_name, source_error, split_tags

# Header names accepted for each column, lower case.
COLUMNS = {
    "question": ("question", "front", "term", "prompt"),
    "answer": ("answer", "back", "definition"),
    "tags": ("tags", "tag"),
}
DELIMITERS = ",;\t|"
_SAMPLE = 64 * 1024


def parse(text: str, path: Path, sep: str | None = None) -> Parsed:
    lines = text.splitlines(keepends=True)
    dialect = _dialect(text, sep)
    reader = csv.reader(lines, dialect)
    try:
        header = next(reader)
    except StopIteration:
        header = []
    columns = _columns(header, path, dialect.delimiter)
    needed = max(columns["question"], columns["answer"]) + 1
    parsed = Parsed()
    end = reader.line_num
    try:
        for row in reader:
            line, end = end + 1, reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) < needed:
                count = f"{len(row)} column" + ("s" if len(row) != 1 else "")
                raise source_error(
                    path,
                    line,
                    f"this row has only {count}, but the question and the answer need the first "
                    f"{needed}; separate the columns with {separator_name(dialect.delimiter)}",
                )
            tags = (
                row[columns["tags"]]
                if columns["tags"] is not None and columns["tags"] < len(row)
                else ""
            )
            parsed.add(
                path, line, row[columns["question"]], row[columns["answer"]], split_tags(tags)
            )
    except csv.Error as error:
        raise source_error(
            path, end + 1, f"this row cannot be read ({error}); check its quotes"
        ) from None
    return parsed


def _dialect(text: str, sep: str | None) -> type[csv.Dialect]:
    """Excel's CSV dialect with the separator given, sniffed, or read off the header row.

    Only the separator is taken from csv.Sniffer: it sometimes takes an apostrophe for the
    quote character, and every spreadsheet quotes with '"'.
    """
    delimiter = sep
    if not delimiter:
        sample = text[:_SAMPLE]
        first_line = sample.split("\n", 1)[0]
        try:
            delimiter = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
        except csv.Error:
            delimiter = ","
        if not _header_ok(first_line, delimiter):
            # The sniffer guesses from the whole sample; the header row tells for sure.
            delimiter = next((d for d in DELIMITERS if _header_ok(first_line, d)), delimiter)
    return type("Dialect", (csv.excel,), {"delimiter": delimiter})


def has_header(line: str) -> bool:
    """True when a first line names question and answer columns, with any separator."""
    return any(_header_ok(line, delimiter) for delimiter in DELIMITERS)


def _header_ok(line: str, delimiter: str) -> bool:
    names = {cell.strip().strip('"').lower() for cell in line.split(delimiter)}
    return all(names & set(COLUMNS[key]) for key in ("question", "answer"))


def _columns(header: list[str], path: Path, delimiter: str) -> dict[str, int | None]:
    names = [cell.strip().lower() for cell in header]
    found: dict[str, int | None] = {}
    for key, accepted in COLUMNS.items():
        found[key] = next((i for i, name in enumerate(names) if name in accepted), None)
    if found["question"] is None or found["answer"] is None:
        shown = ", ".join(repr(cell) for cell in header) or "nothing"
        raise source_error(
            path,
            1,
            f"the first row must name the columns, with 'question' and 'answer' among them (it holds {shown}, separated by {separator_name(delimiter)}); add such a header row",
        )
    return found
