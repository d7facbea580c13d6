"""What every importer shares: the interface a format implements, the source it reads, the
cards it found (with skipped rows and warnings), and how a text becomes an answer."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from printkit.content.markup import escape_markup
from printkit.deck import Card, clean_text, decode_text
from printkit.errors import PrintkitError, Problem

# An answer line that starts with one of these marks is a list point.
_BULLET_LINE = re.compile(r"(?:[-*]\s+|[•‣◦▪]\s*)(.*)", re.DOTALL)
# A line ends at \n, \r\n or \r, and nowhere else: U+2028, a vertical tab or a form feed
# inside a field belong to that field (str.splitlines would start a new card at each).
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
# Line breaks inside a field that are not \n: kept as a line break (Word writes a vertical tab
# for Shift+Enter), a form feed as a space.
_FIELD_BREAKS = str.maketrans(
    {"\r": "\n", "\u2028": "\n", "\u2029": "\n", "\x85": "\n", "\v": "\n", "\f": " "}
)
# Control characters no card can print: refused with their line, before any deck is written.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")


@dataclass(frozen=True)
class Options:
    """What the user said on the command line about how to read the source."""

    sep: str | None = None  # a separator, as a character ("\t") or a text ("/////")
    columns: tuple[str, str] | None = None  # --columns: numbers ("1") or header names
    deck: str | None = None  # --deck: one deck of a package


@dataclass(frozen=True)
class Source:
    """A file to import: its path and bytes; `text` decodes it (UTF-8, or UTF-16 with a BOM)."""

    path: Path
    data: bytes

    @cached_property
    def text(self) -> str:
        if self.data.startswith((b"\xff\xfe", b"\xfe\xff")):
            try:
                text = self.data.decode("utf-16")
            except UnicodeDecodeError:
                raise PrintkitError(
                    Problem(
                        self.path, None, "this UTF-16 file is damaged; save it again as UTF-8 text"
                    )
                ) from None
        else:
            text = decode_text(self.data, self.path)
        text = text.removeprefix("\ufeff")
        if (bad := _CONTROL.search(text)) is not None:
            char = bad.group()
            name = unicodedata.name(char, "") or _CONTROL_NAMES.get(char, "a control character")
            raise source_error(
                self.path,
                line_of(text, bad.start()),
                f"this line holds U+{ord(char):04X} ({name}), a control character no card can "
                "print; delete it (or export the cards again) and import again",
            )
        return text

    @cached_property
    def lines(self) -> list[str]:
        """The text's lines without their ends (see `split_lines`)."""
        return split_lines(self.text)


_CONTROL_NAMES = {"\x00": "NUL", "\x1b": "ESCAPE", "\x7f": "DELETE"}


class Importer:
    """One format. Subclasses set `name` and `summary`, and implement `sniff` and `parse`.

    A module of printkit.importers that defines `IMPORTER = SomeImporter()` is a format:
    the registry (printkit.importers.registry) finds it, so adding a format is one file.
    """

    name: str = ""
    summary: str = ""  # for a sentence: "Anki's Notes in Plain Text"
    binary = False  # True when the source is not text (a zip, …): `sniff` must not read .text

    def sniff(self, source: Source, options: Options) -> float:
        """How sure (0 to 1) it is that `source` is in this format; 0.9 and above is sure."""
        raise NotImplementedError

    def suggestion(self, source: Source, options: Options) -> str:
        """The options that make printkit read `source` this way, for a refusal's message."""
        return f"--format {self.name}"

    def parse(self, source: Source, options: Options) -> list[Parsed]:
        """The decks found in `source` (one for a text file); PrintkitError names the line."""
        raise NotImplementedError


