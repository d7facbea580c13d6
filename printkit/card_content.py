"""The content of a card side, as every layout draws it, and its checks before any drawing.

A layout asks `question_items` / `answer_items` for what to typeset; it never parses markup
or opens pictures itself. `content_problems` finds, before drawing, every formula that cannot
be set and every picture that cannot be printed, each with its deck file and line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import replace
from functools import lru_cache
from math import ceil
from pathlib import Path
from typing import Any

from printkit import fonts
from printkit.content.markup import for_print, may_have_markup, parse, parse_cloze
from printkit.content.model import Cloze, Content, Inline, Paragraph, Picture, Style, Text
from printkit.deck import Card, Deck
from printkit.errors import LayoutError, Problem
from printkit.text import Figure, Item, text_width
from printkit.text import Paragraph as TextParagraph

BULLET = "•"


def faces_for(options: Mapping[str, Any]) -> fonts.Faces:
    """The faces card text is set in: the bundled DejaVu Sans, or the user's font= and
    bold_font= (ValueError says what is wrong with them)."""
    return _faces(options.get("font", ""), options.get("bold_font", ""))


@lru_cache(maxsize=64)
def _faces(font: str, bold_font: str) -> fonts.Faces:
    return fonts.use_fonts(font, bold_font)


def uses_markup(options: Mapping[str, Any]) -> bool:
    return options.get("markup", "markdown") != "plain"


# A blank is this many times as wide as the text it hides, set in the same type: pupils write
# wider than type (the worksheet's handwriting factor is 1.75), and a blank that is exactly as
# wide as the answer gives the answer's length away.
BLANK_FACTOR = 1.5
MIN_BLANK = 3  # underscores: even "a" gets a blank a pupil can see and write in
BLANK_CHARACTER = "_"  # its glyph spans its whole width: a run of them is one unbroken line


def question_content(card: Card, markup: bool) -> Content:
    """The question; a cloze card's sentence with a blank for each gap."""
    if card.cloze:
        return blanked(parse_cloze(for_print(card.question), markup))
    return parse(for_print(card.question), markup)


def answer_contents(card: Card, markup: bool) -> tuple[Content, ...]:
    """The answer's points; a cloze card's whole sentence with the gaps' answers in bold."""
    if card.cloze:
        return (revealed(parse_cloze(for_print(card.question), markup)),)
    return tuple(parse(for_print(point), markup) for point in card.answer)


def gap_contents(card: Card, markup: bool) -> tuple[Content, ...]:
    """A cloze card's hidden texts, one content each (the missing words of a key)."""
    paragraph = parse_cloze(card.question, markup).blocks[0]
    assert isinstance(paragraph, Paragraph)
    return tuple(
        Content((Paragraph(item.inlines),)) for item in paragraph.inlines if isinstance(item, Cloze)
    )


@lru_cache(maxsize=4096)
def blanked(content: Content) -> Content:
    """Every gap as a blank sized to the text it hides (and its hint, in italics, after it)."""
    return _replace_gaps(content, _blank)


@lru_cache(maxsize=4096)
def revealed(content: Content) -> Content:
    """Every gap's hidden text in bold, in its place in the sentence."""
    return _replace_gaps(content, _bold)


def blank_length(gap: Cloze) -> int:
    """How many BLANK_CHARACTERs make the blank for a gap: BLANK_FACTOR times the width of
    its text in the regular face (the ratio holds at every size)."""
    hidden = text_width(gap.plain_text, fonts.REGULAR, 1.0) * BLANK_FACTOR
    return max(MIN_BLANK, ceil(hidden / text_width(BLANK_CHARACTER, fonts.REGULAR, 1.0)))


def _blank(gap: Cloze) -> list[Inline]:
    out: list[Inline] = [Text(BLANK_CHARACTER * blank_length(gap))]
    if gap.hint:
        out.append(Text(f" ({gap.hint})", Style(italic=True)))
    return out


def _bold(gap: Cloze) -> list[Inline]:
    return [replace(item, style=replace(item.style, bold=True)) for item in gap.inlines]


