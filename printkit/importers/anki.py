"""Anki's text exports, of every version: "Notes in Plain Text" (with '#name:value' header
lines since Anki 2.1.55, without them before), and "Cards in Plain Text".

Headers say the separator (#separator:tab), whether fields are HTML (#html:true), tags for
every note (#tags:…, or an old first line 'tags:…'), the columns' names (#columns:…) and which
columns hold the tags, the note's id, note type or deck (#tags column:3). Other lines starting
with '#' before the notes are comments. Old exports have no headers: fields holding the
separator, a quote or a line break are in double quotes, as in CSV, and the tags, if any, are
the last column. A note's first field is the question and its second the answer; a cloze note
(note type Cloze, or `{{c1::…}}` in its first field) becomes a cloze card. A card export
repeats the question in the answer, before <hr id=answer>: that repeat is dropped.
"""

from __future__ import annotations

import csv
import re
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
from printkit.importers.html_text import html_to_markup
from printkit.importers.media import Pictures

HEADER = re.compile(
    r"#(separator|html|tags column|guid column|notetype column|deck column|notetype|deck"
    r"|columns|tags|if matches|match scope):(.*)",
    re.IGNORECASE,
)
OLD_TAGS = re.compile(r"tags:(.*)", re.IGNORECASE)
SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";", "space": " ", "pipe": "|", "colon": ":"}
# Columns that are not fields of the note, by header name.
_SPECIAL_COLUMNS = ("tags column", "guid column", "notetype column", "deck column")
CLOZE = re.compile(r"\{\{c\d+::", re.IGNORECASE)
_ANSWER_RULE = re.compile(r".*<hr\s+id\s*=\s*[\"']?answer[\"']?\s*/?>", re.IGNORECASE | re.DOTALL)
SOUND = re.compile(r"\[sound:[^\]]*\]")
_HTML_TAG = re.compile(
    r"<(br|div|p|b|i|u|span|ul|ol|li|img|font|strong|em|sub|sup|code|hr)\b[^>]*>", re.IGNORECASE
)
# A whole field in double quotes, "" inside: how old exports wrote fields with tabs or quotes.
_QUOTED_FIELD = re.compile(r'(?:^|\t)"(?:[^"]|"")*"(?=\t|\r?\n|\r|\Z)', re.MULTILINE)
_TAG_CELL = re.compile(r'[^\s<>"&]*(?:\s+[^\s<>"&]+)*')


class AnkiText(Importer):
    name = "anki"
    summary = "an Anki text export"

    def sniff(self, source: Source, options: Options) -> float:
        header, rows = _split_header(source.lines)
        if any(HEADER.fullmatch(line.strip()) for line in header):
            return 0.97
        sample = "\n".join(rows[:300])
        tabbed = sum("\t" in line for line in rows[:300])
        if not rows or tabbed * 2 < len(rows[:300]):
            return 0.0
        if OLD_TAGS.fullmatch(source.lines[0].strip()) or looks_like_anki(sample):
            return 0.95
        return 0.4

    def suggestion(self, source: Source, options: Options) -> str:
        return "--format anki"

    def parse(self, source: Source, options: Options) -> list[Parsed]:
        return [parse(source.text, source.path, options.sep)]


IMPORTER = AnkiText()


def looks_like_anki(text: str) -> bool:
    """Tab-separated text that only Anki writes: HTML, or fields quoted the CSV way."""
    return bool(_HTML_TAG.search(text, 0, 100_000) or _QUOTED_FIELD.search(text, 0, 100_000))


def _split_header(lines: list[str]) -> tuple[list[str], list[str]]:
    """The lines before the notes (headers, comments, an old 'tags:' line) and the rest."""
    count = 0
    for index, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith("#") or (index == 0 and OLD_TAGS.fullmatch(stripped)):
            count += 1
            continue
        break
    return lines[:count], lines[count:]


