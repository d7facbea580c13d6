"""Inputs an attack on printkit broke (issue 14): each is refused cleanly or printed right."""

from __future__ import annotations

import pytest

INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u200e", "\u2060", "\u2061", "\u034f", "\ufe0f"]


@pytest.mark.parametrize("char", INVISIBLE, ids=lambda c: f"U+{ord(c):04X}")
def test_a_text_of_invisible_characters_is_refused_like_a_blank_one(run, write_deck, char):
    deck = write_deck(
        "title: Invisible\ncards:\n"
        f'  - question: "{char}{char}"\n    answer: Fine\n'
        f'  - question: Fine\n    answer: " {char} "\n'
        f'  - question: Fine\n    answer:\n      - Point\n      - "{char}"\n'
    )
    result = run("build", deck, "--out", deck.parent.parent / "output")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {deck}:3: the question of card 1 is blank; write it after question:\n"
        f"Error: {deck}:6: the answer of card 2 is blank; write it after answer:\n"
        f"Error: {deck}:10: point 2 of the answer of card 3 is blank; write it or remove its '-'\n"
    )


def two_deck_workspace(tmp_path, monkeypatch, layouts: dict[str, str]):
    (tmp_path / "decks").mkdir()
    (tmp_path / "layouts").mkdir()
    for stem in ("a", "b"):
        (tmp_path / "decks" / f"{stem}.yaml").write_text(
            f"title: Deck {stem}\ncards:\n  - question: Q\n    answer: A\n", encoding="utf-8"
        )
    for name, code in layouts.items():
        (tmp_path / "layouts" / f"{name}.py").write_text(code, encoding="utf-8")
    monkeypatch.chdir(tmp_path)


GOOD = "DESCRIPTION = 'fine'\n\ndef render(deck, options, output):\n    output.document(options['paper']).begin_page()\n"
FAILS_ON_A = (
    "import sys\nDESCRIPTION = 'fails on deck a'\n\ndef render(deck, options, output):\n"
    "    output.document(options['paper']).begin_page()\n"
    "    if deck.stem == 'a':\n        {action}\n"
)


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize(
    ("action", "what"),
    [("1 / 0", "ZeroDivisionError: division by zero"), ("sys.exit(3)", "it called sys.exit(3)")],
)
def test_a_layout_that_fails_on_one_deck_stops_nothing_else(
    run, tmp_path, monkeypatch, jobs, action, what
):
    two_deck_workspace(
        tmp_path, monkeypatch, {"good": GOOD, "boom": FAILS_ON_A.format(action=action)}
    )
    result = run(
        "build", "--jobs", jobs, "--layout", "boom", "--layout", "good", "--layout", "summary"
    )
    assert result.exit_code == 1
    assert result.output == (
        f"Error: layouts/boom.py:7: the boom layout failed on decks/a.yaml: {what}; "
        "fix the layout file or build without it\n"
        "wrote output/a-good.pdf (1 page)\n"
        "wrote output/a-summary.pdf (1 page)\n"
        "wrote output/b-boom.pdf (1 page)\n"
        "wrote output/b-good.pdf (1 page)\n"
        "wrote output/b-summary.pdf (1 page)\n"
    )


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (
            "DESCRIPTION = 'x'\nOPTIONS = 3\n\ndef render(deck, options, output):\n    pass\n",
            "layouts/bad.py:2: OPTIONS must be a tuple of printkit.options.Option",
        ),
        (  # one Option without the comma that makes a tuple of it (an Option is a named tuple)
            "from printkit.options import Option\nDESCRIPTION = 'x'\n"
            "OPTIONS = (Option('rounds', 3, 'tick boxes', kind='int'))\n\n"
            "def render(deck, options, output):\n    pass\n",
            "layouts/bad.py:3: OPTIONS must be a tuple of printkit.options.Option",
        ),
        (
            "DESCRIPTION = 'x'\nimport no_such_module_here\n",
            "layouts/bad.py:2: this layout failed to load: ModuleNotFoundError: "
            "No module named 'no_such_module_here'",
        ),
        (
            "import sys\nsys.exit(0)\n",
            "layouts/bad.py:2: this layout failed to load: it called sys.exit(0)",
        ),
    ],
)
def test_a_layout_that_cannot_load_is_reported_and_the_rest_still_built(
    run, tmp_path, monkeypatch, code, message
):
    two_deck_workspace(tmp_path, monkeypatch, {"bad": code, "good": GOOD})
    result = run("build", "--layout", "good", "--layout", "bad")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith(f"Error: {message}")
    assert lines[1:] == ["wrote output/a-good.pdf (1 page)", "wrote output/b-good.pdf (1 page)"]
    # Without custom layouts it is never run, and the built-ins build as usual.
    result = run("build", "--no-custom-layouts", "--layout", "summary")
    assert result.exit_code == 0
    assert (
        result.output
        == "wrote output/a-summary.pdf (1 page)\nwrote output/b-summary.pdf (1 page)\n"
    )


