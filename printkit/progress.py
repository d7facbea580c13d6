"""A progress bar for long builds: shown on a terminal after about a second, silent in a pipe."""

from __future__ import annotations

import shutil
import sys
import time
from typing import TextIO

DELAY = 1.0  # seconds before a bar appears: a quick build should print nothing extra


class Progress:
    def __init__(self, total: int, stream: TextIO | None = None, label: str = "decks") -> None:
        self.total = total
        self.done = 0
        self.label = label
        self.stream = stream or sys.stderr
        self.enabled = total > 1 and self.stream.isatty()
        self.start = time.monotonic()
        self.shown = False

    def clear(self) -> None:
        """Take the bar off the screen so a normal line can be printed in its place."""
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.shown = False

    def advance(self) -> None:
        self.done += 1
        if not self.enabled or time.monotonic() - self.start < DELAY or self.done >= self.total:
            return
        width = max(10, min(40, shutil.get_terminal_size().columns - 30))
        filled = width * self.done // self.total
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} {self.label}"
        )
        self.stream.flush()
        self.shown = True
