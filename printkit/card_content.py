"""The content of a card side, as every layout draws it, and its checks before any drawing.

A layout asks `question_items` / `answer_items` for what to typeset; it never parses markup
or opens pictures itself. `content_problems` finds, before drawing, every formula that cannot
be set and every picture that cannot be printed, each with its deck file and line.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from printkit import fonts
from printkit.content.markup import parse_for_print
from printkit.content.model import Content, Picture
from printkit.deck import Card, Deck
from printkit.errors import LayoutError
from printkit.text import Figure, Item
from printkit.text import Paragraph as TextParagraph

BULLET = "•"


def uses_markup(options: Mapping[str, Any]) -> bool:
    return options.get("markup", "markdown") != "plain"


def question_content(card: Card, markup: bool) -> Content:
    return parse_for_print(card.question, markup)


def answer_contents(card: Card, markup: bool) -> tuple[Content, ...]:
    return tuple(parse_for_print(point, markup) for point in card.answer)


def items(
    content: Content,
    deck: Deck,
    *,
    font: str = fonts.REGULAR,
    bullet: str | None = None,
    align: str = "left",
    scale: float = 1.0,
    role: str = "",
) -> list[Item]:
    """One text's blocks as typesetting items: plain paragraphs exactly as plain text always
    was (same lines, same bytes), rich ones as runs, pictures as figures; the bullet goes on
    the first paragraph only."""
    out: list[Item] = []
    for block in content.blocks:
        first = not out
        point_bullet = bullet if first else None
        if isinstance(block, Picture):
            figure_align = "center" if align == "center" else "left"
            figure = Figure(picture_info(deck, block), block.description, figure_align, scale, role)
            out.append(figure)
        elif block.is_plain:
            text = block.plain_text
            out.append(TextParagraph(text, font, point_bullet, align, scale, role=role))
        else:
            where = "center" if block.display else align
            inlines = block.inlines
            out.append(TextParagraph("", font, point_bullet, where, scale, inlines, role))
    return out


def question_items(
    card: Card,
    deck: Deck,
    options: Mapping[str, Any],
    *,
    align: str = "left",
    scale: float = 1.0,
    font: str = fonts.BOLD,
) -> list[Item]:
    """The question as a layout sets it: bold (unless `font` says otherwise), in its own
    paragraphs and pictures."""
    content = question_content(card, uses_markup(options))
    return items(content, deck, font=font, align=align, scale=scale, role="question")


def answer_items(
    card: Card,
    deck: Deck,
    options: Mapping[str, Any],
    *,
    align: str = "left",
    scale: float = 1.0,
    bullet: str | None = BULLET,
) -> list[Item]:
    """The answer: one paragraph, or one bulleted point per item of a list answer."""
    point_bullet = bullet if card.is_list else None
    out: list[Item] = []
    for content in answer_contents(card, uses_markup(options)):
        out += items(content, deck, bullet=point_bullet, align=align, scale=scale, role="answer")
    return out


def picture_path(deck: Deck, picture: Picture) -> Path:
    """Where a picture's file is: its path is relative to the deck file's folder."""
    return deck.path.parent / picture.source


def picture_info(deck: Deck, picture: Picture):
    """The checked picture (content_problems has already refused any that cannot print)."""
    from printkit.content.pictures import PictureError, load_picture

    try:
        return load_picture(picture_path(deck, picture))
    except PictureError as error:  # changed on disk since the check: still one clear sentence
        raise LayoutError(f"{deck.path}: the picture “{picture.source}” {error}") from None


def _texts(deck: Deck, markup: bool):
    """Each card's texts, parsed, with the card."""
    for card in deck.cards:
        yield card, question_content(card, markup)
        for content in answer_contents(card, markup):
            yield card, content


def pictures_used(deck: Deck, markup: bool) -> list[Path]:
    """The picture files a deck's cards show, each once, in order of first use."""
    paths = {
        picture_path(deck, picture): None
        for _, content in _texts(deck, markup)
        for picture in content.pictures
    }
    return list(paths)


def content_problems(deck: Deck, markup: bool, source: list[str] | None = None) -> list[str]:
    """Every formula that cannot be set and every picture that cannot be printed, one sentence
    each, at the line of the deck where it is written."""
    if not markup:
        return []
    problems: list[str] = []
    lines = source

    def at(card: Card, needle: str) -> str:
        nonlocal lines
        if lines is None:
            lines = deck.path.read_text(encoding="utf-8-sig").splitlines()
        return f"{deck.path}:{line_of(lines, card.line, needle)}"

    for card, content in _texts(deck, markup):
        for latex in content.formulas:
            # Imported here: the maths and picture libraries cost plain decks nothing.
            from printkit.content.maths import MathsError, measure_maths

            try:
                measure_maths(latex)
            except MathsError as error:
                problems.append(
                    f"{at(card, latex)}: card {card.number}: the formula “${latex}$” cannot be "
                    f"set: {error}; correct the LaTeX, or write \\$ for a dollar sign"
                )
        for picture in content.pictures:
            if not picture.source.strip():
                problems.append(
                    f"{at(card, '](')}: card {card.number}: a picture has no file name; write "
                    "![description](file.png) with the file's path relative to the deck"
                )
                continue
            from printkit.content.pictures import PictureError, load_picture

            try:
                load_picture(picture_path(deck, picture))
            except PictureError as error:
                # The path as written, relative to the deck's folder (named when it is not "."):
                # "does not exist" then says where printkit looked.
                folder = deck.path.parent
                where = "" if str(folder) in ("", ".") else f" (in {folder})"
                problems.append(
                    f"{at(card, picture.source)}: card {card.number}: the picture "
                    f"“{picture.source}”{where} {error}"
                )
    return list(dict.fromkeys(problems))


def line_of(lines: list[str], start: int, needle: str) -> int:
    """The first line from `start` (1-based) that holds `needle`, else `start`."""
    return next((n for n in range(start, len(lines) + 1) if needle in lines[n - 1]), start)
