"""Reading a deck's text as Markdown-style markup into the content model.

Inline syntax only, the part people know from Markdown, Obsidian and Quizlet: **bold**,
*italic* / _italic_, `code`, H~2~O, x^2^, $maths$ (and $$display maths$$), ![description](path)
and a backslash before a character to print it as itself. Block syntax (headings, quotes,
numbered lists) is not read: "1939. Pact" or "# of votes" in a card must print as typed.
With markup off (`markup: plain`) a text is one plain paragraph, exactly as typed.
"""

from __future__ import annotations

from functools import lru_cache

from printkit.content.cloze import Gap, split_cloze
from printkit.content.model import (
    PLAIN,
    Block,
    Cloze,
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
    # A picture's path is a file name, not a URL: keep it as typed ("héart.png", "my pic.png"),
    # not percent-encoded as a link would be.
    md.normalizeLink = lambda url: url
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


# What a backslash escapes (CommonMark's ASCII punctuation): a typed backslash before one of
# these, or before a line break, must itself be escaped to print.
_ESCAPABLE = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~\n")
_SPACES = frozenset(" \t\n")


def escape_markup(text: str, *, whole: bool = True) -> str:
    """`text` written so that `parse` reads it back exactly as typed, with as few backslashes
    as can be: "5 * 3 = 15", "costs $5" and "snake_case" stay as they are.

    A character is escaped only when it could open markup that something later closes:
    - `*` or `_` unless spaces (or the text's ends) are on both sides, or a `_` is inside a word;
    - `~`, `^` or `$` followed by a character other than a space, a `$` only when a later one
      could close a formula (not after a space, not before a digit);
    - and each of those, and a backtick, only when the same character comes again later;
    - `!` before `[` (a picture), and a backslash before a punctuation mark or a line break.
    With `whole` False, `text` is a part placed next to other markup (an importer building
    **bold** around it): its ends are not spaces, and a character there may pair with markup
    outside it, so every one that could is escaped.
    """
    out = []
    for index, char in enumerate(text):
        if char in _MARKUP_CHARACTERS and _needs_escape(text, index, whole):
            out.append("\\")
        out.append(char)
    return "".join(out)


def _needs_escape(text: str, index: int, whole: bool) -> bool:
    char = text[index]
    edge = " " if whole else "*"  # outside the text: a space, or markup (a mark, no space)
    before = text[index - 1] if index else edge
    after = text[index + 1] if index + 1 < len(text) else edge
    if char == "\\":
        return not whole or after in _ESCAPABLE
    if char == "!":
        return after == "["
    if whole and char not in text[index + 1 :]:
        return False  # nothing later can close it (openers before it are escaped)
    if char in "*_":
        run_start, run_end = index, index
        while run_start > 0 and text[run_start - 1] == char:
            run_start -= 1
        while run_end + 1 < len(text) and text[run_end + 1] == char:
            run_end += 1
        outside = (
            text[run_start - 1] if run_start else edge,
            text[run_end + 1] if run_end + 1 < len(text) else edge,
        )
        if all(c in _SPACES for c in outside):
            return False  # "5 * 3": a mark between spaces is no emphasis
        return not (char == "_" and before.isalnum() and after.isalnum())  # snake_case
    if char == "$" and whole and after not in _SPACES:
        return any(_may_close_maths(text, later) for later in range(index + 1, len(text)))
    if char in "~^$":
        return after not in _SPACES
    return True  # a backtick


def _may_close_maths(text: str, index: int) -> bool:
    """A `$` after no space and before no digit: "$5, or $10" is money, "$x$" maths."""
    after = text[index + 1 : index + 2]
    return text[index] == "$" and text[index - 1] not in _SPACES and not after.isdigit()


def may_have_markup(text: str) -> bool:
    """False when no character of `text` can start markup: it is plain, no parsing needed.
    Written out: eight substring searches in C are several times faster than a set test,
    and every text of every deck goes through here."""
    return (
        "*" in text
        or "_" in text
        or "`" in text
        or "~" in text
        or "^" in text
        or "$" in text
        or "!" in text
        or "\\" in text
    )


# Characters the typesetter would print as a glyph where the reader expects none: a soft
# hyphen (a hint where a word may break; printkit breaks long words by characters instead,
# so it is dropped rather than printed as a hyphen mid-line), and spaces the fonts draw as boxes.
_FOR_PRINT = str.maketrans({"\u00ad": None, "\u3000": " ", "\u1680": " "})


def for_print(text: str) -> str:
    """A deck text as it is typeset: soft hyphens dropped, and ideographic and ogham spaces as
    spaces (`parse` itself keeps every character, for exports and escaping)."""
    return text.translate(_FOR_PRINT) if not text.isascii() else text


@lru_cache(maxsize=16_384)
def parse(text: str, markup: bool = True) -> Content:
    """The content of one deck text; with `markup` False, the text exactly as typed."""
    if not markup or not may_have_markup(text):
        return plain(text)
    tokens = _parser().parseInline(text)
    children = tokens[0].children or [] if tokens else []
    return Content(_Builder().build(children))


@lru_cache(maxsize=4096)
def parse_cloze(text: str, markup: bool = True) -> Content:
    """A cloze card's sentence (checked by the deck) as one paragraph with a `Cloze` inline for
    each gap. Markup is read inside each part and each gap on its own, so bold cannot span a
    gap's edge; pictures and display formulas have no place in a sentence with gaps."""
    inlines: list[Inline] = []
    for part in split_cloze(text):
        if isinstance(part, Gap):
            runs = _sentence_inlines(part.answer, markup)
            hidden = tuple(i for i in runs if isinstance(i, Text | Maths))
            inlines.append(Cloze(hidden, part.hint))
        else:
            inlines.extend(_sentence_inlines(part, markup))
    return Content((Paragraph(tuple(inlines)),))


def _sentence_inlines(text: str, markup: bool) -> list[Inline]:
    """The inlines of a piece of a sentence, keeping the spaces at its ends (the parser drops
    them, and they separate the piece from the gap next to it)."""
    core = text.strip()
    inlines: list[Inline] = [Text(text[: len(text) - len(text.lstrip())])] if core else [Text(text)]
    for block in parse(core, markup).blocks if core else ():
        if isinstance(block, Paragraph):
            inlines.extend(block.inlines)
    if core:
        inlines.append(Text(text[len(text.rstrip()) :]))
    return [i for i in inlines if not (isinstance(i, Text) and not i.text)]


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
