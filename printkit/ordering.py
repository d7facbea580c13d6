"""Question orders for a class set: the deck order, one seeded shuffle, or versions A, B, C….

Shared by the worksheet and the answer key so that a key always matches its worksheet.
"""

import math
import random
import string
from collections.abc import Mapping
from typing import Any, NamedTuple

from printkit.deck import Card, Deck
from printkit.errors import OptionError, Problem
from printkit.options import Option

# Used when versions are asked for without a seed: versions need some shuffle, and a fixed
# number keeps the build reproducible (`--versions 3` is the same as `--seed 1 --versions 3`).
DEFAULT_SEED = 1
LETTERS = string.ascii_uppercase

CLASS_SET_OPTIONS = (
    Option(
        "seed",
        None,
        "shuffle the questions with this number (same number, same order); none keeps the deck order",
        kind="int",
        minimum=0,
        maximum=999_999_999,
        shared=True,
    ),
    Option(
        "versions",
        1,
        f"write this many versions (A, B, C…) in different orders; without a seed, seed {DEFAULT_SEED} is used",
        kind="int",
        minimum=1,
        maximum=len(LETTERS),
        shared=True,
    ),
)


class Version(NamedTuple):
    """One worksheet (and its key): the cards in the order they are numbered 1, 2, 3…"""

    letter: str | None  # None when a single version is built: no letter, no file suffix
    seed: int | None  # None when the deck order is kept
    cards: tuple[Card, ...]


def class_set(deck: Deck, options: Mapping[str, Any]) -> list[Version]:
    """The versions to build from the `seed` and `versions` options, in letter order.

    Every order comes from `random.Random` seeded with text made of the seed and the letter (a
    single version uses the letter A), so it is the same on every machine and Python version,
    and version A of a set is the same order as the single worksheet of that seed.
    """
    seed, count = options["seed"], options["versions"]
    if count == 1:
        if seed is None:
            return [Version(None, None, deck.cards)]
        return [Version(None, seed, _shuffled(deck.cards, seed, "A", ()))]
    possible = math.factorial(len(deck.cards))
    if possible < count:
        raise OptionError(
            Problem(
                deck.path,
                None,
                f"versions {count} asks for {count} different question orders, but "
                f"{len(deck.cards)} card{'s' if len(deck.cards) != 1 else ''} can be put in only "
                f"{possible} order{'s' if possible != 1 else ''}; ask for at most {possible} "
                f"version{'s' if possible != 1 else ''} or add cards",
            )
        )
    seed = DEFAULT_SEED if seed is None else seed
    versions: list[Version] = []
    for letter in LETTERS[:count]:
        taken = tuple(v.cards for v in versions)
        versions.append(Version(letter, seed, _shuffled(deck.cards, seed, letter, taken)))
    return versions


def _shuffled(
    cards: tuple[Card, ...], seed: int, letter: str, taken: tuple[tuple[Card, ...], ...]
) -> tuple[Card, ...]:
    """A shuffle of `cards` that differs from every order in `taken`.

    On a small deck two versions can draw the same order; the same generator then shuffles
    again, which stays reproducible. The caller has checked that enough orders exist, and
    with at most 26 versions the expected number of reshuffles is small.
    """
    rng = random.Random(f"printkit-order:{seed}:{letter}")
    order = list(cards)
    while True:
        rng.shuffle(order)
        if tuple(order) not in taken:
            return tuple(order)
