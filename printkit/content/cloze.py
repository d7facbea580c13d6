"""Cloze texts: a sentence with gaps written `{{answer}}`, or Anki's `{{c1::answer}}` and
`{{c1::answer::hint}}`. Cut into plain parts and gaps here, once, for the deck check and for the
content model; markup inside a part or a gap is read later, as in any other text.
"""

import re
from typing import NamedTuple

# Anki numbers its clozes c1, c2…: the number says which card a gap belongs to in Anki; printed
# on paper, every gap of a sentence is asked at once, so the number is read and dropped.
_ANKI_NUMBER = r"(?i)c\d+::"


class ClozeError(ValueError):
    """A cloze text that cannot be read; the message is one sentence for a deck problem."""


class Gap(NamedTuple):
    """One gap: the hidden text, and the hint printed in its place (Anki's `::hint`), if any."""

    answer: str
    hint: str | None = None


Part = str | Gap


def split_cloze(text: str) -> tuple[Part, ...]:
    """The text's parts in order: strings between the gaps, and the gaps.

    Raises ClozeError, worded to follow "the cloze of card 3", for `{{` without `}}`, `}}`
    without `{{`, an empty gap, or a text without any gap.
    """
    parts: list[Part] = []
    rest = text
    while rest:
        start, end = rest.find("{{"), rest.find("}}")
        if start < 0 and end < 0:
            parts.append(rest)
            break
        if start < 0 or (0 <= end < start):
            raise ClozeError(_UNOPENED)
        if end < 0 or "{{" in rest[start + 2 : end]:
            raise ClozeError(_UNCLOSED)
        if start:
            parts.append(rest[:start])
        parts.append(_gap(rest[start + 2 : end]))
        rest = rest[end + 2 :]
    if not any(isinstance(part, Gap) for part in parts):
        raise ClozeError(
            "has no gap; mark each hidden word with double braces, as in "
            "“The {{mitochondrion}} is where respiration happens”"
        )
    return tuple(parts)


_WRITE = "write each gap as {{answer}}"
_UNCLOSED = f"has “{{{{” without a closing “}}}}”; {_WRITE}"
_UNOPENED = f"has “}}}}” without an opening “{{{{”; {_WRITE}"


def _gap(inner: str) -> Gap:
    body = inner.strip()
    if re.match(_ANKI_NUMBER, body):
        body = re.sub(_ANKI_NUMBER, "", body, count=1)
    answer, _, hint = body.partition("::")
    if not answer.strip():
        raise ClozeError(f"has an empty gap; {_WRITE}")
    return Gap(answer.strip(), hint.strip() or None)


def gaps_of(text: str) -> tuple[Gap, ...]:
    return tuple(part for part in split_cloze(text) if isinstance(part, Gap))
