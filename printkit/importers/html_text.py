"""Anki's HTML fields as deck markup: what the markup can say is kept, the rest dropped.

<b>/<strong> become **…**, <i>/<em> *…*, <code> `…`, <sub> ~…~, <sup> ^…^, MathJax's \\(…\\)
and \\[…\\] $…$ and $$…$$, and <img src alt> ![alt](src); <u>, <span> and <font> are dropped
(their text is kept); <br>, <div> and <p> become line breaks, and each <li> a line starting
with '• '. Text is escaped (escape_markup) so that "5 * 3" or "$5" print as they were.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

from printkit.content.markup import escape_markup

_BLOCKS = frozenset(
    (
        "div",
        "p",
        "ul",
        "ol",
        "li",
        "tr",
        "table",
        "blockquote",
        "pre",
        "hr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
    )
)
_SKIPPED = frozenset(("script", "style"))
_MARKS = {"b": "**", "strong": "**", "i": "*", "em": "*", "code": "`", "sub": "~", "sup": "^"}
_SPACES = re.compile(r"[ \t\n\r\f\xa0]+")  # &nbsp; too: Anki's editor writes it for a double space
_MATHS = re.compile(r"\\\((.+?)\\\)|\\\[(.+?)\\\]", re.DOTALL)
# Characters a picture's path cannot hold bare in ![alt](path): it goes in <…> then.
_PATH_NEEDS_BRACKETS = re.compile(r"[\s()<>\\]")


class _Markup(str):
    """Markup written as it is (a picture), never escaped."""


@dataclass
class _Span:
    """What is inside one formatting tag ("" for a whole line): HTML text, markup, spans."""

    tag: str
    parts: list[str | _Span] = field(default_factory=list)


# Where a picture's file is, given its name in the field: a path for ![…](path), or None when
# the file is absent (the picture's description is printed instead).
PictureFinder = Callable[[str], "str | None"]


class _Collector(HTMLParser):
    def __init__(self, find_picture: PictureFinder | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.find_picture = find_picture
        self.lines: list[str] = []
        self.open: list[_Span] = [_Span("")]  # the line, then the tags open in it
        self.skipping = 0
        self.pictures: list[str] = []

    def end_line(self) -> None:
        """Write the line, closing the tags open in it and opening them again on the next."""
        tags = [span.tag for span in self.open[1:]]
        while len(self.open) > 1:
            self.open.pop()
        line = _line_markup(self.open[0])
        if line and line != "•":
            self.lines.append(line)
        self.open = [_Span("")] + [_Span(tag) for tag in tags]
        for parent, child in zip(self.open, self.open[1:], strict=False):
            parent.parts.append(child)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag == "br" or tag in _BLOCKS:
            self.end_line()
            if tag == "li":
                self.open[0].parts.append("• ")
        elif tag in _MARKS:
            span = _Span(_MARKS[tag])
            self.open[-1].parts.append(span)
            self.open.append(span)
        elif tag == "img":
            values = dict(attrs)
            # Anki's media are flat file names: a path that leaves the deck's folder (absolute,
            # "..", a URL) in someone else's export is kept as its bare file name.
            source = _media_name((values.get("src") or "").strip())
            if source:
                self.pictures.append(source)
                path = self.find_picture(source) if self.find_picture else source
                description = values.get("alt") or ""
                if path is None:  # printed as words: the description, else the file's name
                    words = _SPACES.sub(" ", description).strip() or f"(picture: {source})"
                    self.open[-1].parts.append(f" {words} ")
                else:
                    self.open[-1].parts.append(_picture(description, path))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in _MARKS:  # <b/> opens nothing
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS:
            self.end_line()
        elif tag in _MARKS:
            tags = [span.tag for span in self.open[1:]]
            if _MARKS[tag] in tags:  # a stray closing tag closes nothing
                while self.open.pop().tag != _MARKS[tag]:
                    pass

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.open[-1].parts.append(_SPACES.sub(" ", data))


def html_to_markup(html: str, find_picture: PictureFinder | None = None) -> tuple[str, list[str]]:
    """The markup of an HTML field, lines joined by '\\n', and the pictures it names.

    `find_picture` says where each picture's file is (by default: its name, beside the deck).
    """
    if "<" not in html and "&" not in html:
        line = _SPACES.sub(" ", html).strip()
        return _line_markup(_Span("", [line])), []
    collector = _Collector(find_picture)
    collector.feed(html)
    collector.close()
    collector.end_line()
    return "\n".join(collector.lines), collector.pictures


def _line_markup(line: _Span) -> str:
    """A line as markup. A line of plain text is escaped as a whole, as few characters as can
    be; beside markup, each text is escaped so that nothing in it pairs with that markup."""
    if all(isinstance(part, str) and not isinstance(part, _Markup) for part in line.parts):
        text = _SPACES.sub(" ", "".join(line.parts)).strip()  # type: ignore[arg-type]
        if not _MATHS.search(text):
            return escape_markup(text)
    return re.sub(" {2,}", " ", _render(line.parts)).strip()


def _render(parts: list[str | _Span]) -> str:
    out = []
    for part in parts:
        if isinstance(part, _Span):
            out.append(_code(part) if part.tag == "`" else _wrapped(part))
        elif isinstance(part, _Markup):
            out.append(part)
        else:
            out.append(_text_and_maths(part))
    return "".join(out)


def _text_and_maths(text: str) -> str:
    out, start = [], 0
    for match in _MATHS.finditer(text):
        out.append(escape_markup(text[start : match.start()], whole=False))
        inline, display = match.group(1), match.group(2)
        latex = (inline if display is None else display).strip()
        if latex:
            out.append(f"${latex}$" if display is None else f"$${latex}$$")
        start = match.end()
    out.append(escape_markup(text[start:], whole=False))
    return "".join(out)


def _wrapped(span: _Span) -> str:
    """**bold** and the like around a span's markup; spaces at its ends go outside the marks,
    where Markdown needs them ("** a**" is not bold)."""
    inner = _render(span.parts)
    core = inner.strip(" ")
    if not core:
        return inner
    if span.tag in "~^":  # a space inside H~2~O-style marks is written "\ "
        core = core.replace(" ", "\\ ")
    lead, trail = inner[: len(inner) - len(inner.lstrip(" "))], inner[len(inner.rstrip(" ")) :]
    return f"{lead}{span.tag}{core}{span.tag}{trail}"


def _code(span: _Span) -> str:
    """`code`: its text as typed (a backslash does not escape in code); fenced with more
    backticks than it holds in a row, padded with spaces if it starts or ends with one."""
    text = _SPACES.sub(" ", _plain(span)).strip()
    if not text:
        return ""
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _plain(span: _Span) -> str:
    return "".join(
        _plain(part) if isinstance(part, _Span) else part
        for part in span.parts
        if not isinstance(part, _Markup)
    )


def _picture(description: str, source: str) -> _Markup:
    description = _SPACES.sub(" ", re.sub(r"[\[\]\\]", "", description)).strip()
    if _PATH_NEEDS_BRACKETS.search(source):
        source = "<" + re.sub(r"([<>\\])", r"\\\1", source) + ">"
    return _Markup(f"![{description}]({source})")


def _media_name(source: str) -> str:
    """`source` if it is a plain relative path inside the folder, else its last part."""
    parts = source.replace("\\", "/").split("/")
    if source.startswith(("/", "\\")) or ":" in source or ".." in parts:
        return parts[-1] if parts[-1] not in ("", "..") else ""
    return source