@dataclass
class Parsed:
    """What an importer read: cards in order, maybe a title, warnings, skipped rows, and the
    pictures to copy next to the deck (path relative to the deck file → bytes)."""

    cards: list[Card] = field(default_factory=list)
    title: str | None = None
    warnings: list[str] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (line or note, reason)
    media: dict[str, bytes] = field(default_factory=dict)
    skipped_what: str = "line"  # how `skipped` numbers are named: "line" or "note"

    def add(
        self,
        path: Path,
        line: int,
        question: str,
        answer: str | tuple[str, ...],
        tags: tuple[str, ...] = (),
        *,
        markup: bool = False,
    ) -> None:
        """Add a card read at `line`, refusing a blank question or answer with a sentence.

        A text answer whose lines are all bullet points (two or more) becomes a list of points.
        Texts are plain text, escaped so that the deck prints them as they were, unless
        `markup` says they are deck markup already (Anki's HTML, converted).
        """
        question = clean_text(field_text(question))
        if not question:
            raise source_error(
                path, line, "this card has no question; write one or delete the line"
            )
        if isinstance(answer, str):
            points, is_list = answer_points(field_text(answer))
        else:
            points = tuple(p for p in (clean_text(field_text(a)) for a in answer) if p)
            is_list = True
        if not points:
            raise source_error(path, line, "this card has no answer; write one or delete the card")
        if not markup:
            question, points = escape_markup(question), tuple(map(escape_markup, points))
        number = len(self.cards) + 1
        self.cards.append(Card(number, question, points, is_list, tags, None, line))

    def add_cloze(self, path: Path, line: int, text: str, tags: tuple[str, ...] = ()) -> None:
        """Add a cloze card (`{{c1::gap}}`, text already markup); a broken cloze names its line."""
        from printkit.content.cloze import ClozeError, gaps_of

        text = clean_text(field_text(text))
        try:
            gaps = gaps_of(text)
        except ClozeError as error:
            raise source_error(path, line, f"this cloze note {error}") from None
        answers = tuple(gap.answer for gap in gaps)
        number = len(self.cards) + 1
        self.cards.append(Card(number, text, answers, False, tags, None, line, cloze=True))

    def skip(self, line: int, reason: str) -> None:
        self.skipped.append((line, reason))


def field_text(text: str) -> str:
    """A field with every kind of line break inside it made '\\n' (a form feed a space)."""
    return text.replace("\r\n", "\n").translate(_FIELD_BREAKS)


def split_lines(text: str, keepends: bool = False) -> list[str]:
    """Lines ending at \\n, \\r\\n or \\r only (never at U+2028, a vertical tab, …)."""
    lines = _LINE.findall(text)
    return lines if keepends else [line.rstrip("\r\n") for line in lines]


def line_of(text: str, index: int) -> int:
    """The 1-based line of `text[index]`, lines ending as in `split_lines`."""
    before = text[:index]
    return before.count("\n") + before.count("\r") - before.count("\r\n") + 1


def answer_points(text: str) -> tuple[tuple[str, ...], bool]:
    """A text answer as (points, is_list): bulleted lines become points, anything else stays."""
    text = clean_text(text)
    if not text:
        return (), False
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    matches = [_BULLET_LINE.fullmatch(line) for line in lines]
    if len(lines) >= 2 and all(matches):
        points = tuple(p for m in matches if m and (p := clean_text(m.group(1))))
        if points:
            return points, True
    return (text,), False


def split_tags(text: str, *, spaces_only: bool = False) -> tuple[str, ...]:
    """Tags separated by commas or semicolons, or else by spaces (Anki's way: `spaces_only`)."""
    text = clean_text(text)
    if not spaces_only and re.search(r"[,;]", text):
        parts = re.split(r"[,;]", text)
    else:
        parts = text.split()
    return tuple(dict.fromkeys(tag for tag in map(clean_text, parts) if tag))


def source_error(path: Path, line: int, message: str) -> PrintkitError:
    return PrintkitError(Problem(path, line, message))


def separator_name(separator: str) -> str:
    """A separator as a sentence names it: "a tab", "a space" or "','"."""
    return {"\t": "a tab", " ": "a space"}.get(separator, f"'{separator}'")


def title_from_name(name: str) -> str:
    """A title for a file name: "french_verbs" or "french-verbs" gives "French verbs"."""
    words = re.sub(r"[-_\s]+", " ", name).strip()
    return words[:1].upper() + words[1:] if words else "Cards"
