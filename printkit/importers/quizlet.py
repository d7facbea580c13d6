"""Quizlet's export: one card per line, the term and the definition separated by a tab.

Quizlet lets the exporter choose another separator (given here with --sep). It writes a
definition that holds line breaks as it is, so a line without the separator continues the
definition above it.
"""

from __future__ import annotations

from pathlib import Path

from printkit.importers.base import Parsed, separator_name, source_error


def parse(text: str, path: Path, sep: str = "\t") -> Parsed:
    parsed = Parsed()
    rows: list[tuple[int, str, list[str]]] = []  # (line, term, definition lines)
    for number, line in enumerate(text.splitlines(), start=1):
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
