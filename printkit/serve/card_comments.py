"""Comment lines above a card move with it when the editor reorders or deletes cards.

ruamel.yaml keeps the lines between two cards ("  # Unit 2") at the end of the previous card's
last value, or before the next item of the list; left there, a comment stays at its place when
its card moves, and goes when the card above it is deleted. These functions take each card's
lines out before the list changes and put them back above the same card after.
"""

from __future__ import annotations

from typing import Any


def _last_slot(container: Any, key: Any) -> tuple[Any, Any, int]:
    """Where ruamel keeps the comment after `container[key]`: (the mapping or list whose
    `.ca.items` holds it, its key there, its position in that entry)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    value = container[key]
    if isinstance(value, CommentedMap | CommentedSeq) and len(value) and not value.fa.flow_style():
        return _last_slot(value, list(value)[-1] if isinstance(value, CommentedMap) else -1)
    if isinstance(container, CommentedSeq) and key == -1:
        key = len(container) - 1
    return container, key, 2 if isinstance(container, CommentedMap) else 0


def _take_after(sequence: Any, index: int) -> str:
    """The whole lines after card `index` (its own end-of-line comment stays), removed."""
    container, key, position = _last_slot(sequence, index)
    entry = container.ca.items.get(key)
    token = entry[position] if entry and len(entry) > position else None
    if token is None:
        return ""
    own, newline, lines = token.value.partition("\n")
    if own:
        token.value = own + newline
    else:
        entry[position] = None
    if container is sequence:  # after a card written `{question: …}`: see _indented
        lines = _indented(lines, _dash_column(sequence))
    return lines


def _dash_column(sequence: Any) -> int:
    return sequence.lc.col or 0


def _indented(lines: str, column: int) -> str:
    """Comment lines given back their indentation. After a card written in flow style
    (`- {question: …}`), ruamel.yaml keeps the next lines without the spaces before their `#`
    (and writes them back indented as long as they stay there): moved above another card,
    they would end up at the left edge. They stood where the cards' dashes stand."""
    return "".join(
        " " * column + line if line.startswith("#") else line
        for line in lines.splitlines(keepends=True)
    )


def _put_after(sequence: Any, index: int, lines: str) -> None:
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    container, key, position = _last_slot(sequence, index)
    entry = container.ca.items.setdefault(key, [None, None, None, None])
    token = entry[position]
    if token is None:
        entry[position] = CommentToken("\n" + lines, CommentMark(0))
    else:
        token.value += lines


def take_comments(sequence: Any) -> tuple[list[str], str]:
    """Each card's comment lines above it (the first card's stay at the top of the list, as
    they often introduce the whole list) and the lines after the last card, removed."""
    above = [""] * len(sequence)
    for index in range(1, len(sequence)):
        above[index] = _take_after(sequence, index - 1)
        entry = sequence.ca.items.get(index)
        if entry and entry[1]:
            # Lines before a card that follows a flow-style card: also kept without their
            # spaces, but each token knows the column its first line began at.
            above[index] += "".join(
                " " * token.column + token.value if token.value.startswith("#") else token.value
                for token in entry[1]
            )
            entry[1] = None
    after = _take_after(sequence, len(sequence) - 1) if len(sequence) else ""
    return above, after


def put_comments(sequence: Any, above: list[str], after: str) -> None:
    """Put back the lines `take_comments` took: above[i] above new card i, `after` last."""
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    for index, lines in enumerate(above):
        if lines:
            entry = sequence.ca.items.setdefault(index, [None, None, None, None])
            entry[1] = [CommentToken(lines, CommentMark(0))]
    if after and len(sequence):
        _put_after(sequence, len(sequence) - 1, after)
