"""The content model: a text of a deck (a question, an answer point) as blocks of styled runs.

Every layout draws this one model, so a new kind of content (a script, a cloze gap) is added
here and in the typesetter once, not in four layouts. Frozen and hashable: the typesetter
caches measurements by content.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SHIFTS = (None, "sub", "sup")


@dataclass(frozen=True)
class Style:
    """How a run of text is set. Bold and italic choose real faces; code is monospace; a
    shift sets the run smaller, below (sub) or above (sup) the baseline."""

    bold: bool = False
    italic: bool = False
    code: bool = False
    shift: str | None = None

    def __post_init__(self) -> None:
        if self.shift not in SHIFTS:
            raise ValueError(f"shift must be one of {SHIFTS}, not {self.shift!r}")


PLAIN = Style()


@dataclass(frozen=True)
class Text:
    """A run of text in one style."""

    text: str
    style: Style = PLAIN


@dataclass(frozen=True)
class Maths:
    """A LaTeX formula set inline, at the size of the text around it."""

    latex: str
    style: Style = PLAIN


@dataclass(frozen=True)
class LineBreak:
    """A hard line break inside a paragraph."""


@dataclass(frozen=True)
class Cloze:
    """A gap of a cloze card: the hidden text (as inlines) and the hint Anki's `{{c1::…::hint}}`
    gives. Only `cloze:` texts have them; `printkit.card_content` turns each into a blank or
    into the answer in bold before typesetting, so the typesetter never sees one."""

    inlines: tuple[Text | Maths, ...]
    hint: str | None = None

    @property
    def plain_text(self) -> str:
        return "".join(i.text if isinstance(i, Text) else f"${i.latex}$" for i in self.inlines)


Inline = Text | Maths | LineBreak | Cloze


@dataclass(frozen=True)
class Paragraph:
    """Inline content that wraps as one paragraph; `display` holds a formula set on its own."""

    inlines: tuple[Inline, ...]
    display: bool = False

    @property
    def is_plain(self) -> bool:
        """Only unstyled text and line breaks: set exactly as plain text always was."""
        return all(
            isinstance(item, LineBreak) or (isinstance(item, Text) and item.style == PLAIN)
            for item in self.inlines
        )

    @property
    def plain_text(self) -> str:
        """The paragraph as text: line breaks as newlines, maths as its LaTeX between $."""
        parts = []
        for item in self.inlines:
            if isinstance(item, Text):
                parts.append(item.text)
            elif isinstance(item, Maths):
                parts.append(f"$${item.latex}$$" if self.display else f"${item.latex}$")
            elif isinstance(item, Cloze):
                parts.append(item.plain_text)
            else:
                parts.append("\n")
        return "".join(parts)


@dataclass(frozen=True)
class Picture:
    """A picture on its own line: `source` as the deck wrote it (relative to the deck file),
    `description` printed nowhere but given to the PDF as the picture's alternative text."""

    source: str
    description: str


Block = Paragraph | Picture


@dataclass(frozen=True)
class Content:
    """One text of a deck, parsed: its blocks in order. What layouts and checks ask of it
    (is it plain, its pictures, its formulas, its text) is worked out once, when it is made:
    a deck's texts are parsed once and asked many times."""

    blocks: tuple[Block, ...]
    is_plain: bool = field(init=False, compare=False)
    pictures: tuple[Picture, ...] = field(init=False, compare=False)
    formulas: tuple[str, ...] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        facts = {
            "is_plain": all(isinstance(b, Paragraph) and b.is_plain for b in self.blocks),
            "pictures": tuple(b for b in self.blocks if isinstance(b, Picture)),
            "formulas": tuple(
                item.latex
                for b in self.blocks
                if isinstance(b, Paragraph)
                for item in b.inlines
                if isinstance(item, Maths)
            ),
        }
        for name, value in facts.items():
            object.__setattr__(self, name, value)

    @property
    def plain_text(self) -> str:
        """Readable text for messages and exports: pictures by their description."""
        parts = [
            b.plain_text if isinstance(b, Paragraph) else f"[{b.description or 'picture'}]"
            for b in self.blocks
        ]
        return "\n".join(part for part in parts if part)