def test_a_layout_cannot_write_outside_the_output_folder(run, tmp_path, monkeypatch):
    code = (
        "DESCRIPTION = 'escapes'\n\ndef render(deck, options, output):\n"
        "    output.document(options['paper'], suffix='../../escaped').begin_page()\n"
    )
    two_deck_workspace(tmp_path, monkeypatch, {"escape": code})
    result = run("build", "decks/a.yaml", "--layout", "escape")
    assert result.exit_code == 1
    assert "a suffix is letters, digits, '-' and '_' only" in result.output
    assert not list(tmp_path.rglob("*escaped*"))


def test_export_anki_never_overwrites_a_file_without_force(run, tmp_path, seed_deck):
    target = tmp_path / "precious.yaml"
    target.write_text("title: Mine\n", encoding="utf-8")
    result = run("export", "anki", seed_deck, "-o", target)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {target} already exists, so nothing was written; use --force to overwrite, "
        "or choose another file with -o\n"
    )
    assert target.read_text(encoding="utf-8") == "title: Mine\n"
    assert run("export", "anki", seed_deck, "-o", target, "--force").exit_code == 0
    assert target.read_bytes().startswith(b"PK")


def anki_ids(path, tmp_path) -> tuple[list, list]:
    import sqlite3
    import zipfile

    database = tmp_path / f"{path.stem}.anki2"
    with zipfile.ZipFile(path) as archive:
        database.write_bytes(archive.read("collection.anki2"))
    connection = sqlite3.connect(database)
    try:
        notes = connection.execute("SELECT id, guid FROM notes ORDER BY id").fetchall()
        cards = connection.execute("SELECT id, nid, did FROM cards ORDER BY id").fetchall()
    finally:
        connection.close()
    return notes, cards


def test_anki_ids_belong_to_the_deck_and_not_to_the_file_date(run, tmp_path):
    import os

    text = "title: Vocabulary\nsubject: {subject}\ncards:\n  - question: house\n    answer: A\n"
    french, german = tmp_path / "french.yaml", tmp_path / "german.yaml"
    french.write_text(text.format(subject="French"), encoding="utf-8")
    german.write_text(text.format(subject="German"), encoding="utf-8")
    run("export", "anki", french, "-o", tmp_path / "french.apkg")
    run("export", "anki", german, "-o", tmp_path / "german.apkg")
    french_notes, _ = anki_ids(tmp_path / "french.apkg", tmp_path)
    german_notes, _ = anki_ids(tmp_path / "german.apkg", tmp_path)
    assert {guid for _, guid in french_notes}.isdisjoint(guid for _, guid in german_notes)

    before = anki_ids(tmp_path / "french.apkg", tmp_path)
    os.utime(french, (1_700_000_000, 1_700_000_000))  # `touch`: no id may change
    run("export", "anki", french, "-o", tmp_path / "french.apkg", "--force")
    assert anki_ids(tmp_path / "french.apkg", tmp_path) == before


def test_every_numeric_option_of_the_built_in_layouts_has_a_maximum():
    from printkit.layout_loader import available_layouts

    unbounded = [
        f"{layout.name}.{option.name}"
        for layout in available_layouts().values()
        for option in layout.options
        if option.kind in ("int", "number", "length")
        and option.maximum is None
        and option.check is None
    ]
    assert unbounded == []


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("summary.pages=999999999999", "pages must be at most 20, not '999999999999'"),
        ("seed=99999999999999999999", "seed must be at most 999999999, not '99999999999999999999'"),
        ("gap=1000000mm", "gap must be at most 30mm, not '1000000mm'"),
        ("card_width=5000mm", "card_width must be at most 300mm, not '5000mm'"),
    ],
)
def test_a_huge_number_is_refused_at_once(run, tmp_path, seed_deck, setting, message):
    result = run("build", seed_deck, "--out", tmp_path, "--set", setting)
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == f"Error: --set {setting}: {message}"


def test_a_deck_far_too_big_is_refused_before_it_is_read(run, write_deck):
    from printkit.deck import MAX_DECK_BYTES

    card = "  - question: Q\n    answer: A\n"
    deck = write_deck("title: Huge\ncards:\n" + card * (MAX_DECK_BYTES // len(card) + 1))
    result = run("build", deck, "--out", deck.parent.parent / "output")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {deck}: this deck is 20 MB, more than the 20 MB a deck may hold; "
        "split it into several decks\n"
    )


def test_a_text_far_too_long_is_refused_at_its_line(run, write_deck):
    deck = write_deck(
        "title: Long\ncards:\n  - question: Q\n    answer: A\n"
        f"  - question: Q2\n    answer: {'word ' * 5000}\n"
    )
    result = run("build", deck, "--out", deck.parent.parent / "output")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {deck}:6: this text is 24,999 characters long, more than the 20,000 a card "
        "may hold; shorten it or split it into several cards\n"
    )


