"""The content of a card side, as every layout draws it, and its checks before any drawing.

A layout asks `question_items` / `answer_items` for what to typeset; it never parses markup
or opens pictures itself. `content_problems` finds, before drawing, every formula that cannot
be set and every picture that cannot be printed, each with its deck file and line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from printkit import fonts
from printkit.content.markup import may_have_markup, parse
from printkit.content.model import Content, Picture
from printkit.deck import Card, Deck
from printkit.errors import LayoutError
from printkit.text import Figure, Item
from printkit.text import Paragraph as TextParagraph

BULLET = "•"


def uses_markup(options: Mapping[str, Any]) -> bool:
    return options.get("markup", "markdown") != "plain"


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
    return text_items(
        card.question,
        uses_markup(options),
        deck,
        font=font,
        align=align,
        scale=scale,
        role="question",
    )


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
    markup = uses_markup(options)
    out: list[Item] = []
    for point in card.answer:
        out += text_items(
            point, markup, deck, bullet=point_bullet, align=align, scale=scale, role="answer"
        )
    return out


def text_items(
    text: str,
    markup: bool,
    deck: Deck,
    *,
    font: str = fonts.REGULAR,
    bullet: str | None = None,
    align: str = "left",
    scale: float = 1.0,
    role: str = "",
) -> list[Item]:
    """One deck text as typesetting items. A text with no markup character is one plain
    paragraph straight away: most texts of most decks, and the cost of plain decks."""
    if not markup or not may_have_markup(text):
        return [TextParagraph(text, font, bullet, align, scale, role=role)]
    content = parse(text, True)
    return items(content, deck, font=font, bullet=bullet, align=align, scale=scale, role=role)


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


def _texts(deck: Deck, markup: bool) -> Iterator[tuple[Card, str, Content]]:
    """Each card's texts, as typed and parsed, with the card."""
    for card in deck.cards:
        for text in (card.question, *card.answer):
            yield card, text, parse(text, markup)


def pictures_used(deck: Deck, markup: bool) -> list[Path]:
    """The picture files a deck's cards show, each once, in order of first use."""
    paths = {
        picture_path(deck, picture): None
        for _, _, content in _texts(deck, markup)
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

    for card, text, content in _texts(deck, markup):
        for path in _SPACED_PICTURE.findall(text) if "![" in text else ():
            problems.append(
                f"{at(card, path)}: card {card.number}: the picture path “{path}” has a space, "
                f"so it is not read as a picture; write it as ![description](<{path}>)"
            )
        if content.is_plain:
            continue
        for latex in content.formulas:
            # Imported here: the maths and picture libraries cost plain decks nothing.
            from printkit.content.maths import MathsError, measure_maths

            try:
                measure_maths(latex)
            except MathsError as error:
                shown = " ".join(latex.split())  # a formula over several lines, on one
                first_line = latex.strip().splitlines()[0] if latex.strip() else latex
                problems.append(
                    f"{at(card, first_line)}: card {card.number}: the formula “${shown}$” cannot "
                    f"be set: {error}; correct the LaTeX, or write \\$ for a dollar sign"
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


# ![description](a path with a space): Markdown reads a path with spaces only inside <...>.
_SPACED_PICTURE = re.compile(r"!\[[^\]]*\]\(([^<)\n]*\s[^)\n]*)\)")


def line_of(lines: list[str], start: int, needle: str) -> int:
    """The first line from `start` (1-based) that holds `needle`, else `start`."""
    return next((n for n in range(start, len(lines) + 1) if needle in lines[n - 1]), start)
