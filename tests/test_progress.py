"""The progress bar: on a terminal after a second, never in a pipe, and out of the way of lines."""

from __future__ import annotations

import io

from printkit import progress
from printkit.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_pipe_gets_no_bar(monkeypatch):
    clock = iter([0.0, 5.0, 10.0])
    monkeypatch.setattr(progress.time, "monotonic", lambda: next(clock))
    stream = io.StringIO()
    bar = Progress(3, stream)
    bar.advance()
    bar.advance()
    assert stream.getvalue() == ""


def test_a_terminal_gets_a_bar_only_after_a_second_and_it_is_cleared(monkeypatch):
    now = [0.0]
    monkeypatch.setattr(progress.time, "monotonic", lambda: now[0])
    stream = Terminal()
    bar = Progress(4, stream)
    now[0] = 0.5
    bar.advance()
    assert stream.getvalue() == ""  # a quick build prints nothing extra
    now[0] = 1.5
    bar.advance()
    assert stream.getvalue().endswith("] 2/4 decks")
    bar.clear()
    assert stream.getvalue().endswith("\r\033[K")
