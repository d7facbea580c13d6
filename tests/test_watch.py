"""`printkit watch`: build every deck, then one line per rebuild when a deck is saved."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from printkit.serve.previews import Choices
from printkit.serve.run import watch
from printkit.workspace import init_workspace


def wait_for(capsys, text: str, seen: list[str], timeout: float = 5) -> str:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        out, err = capsys.readouterr()
        seen.append(out + err)
        if text in "".join(seen):
            return "".join(seen)
        time.sleep(0.05)
    raise AssertionError(f"{text!r} not printed; printed: {''.join(seen)!r}")


@pytest.fixture
def watched(tmp_path, monkeypatch, capsys) -> Iterator[list[str]]:
    """`printkit watch --layout flashcards` in a new workspace (the current folder) for the
    test, once it says it is watching; yields what it has printed so far."""
    init_workspace(tmp_path)
    monkeypatch.chdir(tmp_path)
    stop = threading.Event()
    thread = threading.Thread(
        target=watch, args=(Path("output"), Choices(layout="flashcards"), True, stop), daemon=True
    )
    thread.start()
    try:
        seen: list[str] = []
        wait_for(capsys, "Watching", seen)
        yield seen
    finally:
        stop.set()
        thread.join(5)
    assert not thread.is_alive()


def test_watch_rebuilds_a_saved_deck_and_says_so_in_builds_words(tmp_path, capsys, watched):
    seen = watched
    assert "built decks/example.yaml: 1 PDF, 2 pages in output/" in "".join(seen)
    pdf = tmp_path / "output" / "example-flashcards.pdf"
    first = pdf.read_bytes()

    deck = tmp_path / "decks" / "example.yaml"
    deck.write_text(deck.read_text().replace("    answer: The sun.", "    anwser: The sun."))
    seen.clear()
    text = wait_for(capsys, "Error:", seen)
    line = deck.read_text().splitlines().index("    anwser: The sun.") + 1
    assert text.splitlines() == [
        f"Error: decks/example.yaml:{line}: unknown key 'anwser' in card 5; did you mean 'answer'?"
    ]
    assert pdf.read_bytes() == first  # the last good PDF stays

    deck.write_text(deck.read_text().replace("anwser", "answer").replace("sun.", "Sun."))
    seen.clear()
    text = wait_for(capsys, "built decks/example.yaml", seen)
    assert text.strip().splitlines() == ["built decks/example.yaml: 1 PDF, 2 pages in output/"]
    assert pdf.read_bytes() != first


def test_watch_rebuilds_every_deck_when_the_printer_profiles_change(tmp_path, capsys, watched):
    seen = watched
    pdf = tmp_path / "output" / "example-flashcards.pdf"
    first = pdf.read_bytes()

    profiles = tmp_path / "printkit.yaml"
    profiles.write_text("printer: office\nprinters:\n  office:\n    back_offset: 3,0\n")
    seen.clear()
    text = wait_for(capsys, "built decks/example.yaml", seen)
    assert text.strip().splitlines() == ["built decks/example.yaml: 1 PDF, 2 pages in output/"]
    assert pdf.read_bytes() != first  # the backs moved 3 mm

    profiles.write_text("printers:\n  office:\n    flip: sideways\n")
    seen.clear()
    text = wait_for(capsys, "Error:", seen)
    assert text.strip().splitlines() == [
        "Error: printkit.yaml:3: flip must be one of long, short, not 'sideways'"
    ]


def test_serve_says_at_once_when_its_port_is_taken(tmp_path, monkeypatch, run):
    import socket

    init_workspace(tmp_path)
    monkeypatch.chdir(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("serve", "--port", port)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: cannot listen on 127.0.0.1:{port} (Address already in use); "
        "choose another --port\n"
    )
    assert not (tmp_path / "output" / "example-flashcards.pdf").exists()  # nothing was built


def test_serve_and_watch_need_a_workspace(tmp_path, monkeypatch, run):
    monkeypatch.chdir(tmp_path)
    for command in ("serve", "watch"):
        result = run(command)
        assert result.exit_code == 1
        assert result.output == (
            f"Error: there is no decks/ folder here; run printkit {command} in a workspace "
            "(printkit init makes one)\n"
        )
    assert list(tmp_path.iterdir()) == []  # not even an output folder


def test_watch_refuses_a_wrong_option_before_watching(tmp_path, monkeypatch, run):
    init_workspace(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = run("watch", "--set", "pagez=2")
    assert result.exit_code == 2
    assert "Error: --set pagez=2: no layout has an option 'pagez' (did you mean 'pages'?)" in (
        result.output
    )
