"""Quizlet's export: one card per line, the term and the definition separated by a tab.

Quizlet lets the exporter choose another separator (given with --sep); without one, a tab,
'/////' (seen in real exports), '|', ';' and ',' are tried. A comma or a semicolon is never
sure (a definition holds them too), so printkit asks for --sep then. Quizlet writes a
definition that holds line breaks as it is, so a line without the separator continues the
definition above it.
"""

from __future__ import annotations

from pathlib import Path

from printkit.errors import PrintkitError, Problem
from printkit.importers import anki, csvfile
from printkit.importers.base import (
    Importer,
    Options,
    Parsed,
    Source,
    separator_name,
    source_error,
    split_lines,
)

# Tried in this order; the sure ones first. A separator is sure when it is on most lines.
CANDIDATES = ("\t", "/////", "|", ";", ",")
_SURE = ("\t", "/////", "|")
_SEP_NAMES = {"\t": "tab", ",": "comma", ";": "semicolon", "|": "'|'"}


class Quizlet(Importer):
    name = "quizlet"
    summary = "a Quizlet export"

    def sniff(self, source: Source, options: Options) -> float:
        rows = [line for line in source.lines if line.strip()][:300]
        if not rows or csvfile.has_header(rows[0]):
            return 0.0
        separator, share = best_separator(rows, options.sep)
        if separator is None:
            return 0.0
        if separator not in rows[0] and anki.OLD_TAGS.fullmatch(rows[0].strip()):
            return 0.3  # an old Anki export's "tags:" line
        if separator == "\t" and anki.looks_like_anki("\n".join(rows)):
            return 0.5
        if options.sep or separator in _SURE:
            return 0.95 if share >= 0.5 else 0.5
        return 0.6 if share >= 0.8 else 0.3

    def suggestion(self, source: Source, options: Options) -> str:
        rows = [line for line in source.lines if line.strip()][:300]
        separator = options.sep or best_separator(rows, None)[0] or "\t"
        return f"--format quizlet --sep {_SEP_NAMES.get(separator, repr(separator))}"

    def parse(self, source: Source, options: Options) -> list[Parsed]:
        separator = options.sep
        if separator is None:
            rows = [line for line in source.lines if line.strip()][:300]
            separator, share = best_separator(rows, None)
            if separator is None or (separator not in _SURE and share < 1):
                raise PrintkitError(
                    Problem(
                        source.path,
                        1,
                        "cannot tell what separates the term from the definition; "
                        "give it with --sep, such as --sep tab, --sep comma or --sep '/////'",
                    )
                )
        return [parse(source.text, source.path, separator)]


IMPORTER = Quizlet()


def best_separator(rows: list[str], given: str | None) -> tuple[str | None, float]:
    """The separator on the largest share of rows (the given one if any), with that share."""
    shares = [
        (sum(c in row for row in rows) / len(rows), c) for c in ((given,) if given else CANDIDATES)
    ]
    share, separator = max(
        shares,
        key=lambda pair: (pair[0], -CANDIDATES.index(pair[1]) if pair[1] in CANDIDATES else 0),
    )
    return (separator, share) if share > 0 else (None, 0.0)


def parse(text: str, path: Path, sep: str = "\t") -> Parsed:
    parsed = Parsed()
    rows: list[tuple[int, str, list[str]]] = []  # (line, term, definition lines)
    for number, line in enumerate(split_lines(text), start=1):
        term, found, definition = line.partition(sep)
        if found:
            rows.append((number, term, [definition]))
        elif rows:
            rows[-1][2].append(line)
        elif line.strip():
            raise source_error(
                path,
                number,
                f"the term and the definition on this line are not separated by "
                f"{separator_name(sep)}; separate them (or give the separator with --sep)",
            )
    for number, term, definition in rows:
        parsed.add(path, number, term, "\n".join(definition))
    return parsed
