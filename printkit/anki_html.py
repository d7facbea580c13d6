"""A card's text as the HTML of an Anki field: styles as tags, maths for Anki's MathJax.

Anki sets \\(…\\) and \\[…\\] with MathJax itself, so a formula goes in as its LaTeX. A picture
becomes an <img> naming a file of the package's media (see `Media`).
"""

from __future__ import annotations

import hashlib
import html
from pathlib import Path

from printkit.content.model import Cloze, Content, LineBreak, Maths, Paragraph, Picture, Style
from printkit.deck import Card, Deck
from printkit.errors import PrintkitError, Problem


class Media:
    """The picture files of a package, each named by its content: the same bytes give the same
    name in every export, and two different heart.png from two folders do not clash."""

    def __init__(self, deck: Deck) -> None:
        self.deck = deck
        self.files: dict[str, bytes] = {}  # media name: bytes, in order of first use

    def add(self, card: Card, picture: Picture) -> str:
        """The media name of a card's picture, reading its file (relative to the deck)."""
        from printkit.card_content import line_of, picture_path

        path = picture_path(self.deck, picture)
        try:
            data = path.read_bytes()
        except OSError as error:
            lines = self.deck.path.read_text(encoding="utf-8-sig").splitlines()
            line = line_of(lines, card.line, picture.source)
            raise PrintkitError(
                Problem(
                    self.deck.path,
                    line,
                    f"card {card.number}: the picture “{picture.source}” cannot be read "
                    f"({error.strerror}); put the file at {path} or correct its path",
                )
            ) from None
        name = hashlib.sha256(data).hexdigest()[:16] + Path(picture.source).suffix.lower()
        self.files.setdefault(name, data)
        return name


def content_html(content: Content, card: Card, media: Media) -> str:
    """A text's blocks as HTML; a <br> between blocks, except beside a display formula, which
    MathJax already sets on a line of its own."""
    out = []
    previous: Paragraph | Picture | None = None
    for block in content.blocks:
        if previous is not None and not _is_display(previous) and not _is_display(block):
            out.append("<br>")
        if isinstance(block, Picture):
            name = html.escape(media.add(card, block))
            out.append(f'<img src="{name}" alt="{html.escape(block.description)}">')
        else:
            out.append(_paragraph_html(block))
        previous = block
    return "".join(out)


def _is_display(block: Paragraph | Picture) -> bool:
    return isinstance(block, Paragraph) and block.display


def _paragraph_html(paragraph: Paragraph) -> str:
    """The inlines as HTML, each tag opened once for a run of inlines that share it
    (<b>H<sub>2</sub>O</b>, not <b>H</b><b><sub>2</sub></b><b>O</b>)."""
    parts: list[str] = []
    open_tags: list[str] = []
    for item in paragraph.inlines:
        if isinstance(item, LineBreak):
            parts.append("<br>")
            continue
        if isinstance(item, Cloze):
            # A gap as Anki writes it; every gap is c1, as printkit asks a sentence's gaps at once.
            parts += [f"</{tag}>" for tag in reversed(open_tags)]
            open_tags = []
            hint = f"::{html.escape(item.hint, quote=False)}" if item.hint else ""
            parts.append(f"{{{{c1::{_paragraph_html(Paragraph(item.inlines))}{hint}}}}}")
            continue
        tags = _tags(item.style)
        kept = 0
        while kept < min(len(tags), len(open_tags)) and tags[kept] == open_tags[kept]:
            kept += 1
        parts += [f"</{tag}>" for tag in reversed(open_tags[kept:])]
        parts += [f"<{tag}>" for tag in tags[kept:]]
        open_tags = tags
        if isinstance(item, Maths):
            latex = html.escape(item.latex, quote=False)
            parts.append(f"\\[{latex}\\]" if paragraph.display else f"\\({latex}\\)")
        else:
            parts.append(html.escape(item.text, quote=False))
    parts += [f"</{tag}>" for tag in reversed(open_tags)]
    return "".join(parts)


def _tags(style: Style) -> list[str]:
    """The HTML tags of a style, outermost first (always in this order, so runs can share)."""
    shift = [style.shift] if style.shift else []
    return ["b"] * style.bold + ["i"] * style.italic + shift + ["code"] * style.code