def test_ctrl_c_exits_130_naming_the_pdfs_written(run, tmp_path, seed_deck, monkeypatch):
    import printkit.build
    from printkit.build import DeckResult, Written

    def interrupted(request, deck_paths, jobs=1):
        yield DeckResult(deck_paths[0], [Written(tmp_path / "done-flashcards.pdf", 2)])
        raise KeyboardInterrupt

    monkeypatch.setattr(printkit.build, "build_decks", interrupted)
    result = run("build", seed_deck, seed_deck.parent, "--out", tmp_path)
    assert result.exit_code == 130
    assert result.output == (
        f"wrote {tmp_path}/done-flashcards.pdf (2 pages)\n"
        f"Interrupted; the PDFs written before: {tmp_path}/done-flashcards.pdf\n"
    )


def test_a_build_removes_the_temporary_files_a_killed_build_left(run, tmp_path, seed_deck):
    out = tmp_path / "output"
    out.mkdir()
    dead = out / ".stalin-foreign-policy-summary.pdf.999999999.k2j3h4.tmp"
    notes = out / ".my-notes.tmp"  # not printkit's: kept
    dead.write_bytes(b"%PDF-half")
    notes.write_text("mine")
    assert run("build", seed_deck, "--out", out, "--layout", "summary").exit_code == 0
    assert not dead.exists() and notes.exists()
    assert [p.name for p in out.glob(".*.tmp")] == [".my-notes.tmp"]


def test_the_temporary_file_a_killed_writer_leaves_is_removed_by_the_next_build(
    tmp_path, monkeypatch
):
    import os

    from printkit import output

    monkeypatch.setattr(os, "getpid", lambda: 999999999)  # a process long gone
    fd, name = output._open_temporary(tmp_path / "out", "deck-summary.pdf")  # folder made
    os.close(fd)
    monkeypatch.undo()
    assert os.stat(name).st_mode & 0o777 == 0o600
    fd, mine = output._open_temporary(tmp_path / "out", "deck-summary.pdf")  # this process's
    os.close(fd)
    assert [str(p) for p in output.remove_leftovers(tmp_path / "out")] == [name]
    assert [str(p) for p in (tmp_path / "out").iterdir()] == [mine]


def test_killing_a_parallel_build_also_ends_its_workers(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    (tmp_path / "decks").mkdir()
    (tmp_path / "layouts").mkdir()
    for stem in ("a", "b"):
        (tmp_path / "decks" / f"{stem}.yaml").write_text(
            "title: T\ncards:\n  - question: Q\n    answer: A\n", encoding="utf-8"
        )
    (tmp_path / "layouts" / "slow.py").write_text(
        "import os, time\nDESCRIPTION = 'slow'\n\ndef render(deck, options, output):\n"
        f"    open(os.path.join({str(tmp_path)!r}, deck.stem + '.pid'), 'w').write(str(os.getpid()))\n"
        "    time.sleep(60)\n",
        encoding="utf-8",
    )
    build = subprocess.Popen(
        [sys.executable, "-m", "printkit", "build", "-j", "2", "--layout", "slow"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    pid_files = [tmp_path / "a.pid", tmp_path / "b.pid"]
    deadline = time.monotonic() + 30
    while not all(p.exists() and p.read_text() for p in pid_files):
        assert time.monotonic() < deadline, "the workers never started"
        time.sleep(0.1)
    workers = [int(p.read_text()) for p in pid_files]
    build.send_signal(signal.SIGKILL)
    build.wait()
    deadline = time.monotonic() + 10
    for worker in workers:
        while True:
            try:
                os.kill(worker, 0)
            except ProcessLookupError:
                break
            if time.monotonic() > deadline:
                os.kill(worker, signal.SIGKILL)
                pytest.fail("a worker outlived the killed build")
            time.sleep(0.1)


@pytest.mark.parametrize("markup", ["markdown", "plain"])
def test_soft_hyphens_do_not_print_and_unusual_spaces_print_as_spaces(
    run, write_deck, tmp_path, markup
):
    import pdfplumber

    deck = write_deck(
        f"title: Spaces\noptions:\n  markup: {markup}\ncards:\n"
        '  - question: "Donau\\u00addampf\\u00adschiff"\n'
        '    answer: "left\\u3000middle\\u1680right"\n'
    )
    assert run("build", deck, "--out", tmp_path, "--layout", "summary").exit_code == 0
    with pdfplumber.open(tmp_path / "deck-summary.pdf") as pdf:
        chars = "".join(c["text"] for c in pdf.pages[0].chars)
    assert "Donaudampfschiff" in chars and "left middle right" in chars
    assert not {"\u00ad", "-", "\u3000", "\u1680"} & set(chars)
