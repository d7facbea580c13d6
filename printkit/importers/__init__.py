"""Bring cards in from where they already live: plain-text notes, Quizlet, Anki and CSV exports.

`import_file` reads a source into a Deck; `save_deck` writes it as tidy YAML (deck_writer).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from printkit.deck import Deck, clean_text, decode_text, parse_deck
from printkit.errors import PrintkitError
from printkit.importers import anki, csvfile, notes, quizlet
from printkit.importers.base import Parsed, source_error, title_from_name

FORMATS = ("notes", "quizlet", "anki", "csv")
_PARSERS: dict[str, Callable[..., Parsed]] = {
    "notes": lambda text, path, sep: notes.parse(text, path),
    "quizlet": lambda text, path, sep: quizlet.parse(text, path, sep or "\t"),
    "anki": anki.parse,
    "csv": csvfile.parse,
}
# Files people try that are not text: say what to do instead of "not UTF-8".
_NOT_TEXT = {
    ".xlsx": "save the spreadsheet as CSV (File → Save as → CSV UTF-8) and import that",
    ".xls": "save the spreadsheet as CSV (File → Save as → CSV UTF-8) and import that",
    ".ods": "save the spreadsheet as CSV (File → Save as → CSV) and import that",
    ".apkg": "export the deck from Anki as 'Notes in Plain Text' and import that",
    ".colpkg": "export the deck from Anki as 'Notes in Plain Text' and import that",
}
_HTML_TAG = re.compile(
    r"<(br|div|p|b|i|u|span|ul|ol|li|img|font|strong|em|sub|sup|code)\b[^>]*>", re.IGNORECASE
)
_POINT_LINE = re.compile(r"\s*[-•*]")


@dataclass(frozen=True)
class Imported:
    deck: Deck  # its path is the source file
    format: str
    warnings: tuple[str, ...] = ()


def import_file(
    source: Path, format: str | None = None, title: str | None = None, sep: str | None = None
) -> Imported:
    """Read a notes, Quizlet, Anki or CSV file into a deck; PrintkitError names the bad line."""
    source = Path(source)
    text = read_source(source)
    format = format or detect_format(text, source, sep)
    parsed = _PARSERS[format](text, source, sep)
    if not parsed.cards:
        raise source_error(source, 1, f"no cards were found in this file (read as {format})")
    title = (
        clean_text(title or "") or clean_text(parsed.title or "") or title_from_name(source.stem)
    )
    deck = Deck(title, None, tuple(parsed.cards), source)
    return Imported(deck, format, tuple(parsed.warnings))


def read_source(path: Path) -> str:
    """A source file's text: UTF-8 (with or without BOM) or UTF-16 with BOM (Excel's 'Unicode')."""
    if path.suffix.lower() in _NOT_TEXT and path.is_file():
        raise PrintkitError(f"{path}: this is not a text file; {_NOT_TEXT[path.suffix.lower()]}")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise PrintkitError(
            f"{path}: cannot open this file ({error.strerror}); check the file name"
        ) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise PrintkitError(
                f"{path}: this UTF-16 file is damaged; save it again as UTF-8 text"
            ) from None
    else:
        text = decode_text(data, path)
    if not text.strip():
        raise source_error(path, 1, "the file is empty; export the cards into it again")
    return text


def detect_format(text: str, path: Path, sep: str | None = None) -> str:
    """The format of a source, told from its content (see 'Importing' in the README)."""
    lines = [line for line in text.splitlines() if line.strip()][:200]
    first = lines[0].strip()
    if anki.HEADER.fullmatch(first):
        return "anki"
    if csvfile.has_header(first):
        return "csv"
    separator = sep or "\t"
    if sum(separator in line for line in lines) * 2 >= len(lines):
        return "anki" if _HTML_TAG.search(text, 0, 100_000) else "quizlet"
    if any(_POINT_LINE.match(line) for line in lines):
        return "notes"
    raise source_error(
        path,
        1,
        "cannot tell the format of this file; give it with --format notes, quizlet, anki or csv",
    )


def separator_option(text: str | None) -> str | None:
    """A --sep value as a character: names (tab, comma, …) and a typed backslash-t allowed."""
    if text is None or text == "":
        return None
    return anki.SEPARATORS.get(text.lower(), "\t" if text == "\\t" else text)


def slugify(text: str) -> str:
    """A file name for a title: lower case words joined by '-' ("Stalin's policy" → stalins-policy)."""
    text = re.sub(r"['’]", "", clean_text(text).lower())
    return re.sub(r"[\W_]+", "-", text).strip("-")


def default_output(deck: Deck) -> Path:
    return Path("decks") / f"{slugify(deck.title) or slugify(deck.path.stem) or 'deck'}.yaml"


def save_deck(deck: Deck, output: Path, *, force: bool = False, comment: str | None = None) -> None:
    """Write a deck as YAML, checking first that reading it back gives exactly the same cards."""
    from printkit.deck_writer import deck_to_yaml
    from printkit.output import refuse_overwrite, write_atomic

    refuse_overwrite([output], force, ", or -o to choose another file")
    text = deck_to_yaml(deck, comment)
    written = parse_deck(text, output)
    if (written.title, _content(written)) != (deck.title, _content(deck)):
        raise AssertionError(f"the YAML written for {output} does not read back the same")
    write_atomic(output, text.encode("utf-8"))


def _content(deck: Deck) -> list[tuple]:
    return [(c.question, c.answer, c.is_list, c.tags, c.lines) for c in deck.cards]
