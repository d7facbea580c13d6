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
