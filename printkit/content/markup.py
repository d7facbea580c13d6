"""Reading a deck's text as Markdown-style markup into the content model.

Inline syntax only, the part people know from Markdown, Obsidian and Quizlet: **bold**,
*italic* / _italic_, `code`, H~2~O, x^2^, $maths$ (and $$display maths$$), ![description](path)
and a backslash before a character to print it as itself. Block syntax (headings, quotes,
numbered lists) is not read: "1939. Pact" or "# of votes" in a card must print as typed.
With markup off (`markup: plain`) a text is one plain paragraph, exactly as typed.
"""

from __future__ import annotations

from functools import lru_cache

from printkit.content.model import (
    PLAIN,
    Block,
    Content,
    Inline,
    LineBreak,
    Maths,
    Paragraph,
    Picture,
    Style,
    Text,
)

# Characters that can start markup: a text without any of them is plain, whatever the parser
# would say, and skips it (most cards of most decks).
_MARKUP_CHARACTERS = frozenset("*_`~^$!\\")


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin
    from mdit_py_plugins.subscript import sub_plugin
    from mdit_py_plugins.superscript import superscript_plugin

    # "zero" enables nothing; only the rules below are read. No HTML, no entities (&amp; stays
    # as typed), no links or autolinks (a URL on a card is text).
    md = MarkdownIt("zero").enable(["emphasis", "backticks", "escape", "newline", "image"])
    md.use(sub_plugin).use(superscript_plugin)
    # "It costs $5, or $10 with delivery" is money, not maths: a $ next to a space or a digit
    # on its inner side does not open or close a formula.
    md.use(dollarmath_plugin, allow_space=False, allow_digits=False, double_inline=True)
    return md


def plain(text: str) -> Content:
    """A text exactly as typed: one plain paragraph (newlines are line breaks)."""
    inlines: list[Inline] = []
    for index, line in enumerate(text.split("\n")):
        if index:
            inlines.append(LineBreak())
        if line:
            inlines.append(Text(line))
    return Content((Paragraph(tuple(inlines)),))


@lru_cache(maxsize=16_384)
def parse(text: str, markup: bool = True) -> Content:
    """The content of one deck text; with `markup` False, the text exactly as typed."""
    if not markup or _MARKUP_CHARACTERS.isdisjoint(text):
        return plain(text)
    tokens = _parser().parseInline(text)
    children = tokens[0].children or [] if tokens else []
    return Content(_Builder().build(children))


class _Builder:
    """Turns markdown-it's inline tokens into blocks, keeping a stack of open styles."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.inlines: list[Inline] = []
        self.style = PLAIN
        self.stack: list[Style] = []

    def build(self, tokens) -> tuple[Block, ...]:
        for token in tokens:
            kind = token.type
            if kind == "text":
                if token.content:
                    self.inlines.append(Text(token.content, self.style))
            elif kind in ("softbreak", "hardbreak"):
                self.inlines.append(LineBreak())
            elif kind == "code_inline":
                self.inlines.append(Text(token.content, self._with(code=True)))
            elif kind == "math_inline":
                self.inlines.append(Maths(token.content.strip(), self.style))
            elif kind == "math_inline_double":
                self.end_paragraph()
                self.blocks.append(Paragraph((Maths(token.content.strip()),), display=True))
            elif kind == "image":
                self.end_paragraph()
                self.blocks.append(Picture(token.attrs.get("src", ""), token.content))
            elif kind.endswith("_open"):
                self.stack.append(self.style)
                self.style = self._opened(kind)
            elif kind.endswith("_close"):
                self.style = self.stack.pop() if self.stack else PLAIN
            else:  # a rule enabled later but not handled here: keep its text, never lose it
                self.inlines.append(Text(token.content or token.markup, self.style))
        self.end_paragraph()
        return tuple(self.blocks) or (Paragraph(()),)

    def _opened(self, kind: str) -> Style:
        if kind == "strong_open":
            return self._with(bold=True)
        if kind == "em_open":
            return self._with(italic=True)
        if kind == "sub_open":
            return self._with(shift="sub")
        if kind == "sup_open":
            return self._with(shift="sup")
        return self.style

    def _with(self, **changes) -> Style:
        from dataclasses import replace

        return replace(self.style, **changes)

    def end_paragraph(self) -> None:
        """Close the paragraph being built, dropping line breaks at its ends (around a picture
        or a display formula a text line ends anyway)."""
        inlines = self.inlines
        while inlines and isinstance(inlines[0], LineBreak):
            inlines.pop(0)
        while inlines and isinstance(inlines[-1], LineBreak):
            inlines.pop()
        if any(not isinstance(i, Text) or i.text.strip() for i in inlines):
            self.blocks.append(Paragraph(tuple(inlines)))
        self.inlines = []
