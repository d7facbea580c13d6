"""Anki's "Notes in Plain Text" export: '#name:value' header lines, then one note per row.

The headers say the separator (#separator:tab), whether fields are HTML (#html:true) and which
columns hold the tags, the note's id, note type or deck (#tags column:3). The first field of a
note is the question and the second the answer; fields with the separator, a quote or a line
break are in double quotes, as in CSV.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from printkit.importers.base import Parsed, separator_name, source_error, split_tags
from printkit.importers.html_text import html_to_markup

HEADER = re.compile(
    r"#(separator|html|tags column|guid column|notetype column|deck column|notetype|deck|columns)"
    r":(.*)",
    re.IGNORECASE,
)
SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";", "space": " ", "pipe": "|", "colon": ":"}
# Columns that are not fields of the note, by header name.
_SPECIAL_COLUMNS = ("tags column", "guid column", "notetype column", "deck column")


def parse(text: str, path: Path, sep: str | None = None) -> Parsed:
    lines = text.splitlines(keepends=True)
    headers: dict[str, tuple[int, str]] = {}  # name: (line, value)
    first_row = 1
    for line in lines:
        if not (match := HEADER.fullmatch(line.strip())):
            break
        headers[match.group(1).lower()] = (first_row, match.group(2).strip())
        first_row += 1
    separator = sep or _separator(*headers.get("separator", (1, "tab")), path)
    html = headers.get("html", (1, "true"))[1].lower() != "false"
    special = {name: _column(headers, name, path) for name in _SPECIAL_COLUMNS}
    parsed = Parsed()
    decks: set[str] = set()
    dropped_fields = 0
    pictures: list[str] = []
    reader = csv.reader(lines[first_row - 1 :], delimiter=separator, quotechar='"', strict=True)
    end = first_row - 1
    try:
        for row in reader:
            line, end = end + 1, first_row - 1 + reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            fields = [c for i, c in enumerate(row, start=1) if i not in special.values()]
            if len(fields) < 2:
                raise source_error(
                    path,
                    line,
                    f"this note has only one field; a card needs a question and an answer separated by {separator_name(separator)}",
                )
            dropped_fields += any(f.strip() for f in fields[2:])
            question, answer = fields[0], fields[1]
            if html:
                (question, q_pictures), (answer, a_pictures) = (
                    html_to_markup(question),
                    html_to_markup(answer),
                )
                pictures += q_pictures + a_pictures
            tags = split_tags(_cell(row, special["tags column"]), spaces_only=True)
            if special["deck column"]:
                decks.add(_cell(row, special["deck column"]))
            parsed.add(path, line, question, answer, tags, markup=html)
    except csv.Error as error:
        raise source_error(
            path, end + 1, f"this note cannot be read ({error}); check its quotes"
        ) from None
    if len(decks) == 1:
        parsed.title = decks.pop().split("::")[-1].strip() or None
    if dropped_fields:
        parsed.warnings.append(
            f"{dropped_fields} note(s) had fields after the second (such as Back Extra); only the first two were imported"
        )
    if pictures:
        parsed.warnings.append(_pictures_warning(list(dict.fromkeys(pictures))))
    return parsed


def _pictures_warning(names: list[str]) -> str:
    shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    return (
        f"the cards show {len(names)} picture(s) that a text export does not hold ({shown}); "
        "copy them from Anki's collection.media folder into the deck file's folder"
    )


def _separator(line: int, name: str, path: Path) -> str:
    separator = SEPARATORS.get(name.lower(), name)
    if len(separator) != 1:
        raise source_error(
            path,
            line,
            f"the separator '{name}' is not one character; use tab, comma, semicolon, space, pipe or colon",
        )
    return separator


def _column(headers: dict[str, tuple[int, str]], name: str, path: Path) -> int | None:
    if name not in headers:
        return None
    line, value = headers[name]
    if not value.isdigit() or int(value) < 1:
        raise source_error(path, line, f"#{name}: must be a column number such as 3, not '{value}'")
    return int(value)


def _cell(row: list[str], column: int | None) -> str:
    return row[column - 1] if column and column <= len(row) else ""