def _replace_gaps(content: Content, replacement) -> Content:
    blocks = []
    for block in content.blocks:
        if isinstance(block, Paragraph):
            inlines: list[Inline] = []
            for item in block.inlines:
                inlines.extend(replacement(item) if isinstance(item, Cloze) else [item])
            block = Paragraph(tuple(inlines), block.display)
        blocks.append(block)
    return Content(tuple(blocks))


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
    font: str | None = None,
) -> list[Item]:
    """The question as a layout sets it: bold (unless `font` says otherwise), in its own
    paragraphs and pictures, in the build's faces (font=, bold_font=)."""
    faces = faces_for(options)
    if font is None:
        font = faces.bold
    elif font == fonts.REGULAR:
        font = faces.regular
    if card.cloze:
        content = question_content(card, uses_markup(options))
        return items(content, deck, font=font, align=align, scale=scale, role="question")
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
    font = faces_for(options).regular
    if card.cloze:
        (content,) = answer_contents(card, markup)
        return items(content, deck, font=font, align=align, scale=scale, role="answer")
    out: list[Item] = []
    for point in card.answer:
        out += text_items(
            point,
            markup,
            deck,
            font=font,
            bullet=point_bullet,
            align=align,
            scale=scale,
            role="answer",
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
    text = for_print(text)
    if not markup or not may_have_markup(text):
        return [TextParagraph(text, font, bullet, align, scale, role=role)]
    content = parse(text, True)
    return items(content, deck, font=font, bullet=bullet, align=align, scale=scale, role=role)


def deck_text_items(
    text: str, deck: Deck, options: Mapping[str, Any], *, font: str = fonts.REGULAR
) -> list[Item]:
    """Any text of the deck (a choice, a wrong answer) set as card text is: with its markup."""
    return text_items(text, uses_markup(options), deck, font=font, role="answer")


def labelled_items(label: str, text: str, deck: Deck, options: Mapping[str, Any]) -> list[Item]:
    """A bold label and a deck text on one line ("B  bread", "False: apple"); a text of several
    paragraphs or pictures continues below."""
    content = parse(text, uses_markup(options))
    head = Text(label + "  ", Style(bold=True))
    first = content.blocks[0]
    if isinstance(first, Paragraph) and not first.display:
        blocks = (Paragraph((head, *first.inlines)), *content.blocks[1:])
    else:
        blocks = (Paragraph((head,)), *content.blocks)
    return items(Content(blocks), deck, role="answer")


def gap_items(card: Card, deck: Deck, options: Mapping[str, Any]) -> list[Item]:
    """A cloze card's missing words, in bold, separated by commas: a key's answer."""
    inlines: list[Inline] = []
    for content in gap_contents(card, uses_markup(options)):
        if inlines:
            inlines.append(Text(", "))
        inlines += _bold(Cloze(content.blocks[0].inlines))  # type: ignore[union-attr, arg-type]
    return items(Content((Paragraph(tuple(inlines)),)), deck, role="answer")


def picture_path(deck: Deck, picture: Picture) -> Path:
    """Where a picture's file is: its path is relative to the deck file's folder."""
    return deck.path.parent / picture.source


def picture_info(deck: Deck, picture: Picture):
    """The checked picture (content_problems has already refused any that cannot print)."""
    from printkit.content.pictures import PictureError, load_picture

    try:
        return load_picture(picture_path(deck, picture))
    except PictureError as error:  # changed on disk since the check: still one clear sentence
        raise LayoutError(
            Problem(deck.path, None, f"the picture “{picture.source}” {error}")
        ) from None


def _texts(deck: Deck, markup: bool) -> Iterator[tuple[Card, str, Content]]:
    """Each card's texts, as typed and parsed, with the card."""
    for card in deck.cards:
        if card.cloze:
            yield card, card.question, question_content(card, markup)
            yield card, card.question, answer_contents(card, markup)[0]
            continue
        for text in (card.question, *card.answer):
            yield card, text, parse(text, markup)


def _has_block_content(content: Content) -> bool:
    return any(
        isinstance(b, Picture) or (isinstance(b, Paragraph) and b.display) for b in content.blocks
    )


def _any_markup(deck: Deck) -> bool:
    """Whether any text of the deck has a character that can start markup (most do not)."""
    return any(
        may_have_markup(text) for card in deck.cards for text in (card.question, *card.answer)
    )


def pictures_used(deck: Deck, markup: bool) -> list[Path]:
    """The picture files a deck's cards show, each once, in order of first use."""
    if not markup or not _any_markup(deck):
        return []
    paths = {
        picture_path(deck, picture): None
        for _, _, content in _texts(deck, markup)
        for picture in content.pictures
    }
    return list(paths)


def content_problems(deck: Deck, markup: bool, source: list[str] | None = None) -> list[Problem]:
    """Every formula that cannot be set and every picture that cannot be printed, one sentence
    each, at the line of the deck where it is written."""
    if not markup or not _any_markup(deck):
        return []
    problems: list[Problem] = []
    lines = source

    def at(card: Card, needle: str, message: str) -> Problem:
        nonlocal lines
        if lines is None:
            lines = deck.path.read_text(encoding="utf-8-sig").splitlines()
        return Problem(deck.path, line_of(lines, card.line, needle), message)

    for card in deck.cards:
        if card.cloze and _has_block_content(parse(card.question, markup)):
            problems.append(
                at(
                    card,
                    card.question.splitlines()[0],
                    f"card {card.number}: a cloze "
                    "sentence cannot hold a picture or a $$…$$ formula on its own line; put the "
                    "picture in a card of its own, or write the formula inline with single $",
                )
            )
    for card, text, content in _texts(deck, markup):
        for path in re.findall(_SPACED_PICTURE, text) if "![" in text else ():
            problems.append(
                at(
                    card,
                    path,
                    f"card {card.number}: the picture path “{path}” has a space, "
                    f"so it is not read as a picture; write it as ![description](<{path}>)",
                )
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
                    at(
                        card,
                        first_line,
                        f"card {card.number}: the formula “${shown}$” cannot "
                        f"be set: {error}; correct the LaTeX, or write \\$ for a dollar sign",
                    )
                )
        for picture in content.pictures:
            if not picture.source.strip():
                problems.append(
                    at(
                        card,
                        "](",
                        f"card {card.number}: a picture has no file name; write "
                        "![description](file.png) with the file's path relative to the deck",
                    )
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
                    at(
                        card,
                        picture.source,
                        f"card {card.number}: the picture “{picture.source}”{where} {error}",
                    )
                )
    return list(dict.fromkeys(problems))


# ![description](a path with a space): Markdown reads a path with spaces only inside <...>.
_SPACED_PICTURE = r"!\[[^\]]*\]\(([^<)\n]*\s[^)\n]*)\)"


def line_of(lines: list[str], start: int, needle: str) -> int:
    """The first line from `start` (1-based) that holds `needle`, else `start`."""
    return next((n for n in range(start, len(lines) + 1) if needle in lines[n - 1]), start)
