"""Choosing cards by tag for every layout: `--tag NAME` (any of them) and `--not-tag NAME`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from printkit.deck import Deck
from printkit.errors import DeckError, Problem
from printkit.options import Option

SELECTION_OPTIONS = (
    Option("tag", "", "only the cards with one of these tags (comma-separated)", kind="text"),
    Option(
        "not_tag", "", "leave out the cards with any of these tags (comma-separated)", kind="text"
    ),
)


def _names(text: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in text.split(",") if name.strip())


def select_cards(deck: Deck, options: Mapping[str, Any]) -> Deck:
    """The deck with only the cards the `tag` and `not_tag` options select (numbers kept, so
    messages still name the card of the deck file); a DeckError when none is left."""
    wanted, unwanted = _names(options.get("tag", "")), _names(options.get("not_tag", ""))
    if not wanted and not unwanted:
        return deck
    cards = tuple(
        card
        for card in deck.cards
        if (not wanted or set(card.tags) & set(wanted)) and not set(card.tags) & set(unwanted)
    )
    if not cards:
        asked = " and ".join(
            part
            for part in (
                f"tag {', '.join(wanted)}" if wanted else "",
                f"not tag {', '.join(unwanted)}" if unwanted else "",
            )
            if part
        )
        tags = sorted({tag for card in deck.cards for tag in card.tags})
        known = (
            f"the deck's tags are {', '.join(tags)}" if tags else "the deck's cards have no tags"
        )
        raise DeckError(Problem(deck.path, None, f"no card is selected by {asked}; {known}"))
    return deck._replace(cards=cards)
