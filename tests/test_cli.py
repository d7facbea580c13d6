"""The printkit command as a user meets it: messages, exit codes, files written and kept."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SEED_DECK

from printkit.cli import main


def is_stamp(path: Path) -> bool:
    """The record of what a PDF was built from (see printkit.freshness), not debris."""
    return path.name.startswith(".") and path.name.endswith(".printkit-stamp")


GOOD = "title: Good\ncards:\n  - question: Q\n    answer: A\n"


def test_version(run):
    result = run("--version")
    assert result.exit_code == 0
    assert result.output == "printkit, version 0.1.0\n"


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_has_help(run, command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert result.output.startswith(f"Usage: printkit {command}")


def test_build_with_no_decks_folder_says_what_to_do(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("build")
    assert result.exit_code == 1
    assert result.output == (
        "Error: there is no decks/ folder here; run printkit in a folder with decks/, or name deck files\n"
    )


def test_build_defaults_to_every_deck_in_decks(run, tmp_path, monkeypatch, write_deck):
    write_deck(GOOD, "one.yaml")
    write_deck(GOOD, "two.yml")
    monkeypatch.chdir(tmp_path)
    result = run("build", "--layout", "flashcards")
    assert result.exit_code == 0
    assert result.output == (
        "wrote output/one-flashcards.pdf (2 pages)\nwrote output/two-flashcards.pdf (2 pages)\n"
    )


def test_one_bad_deck_does_not_stop_the_others(run, tmp_path, write_deck):
    write_deck("title: Bad\ncards: []\n", "a-bad.yaml")
    write_deck(GOOD, "b-good.yaml")
    result = run("build", tmp_path / "decks", "--out", tmp_path / "out", "--layout", "flashcards")
    assert result.exit_code == 1
    assert (tmp_path / "out" / "b-good-flashcards.pdf").exists()
    assert not (tmp_path / "out" / "a-bad-flashcards.pdf").exists()
    assert f"{tmp_path / 'decks' / 'a-bad.yaml'}:2: " in result.output


def test_missing_path_is_an_error(run, tmp_path):
    result = run("build", tmp_path / "nope.yaml", "--out", tmp_path)
    assert result.exit_code == 1
    assert result.output == f"Error: {tmp_path / 'nope.yaml'}: no such deck file or folder\n"


def test_unknown_layout_is_a_usage_error_listing_the_choices(run, seed_deck, tmp_path):
    result = run("build", seed_deck, "--out", tmp_path, "--layout", "flashcard")
    assert result.exit_code == 2
    assert (
        "Invalid value for --layout: there is no layout named 'flashcard'; choose from flashcards"
        in result.output
    )


def test_unknown_option_on_the_command_line_is_a_usage_error(run, seed_deck, tmp_path):
    result = run("build", seed_deck, "--out", tmp_path, "--set", "flashcards.colums=3")
    assert result.exit_code == 2
    assert (
        "--set flashcards.colums=3: the flashcards layout has no option 'colums' (did you mean 'columns'?)"
        in result.output
    )


def test_bad_option_value_in_a_deck_names_the_line(run, tmp_path, write_deck):
    deck = write_deck(
        "title: T\noptions:\n  flashcards:\n    rows: many\ncards:\n  - question: Q\n    answer: A\n"
    )
    result = run("build", deck, "--out", tmp_path, "--layout", "flashcards")
    assert result.exit_code == 1
    assert result.output == f"Error: {deck}:4: rows must be a whole number, not 'many'\n"


def test_command_line_option_beats_the_deck(run, tmp_path, write_deck):
    import pdfplumber

    deck = write_deck(
        "title: T\noptions:\n  paper: letter\ncards:\n  - question: Q\n    answer: A\n"
    )
    run("build", deck, "--out", tmp_path, "--layout", "flashcards")
    with pdfplumber.open(tmp_path / "deck-flashcards.pdf") as pdf:
        assert float(pdf.pages[0].width) == 612
    run("build", deck, "--out", tmp_path, "--layout", "flashcards", "--paper", "a4")
    with pdfplumber.open(tmp_path / "deck-flashcards.pdf") as pdf:
        assert round(float(pdf.pages[0].width), 2) == 595.28


def test_a_failed_build_keeps_the_last_good_pdf(run, tmp_path, write_deck):
    deck = write_deck(GOOD)
    assert run("build", deck, "--out", tmp_path, "--layout", "flashcards").exit_code == 0
    good = (tmp_path / "deck-flashcards.pdf").read_bytes()
    write_deck("title: Good\ncards:\n  - question: Q\n    answer: " + "word " * 4000 + "\n")
    assert run("build", deck, "--out", tmp_path, "--layout", "flashcards").exit_code == 1
    assert (tmp_path / "deck-flashcards.pdf").read_bytes() == good
    assert sorted(p.name for p in tmp_path.iterdir() if not is_stamp(p)) == [
        "deck-flashcards.pdf",
        "decks",
    ]


def test_an_interrupted_write_leaves_the_old_file_and_no_debris(
    run, tmp_path, write_deck, monkeypatch
):
    deck = write_deck(GOOD)
    out = tmp_path / "out"
    assert run("build", deck, "--out", out, "--layout", "flashcards").exit_code == 0
    good = (out / "deck-flashcards.pdf").read_bytes()

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    result = run("build", deck, "--out", out, "--layout", "flashcards", "--paper", "letter")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {out / 'deck-flashcards.pdf'}: could not be written (No space left on device); "
        "check the disk and the folder's permissions\n"
    )
    assert (out / "deck-flashcards.pdf").read_bytes() == good
    assert [p.name for p in out.iterdir() if not is_stamp(p)] == ["deck-flashcards.pdf"]


def test_same_input_gives_the_same_bytes_across_processes(tmp_path):
    outputs = []
    for name in ("first", "second"):
        out = tmp_path / name
        subprocess.run(
            [sys.executable, "-m", "printkit", "build", str(SEED_DECK), "--out", str(out)],
            check=True,
            capture_output=True,
            cwd=tmp_path,
        )
        outputs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert outputs[0] and outputs[0] == outputs[1]


def test_the_program_ends_with_click_s_status_and_all_its_output(tmp_path):
    """`printkit` ends without tearing the interpreter down (cli.run): what it printed still
    arrives through a pipe, exit handlers still run, and the status is the one click chose."""

    def printkit(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "printkit", *args],
            capture_output=True,
            text=True,
            cwd=tmp_path,
        )

    decks = tmp_path / "decks"
    decks.mkdir()
    for name in ("one", "two", "three"):
        (decks / f"{name}.yaml").write_text(GOOD.replace("Good", name))
    # A workspace layout that prints with print() (buffered, unlike click's echo) and leaves
    # something to do at exit, as a teacher's own layout may.
    (tmp_path / "layouts").mkdir()
    (tmp_path / "layouts" / "talker.py").write_text(
        "import atexit\n"
        "DESCRIPTION = 'Talks.'\n"
        "def render(deck, options, output):\n"
        "    print('talker read', deck.title)\n"
        "    atexit.register(print, 'talker says goodbye')\n"
        "    output.document(options['paper'], title=deck.title).begin_page()\n"
    )
    talked = printkit("build", "decks/one.yaml", "--layout", "talker")
    assert talked.returncode == 0, talked.stderr
    assert talked.stdout.splitlines() == [
        "talker read one",
        "wrote output/one-talker.pdf (1 page)",
        "talker says goodbye",
    ]
    built = printkit("build", "decks", "--jobs", "2", "--layout", "flashcards")
    assert built.returncode == 0, built.stderr
    # Every line, in order, from the parent and its worker processes' results.
    lines = built.stdout.splitlines()
    assert [line for line in lines if line.startswith("wrote")] == [
        f"wrote output/{name}-flashcards.pdf (2 pages)" for name in ("one", "three", "two")
    ]
    assert sorted(p.name for p in (tmp_path / "output").glob("*-flashcards.pdf")) == [
        "one-flashcards.pdf",
        "three-flashcards.pdf",
        "two-flashcards.pdf",
    ]
    big = printkit("stocks")  # more output than one write
    assert big.returncode == 0 and big.stdout.count("\n") > 10
    assert big.stdout.endswith("\n")

    (decks / "two.yaml").write_text("title: Two\ncards: [\n")
    broken = printkit("build", "decks/two.yaml")
    assert broken.returncode == 1
    assert broken.stderr.startswith("Error: decks/two.yaml:")
    usage = printkit("build", "--no-such-option")
    assert usage.returncode == 2
    assert "Error: No such option '--no-such-option'." in usage.stderr
    assert printkit("--version").stdout.startswith("printkit, version ")


def test_layouts_lists_each_layout_with_its_options(run):
    result = run("layouts")
    assert result.exit_code == 0
    assert "flashcards: Duplex-ready flashcard sheets" in result.output
    assert "  flip (long|short, default long): duplex flip edge" in result.output
    assert "  paper (a4|letter, default a4): paper size" in result.output


def test_help_does_not_import_reportlab():
    code = "import sys; from printkit.cli import main; print('reportlab' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout == "False\n"


def test_decks_folder_path_as_argument(run, tmp_path, write_deck):
    write_deck(GOOD)
    result = run(
        "build", Path(tmp_path / "decks"), "--out", tmp_path / "o", "--layout", "flashcards"
    )
    assert result.exit_code == 0
    assert (tmp_path / "o" / "deck-flashcards.pdf").exists()


def test_a_layout_that_cannot_lay_a_deck_out_does_not_stop_the_others(run, tmp_path, write_deck):
    # 150 long cards do not fit a one-page summary even at 6 pt; everything else builds.
    answer = "A long answer with many words to read " * 4
    cards = "".join(f"  - question: Question {i}\n    answer: {answer}\n" for i in range(150))
    deck = write_deck(f"title: Big\ncards:\n{cards}")
    result = run("build", deck, "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert (
        f"Error: {deck}: the summary of “Big” (150 cards) does not fit on one page" in result.output
    )
    built = sorted(p.name for p in (tmp_path / "out").glob("*.pdf"))
    assert built == [
        "deck-answers.pdf",
        "deck-flashcards.pdf",
        "deck-quiz-key.pdf",
        "deck-quiz.pdf",
        "deck-worksheet.pdf",
    ]


def test_two_decks_with_the_same_name_are_refused_before_building(run, tmp_path, write_deck):
    first = write_deck(GOOD, "x.yaml")
    second = write_deck(GOOD.replace("Good", "Other"), "x.yml")
    result = run("build", tmp_path / "decks", "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {first} and {second} would both be printed as x-*.pdf; rename one of them\n"
    )
    assert not (tmp_path / "out").exists()


def test_deck_file_extensions_are_found_in_any_case(run, tmp_path, write_deck):
    write_deck(GOOD, "History.YAML")
    result = run("build", tmp_path / "decks", "--out", tmp_path / "out", "--layout", "flashcards")
    assert result.exit_code == 0
    assert (tmp_path / "out" / "History-flashcards.pdf").exists()


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("gap=-3mm", "--set gap=-3mm: gap cannot be negative, not '-3mm'"),
        ("card_width=0mm", "--set card_width=0mm: card_width must be more than 0mm"),
        ("handwriting=nan", "--set handwriting=nan: handwriting must be a number, not 'nan'"),
        ("question_size=inf", "--set question_size=inf: question_size must be a number, not 'inf'"),
        ("pages=x", "--set pages=x: pages must be a whole number, not 'x'"),
    ],
)
def test_bad_option_values_on_the_command_line_are_usage_errors(
    run, seed_deck, tmp_path, setting, message
):
    result = run("build", seed_deck, "--out", tmp_path, "--set", setting)
    assert result.exit_code == 2
    assert result.output.endswith(f"Error: {message}\n")
    assert result.output.count("Error:") == 1
    assert not list(tmp_path.glob("*.pdf"))


def test_characters_that_would_not_print_are_reported_with_their_card(run, tmp_path, write_deck):
    # CJK and Hebrew print (bundled script fonts); a private-use character and an Egyptian
    # hieroglyph are in no bundled font.
    deck = write_deck(
        "title: U\ncards:\n  - question: ok\n    answer: fine\n"
        '  - question: "CJK 漢字, Hebrew שלום, private \ue000 and 𓀀"\n    answer: "bell \\a"\n'
    )
    result = run("build", deck, "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {deck}:5: card 2 has U+E000, “𓀀” (U+13000): not in any bundled font "
        "(it would print as a blank box); remove or replace it\n"
        f"Error: {deck}:5: card 2 has U+0007: a control character; remove or replace it\n"
    )
    assert not list((tmp_path / "out").glob("*.pdf"))


def test_an_output_folder_that_cannot_be_written_is_said_once(run, tmp_path, write_deck):
    write_deck(GOOD, "one.yaml")
    write_deck(GOOD, "two.yaml")
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = run("build", tmp_path / "decks", "--out", blocker / "out")
    assert result.exit_code == 1
    assert result.output.count("Error:") == 1
    assert result.output.startswith(f"Error: {blocker / 'out'}: cannot write there (")
    assert result.output.endswith("; choose another folder with --out\n")


def test_the_same_deck_named_twice_is_built_once(run, tmp_path, write_deck):
    deck = write_deck(GOOD)
    result = run("build", deck, deck.resolve(), "--out", tmp_path / "out", "--layout", "flashcards")
    assert result.output.count("wrote ") == 1


@pytest.mark.parametrize("setting", ["gap", "=1"])
def test_a_malformed_set_is_a_usage_error(run, seed_deck, tmp_path, setting):
    result = run("build", seed_deck, "--out", tmp_path, "--set", setting)
    assert result.exit_code == 2
    assert result.output.endswith(
        f"Error: --set {setting}: write it as NAME=VALUE or LAYOUT.NAME=VALUE, like pages=2\n"
    )


def test_a_setting_for_one_layout_does_not_rebuild_the_others(run, tmp_path, write_deck):
    deck = write_deck(GOOD)
    out = tmp_path / "out"
    run("build", deck, "--out", out)
    result = run("build", deck, "--out", out, "--seed", "7")
    assert f"up to date {out / 'deck-flashcards.pdf'}" in result.output
    assert f"wrote {out / 'deck-worksheet.pdf'}" in result.output
