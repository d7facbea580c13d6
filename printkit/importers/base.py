"""What every importer shares: the cards it found, and how a text becomes an answer."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from printkit.content.markup import escape_markup
from printkit.deck import Card, clean_text
from printkit.errors import PrintkitError

# An answer line that starts with one of these marks is a list point.
_BULLET_LINE = re.compile(r"(?:[-*]\s+|[•‣◦▪]\s*)(.*)", re.DOTALL)


@dataclass
class Parsed:
    """What an importer read from a source: cards in order, maybe a title, and any warnings."""

    cards: list[Card] = field(default_factory=list)
    title: str | None = None
    warnings: list[str] = field(default_factory=list)

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
        question = clean_text(question)
        if not question:
            raise source_error(
                path, line, "this card has no question; write one or delete the line"
            )
        if isinstance(answer, str):
            points, is_list = answer_points(answer)
        else:
            points, is_list = tuple(p for p in map(clean_text, answer) if p), True
        if not points:
            raise source_error(path, line, "this card has no answer; write one or delete the card")
        if not markup:
            question, points = escape_markup(question), tuple(map(escape_markup, points))
        number = len(self.cards) + 1
        self.cards.append(Card(number, question, points, is_list, tags, None, line))


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
    return PrintkitError(f"{path}:{line}: {message}")


def separator_name(separator: str) -> str:
    """A separator as a sentence names it: "a tab", "a space" or "','"."""
    return {"\t": "a tab", " ": "a space"}.get(separator, f"'{separator}'")


def title_from_name(name: str) -> str:
    """A title for a file name: "french_verbs" or "french-verbs" gives "French verbs"."""
    words = re.sub(r"[-_\s]+", " ", name).strip()
    return words[:1].upper() + words[1:] if words else "Cards"
