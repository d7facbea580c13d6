"""JSON for the small records a build keeps (freshness stamps), without importing json.

Importing json costs a cold build about 2 ms, most of it compiling its regular expressions,
for a few hundred bytes of stamps. Values made of dicts, lists, ints, None and plain text (ASCII
that JSON writes as it is) are written and read here, exactly as json writes them; anything else
(an escape, a float, true) goes to the json module, which is then imported.
"""

from __future__ import annotations

from typing import Any

_WHITESPACE = " \t\n\r"  # JSON's own


def dumps(value: Any) -> str:
    """json.dumps(value), with its default separators."""
    text = _plain(value)
    if text is None:
        import json

        text = json.dumps(value)
    return text


def loads(text: str) -> Any:
    """json.loads(text); ValueError for text that is not JSON."""
    if "\\" not in text:  # no escapes: most likely what dumps wrote
        reader = _Reader(text)
        try:
            value = reader.value()
            reader.skip_whitespace()
            if reader.at == len(text):
                return value
        except ValueError:
            pass  # not JSON as written here: json says what it is
    import json

    return json.loads(text)


def _plain(value: Any) -> str | None:
    """The JSON of value when it holds nothing that json would escape or write otherwise."""
    kind = value.__class__
    if kind is str:
        plain = value.isascii() and value.isprintable() and '"' not in value and "\\" not in value
        return f'"{value}"' if plain else None
    if kind is int:
        return str(value)
    if value is None:
        return "null"
    if kind is list or kind is tuple:
        items = [_plain(item) for item in value]
        return None if None in items else "[" + ", ".join(items) + "]"  # type: ignore[arg-type]
    if kind is dict:
        pairs = [
            (_plain(key) if key.__class__ is str else None, _plain(v)) for key, v in value.items()
        ]
        if any(key is None or v is None for key, v in pairs):
            return None
        return "{" + ", ".join(f"{key}: {v}" for key, v in pairs) + "}"
    return None


class _Reader:
    """Objects, arrays, strings without escapes, integers and null; the rest is refused."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0

    def skip_whitespace(self) -> None:
        text, at = self.text, self.at
        while at < len(text) and text[at] in _WHITESPACE:
            at += 1
        self.at = at

    def value(self) -> Any:
        self.skip_whitespace()
        text, at = self.text, self.at
        char = text[at : at + 1]
        if char == '"':
            end = text.find('"', at + 1)
            if end < 0:
                raise ValueError(f"unterminated string at {at}")
            string = text[at + 1 : end]
            if not string.isprintable() and any(c < " " for c in string):
                raise ValueError(f"control character in a string at {at}")
            self.at = end + 1
            return string
        if char == "[":
            return self._items("]", self.value)
        if char == "{":
            return dict(self._items("}", self._pair))
        if char and char in "-0123456789":
            end = at + 1
            while end < len(text) and text[end] in "0123456789":
                end += 1
            digits = text[at:end].lstrip("-")
            if (
                not digits
                or (digits[0] == "0" and len(digits) > 1)
                or text[end : end + 1] in (".", "e", "E")
            ):
                raise ValueError(f"not an integer as JSON writes one at {at}")
            self.at = end
            return int(text[at:end])
        if text.startswith("null", at):
            self.at = at + 4
            return None
        raise ValueError(f"unexpected {char!r} at {at}")

    def _pair(self) -> tuple[str, Any]:
        key = self.value()
        if key.__class__ is not str:
            raise ValueError(f"a key that is not text before {self.at}")
        self._expect(":")
        return key, self.value()

    def _items(self, close: str, item) -> list:
        self.at += 1  # the opening bracket
        self.skip_whitespace()
        found: list = []
        if self.text[self.at : self.at + 1] == close:
            self.at += 1
            return found
        while True:
            found.append(item())
            self.skip_whitespace()
            char = self.text[self.at : self.at + 1]
            self.at += 1
            if char == close:
                return found
            if char != ",":
                raise ValueError(f"expected ',' or {close!r} at {self.at - 1}")

    def _expect(self, char: str) -> None:
        self.skip_whitespace()
        if self.text[self.at : self.at + 1] != char:
            raise ValueError(f"expected {char!r} at {self.at}")
        self.at += 1
