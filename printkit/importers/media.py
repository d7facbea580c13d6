"""Pictures an import brings along: copied into a folder beside the deck, or, when their file is
not there, printed as their description with one warning that lists them."""

from __future__ import annotations

import re
from collections.abc import Callable

# Anki's media names are flat file names; anything else is not copied.
_PLAIN_NAME = re.compile(r"[^/\\:\x00]+")
_PICTURE_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg")


class Pictures:
    """Finds each picture a card names with `read(name)` (its bytes, or None when absent)."""

    def __init__(self, folder: str, read: Callable[[str], bytes | None]) -> None:
        self.folder = folder  # relative to the deck file: "german-media"
        self.read = read
        self.files: dict[str, bytes] = {}  # path beside the deck → bytes
        self.missing: list[str] = []
        self.unprintable: list[str] = []

    def find(self, name: str) -> str | None:
        """The path the deck gives the picture, or None (its description is printed)."""
        path = f"{self.folder}/{name}"
        if path in self.files:
            return path
        if not _PLAIN_NAME.fullmatch(name) or name in (".", ".."):
            self._note(self.missing, name)
            return None
        if not name.lower().endswith(_PICTURE_SUFFIXES):  # a GIF or WebP cannot be printed
            data = self.read(name)
            self._note(self.missing if data is None else self.unprintable, name)
            return None
        data = self.read(name)
        if data is None:
            self._note(self.missing, name)
            return None
        self.files[path] = data
        return path

    def warnings(self, missing_advice: str) -> list[str]:
        out = []
        if self.missing:
            out.append(
                f"{_count(self.missing)} not found ({_shown(self.missing)}), so the cards print "
                f"their descriptions instead; {missing_advice}"
            )
        if self.unprintable:
            out.append(
                f"{_count(self.unprintable)} not PNG, JPEG or SVG ({_shown(self.unprintable)}), "
                "so the cards print their descriptions instead; save them as PNG to print them"
            )
        return out

    @staticmethod
    def _note(names: list[str], name: str) -> None:
        if name not in names:
            names.append(name)


def _count(names: list[str]) -> str:
    return f"{len(names)} picture" + ("s were" if len(names) != 1 else " was")


def _shown(names: list[str]) -> str:
    return ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
