"""Anki's HTML fields as plain text: line breaks and list points kept, formatting dropped.

A deck has no bold or italics, so <b>, <i>, <u>, <span> and <font> are dropped (their text is
kept); <br>, <div> and <p> become line breaks, and each <li> a line starting with '• '.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

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
_SPACES = re.compile(r"[ \t\n\r\f\xa0]+")  # &nbsp; too: Anki's editor writes it for a double space


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.skipping = 0
        self.images = 0

    def end_line(self) -> None:
        line = _SPACES.sub(" ", "".join(self.current)).strip()
        if line and line != "•":
            self.lines.append(line)
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag == "br" or tag in _BLOCKS:
            self.end_line()
            if tag == "li":
                self.current.append("• ")
        elif tag == "img":
            self.images += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS:
            self.end_line()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.current.append(data)


def html_to_text(html: str) -> tuple[str, int]:
    """The text of an HTML field, lines joined by '\\n', and how many images were left out."""
    if "<" not in html and "&" not in html:
        return _SPACES.sub(" ", html).strip(), 0
    collector = _Collector()
    collector.feed(html)
    collector.close()
    collector.end_line()
    return "\n".join(collector.lines), collector.images