def parse(text: str, path: Path, sep: str | None = None) -> Parsed:
    lines = split_lines(text, keepends=True)
    header, _ = _split_header([line.rstrip("\r\n") for line in lines])
    headers: dict[str, tuple[int, str]] = {}  # name: (line, value)
    tags_for_all: tuple[str, ...] = ()
    for number, line in enumerate(header, start=1):
        if match := HEADER.fullmatch(line.strip()):
            headers[match.group(1).lower()] = (number, match.group(2).strip())
        elif number == 1 and (old := OLD_TAGS.fullmatch(line.strip())):
            tags_for_all = split_tags(old.group(1), spaces_only=True)
    first_row = len(header) + 1
    separator = sep or _separator(*headers.get("separator", (1, "tab")), path)
    html = headers.get("html", (1, "true"))[1].lower() != "false"
    tags_for_all += split_tags(headers.get("tags", (1, ""))[1], spaces_only=True)
    special = {name: _column(headers, name, path) for name in _SPECIAL_COLUMNS}
    rows = _rows(lines[first_row - 1 :], separator, first_row, path)
    if not headers and special["tags column"] is None:
        special["tags column"] = _legacy_tags_column(rows)
    names = [n.strip().lower() for n in headers.get("columns", (1, ""))[1].split(separator)]
    notetype_default = headers.get("notetype", (1, ""))[1]
    pictures = Pictures(f"{path.stem}-media", lambda name: _file_beside(path, name))
    parsed = Parsed()
    decks: set[str] = set()
    dropped_fields = sounds = 0

    def markup(field: str) -> str:
        nonlocal sounds
        sounds += len(SOUND.findall(field))
        field = SOUND.sub("", field)
        return html_to_markup(field, pictures.find)[0] if html else field

    for line, row in rows:
        fields = [c for i, c in enumerate(row, start=1) if i not in special.values()]
        field_names = [n for i, n in enumerate(names, start=1) if i not in special.values()]
        tags = tags_for_all + split_tags(_cell(row, special["tags column"]), spaces_only=True)
        tags = tuple(dict.fromkeys(tags))
        if special["deck column"]:
            decks.add(_cell(row, special["deck column"]))
        notetype = _cell(row, special["notetype column"]) or notetype_default
        if "cloze" in notetype.lower() or (fields and CLOZE.search(fields[0])):
            dropped_fields += any(f.strip() for f in fields[1:])
            parsed.add_cloze(path, line, markup(fields[0]), tags)
            continue
        if len(fields) < 2:
            raise source_error(
                path,
                line,
                f"this note has only one field; a card needs a question and an answer separated by {separator_name(separator)}",
            )
        question, answer = _question_and_answer(fields, field_names)
        dropped_fields += any(f.strip() for f in fields[2:])
        answer = _ANSWER_RULE.sub("", answer) if html else answer
        parsed.add(path, line, markup(question), markup(answer), tags, markup=html)
    if len(decks) == 1:
        parsed.title = decks.pop().replace("\x1f", "::").split("::")[-1].strip() or None
    elif "deck" in headers:
        parsed.title = headers["deck"][1].split("::")[-1].strip() or None
    parsed.warnings += left_out(dropped_fields, sounds)
    parsed.warnings += pictures.warnings(
        "copy them from Anki's collection.media folder into the folder of "
        f"{path.name} and import again, or import the deck's .apkg instead"
    )
    parsed.media = pictures.files
    return parsed


def left_out(dropped_fields: int, sounds: int) -> list[str]:
    """Warnings for what a card cannot hold: fields after the printed ones, and sounds."""
    warnings = []
    if dropped_fields:
        warnings.append(
            f"{dropped_fields} note(s) had fields after the ones printed (such as Back Extra); they were left out"
        )
    if sounds:
        warnings.append(f"{sounds} sound(s) were left out: paper cannot play them")
    return warnings


def _rows(lines: list[str], separator: str, first: int, path: Path) -> list[tuple[int, list[str]]]:
    """The notes as (line, cells), blank rows left out; a row with a broken quote names its line."""
    reader = csv.reader(lines, delimiter=separator, quotechar='"', strict=True)
    rows, end = [], first - 1
    try:
        for row in reader:
            line, end = end + 1, first - 1 + reader.line_num
            if any(cell.strip() for cell in row):
                rows.append((line, row))
    except csv.Error as error:
        raise source_error(
            path, end + 1, f"this note cannot be read ({error}); check its quotes"
        ) from None
    return rows


def _legacy_tags_column(rows: list[tuple[int, list[str]]]) -> int | None:
    """An export from before Anki 2.1.55 puts the tags, if any, in an extra last column: taken
    as tags when every row has 3 or more columns, as many, and the last one is all tag words."""
    counts = {len(row) for _, row in rows}
    if len(counts) != 1 or (count := counts.pop()) < 3:
        return None
    if all(_TAG_CELL.fullmatch(row[-1].strip()) for _, row in rows):
        return count
    return None


def _question_and_answer(fields: list[str], names: list[str]) -> tuple[str, str]:
    """Front and Back when #columns names them; else the first two fields."""
    if "front" in names and "back" in names:
        front, back = names.index("front"), names.index("back")
        if max(front, back) < len(fields):
            return fields[front], fields[back]
    return fields[0], fields[1]


def _file_beside(path: Path, name: str) -> bytes | None:
    candidate = path.parent / name
    return candidate.read_bytes() if candidate.is_file() else None


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
