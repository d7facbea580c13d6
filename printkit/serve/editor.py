"""The card editor's side of a deck file: read it as a form, write a form back into it.

The file is changed with ruamel.yaml's round-trip mode, so the author's comments, key order
and quoting survive; only the values the form changed are written anew. A new text is checked
with the normal deck loader before it replaces the file, which is written atomically.
"""

from __future__ import annotations

import hashlib
import io
import threading
from dataclasses import dataclass, field
from pathlib import Path

from printkit.deck import decode_text, parse_deck
from printkit.errors import DeckError, PrintkitError
from printkit.output import write_atomic
from printkit.serve.card_comments import put_comments, take_comments

TOP_ORDER = ("title", "subject")
# One save at a time: two pages saving the same deck at once must not both start from one file.
SAVING = threading.Lock()


@dataclass
class CardForm:
    """One card as the form shows it. `source` is its position in the file (None: a new card)."""

    question: str = ""
    answer: str = ""  # points one per line when `as_list`
    as_list: bool = False
    tags: str = ""  # comma-separated
    cloze: bool = False  # a cloze card keeps its sentence in `question`, and has no answer
    source: int | None = None
    # For quizzes and worksheets, each optional: wrong choices one a line, writing lines, marks
    # (numbers as typed: the deck loader says what is wrong with one, as for a file).
    wrong: str = ""
    lines: str = ""
    marks: str = ""


@dataclass
class DeckForm:
    title: str = ""
    subject: str = ""
    cards: list[CardForm] = field(default_factory=list)
    base: str = ""  # digest of the file the form was made from: a later change is not overwritten


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def _yaml():
    from ruamel.yaml import YAML

    yaml = YAML()  # round-trip: comments, key order and quoting are kept
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long answer onto several lines
    return yaml


def _load(text: str, path: Path):
    """The round-trip document, or a PrintkitError when the file is not a deck the form can show."""
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.util import load_yaml_guess_indent

    try:
        _, _, offset = load_yaml_guess_indent(text)
        yaml = _yaml()
        # Cards are "  - question: ..." in printkit's templates: keys two in, the dash offset
        # as the file has it (as the templates have it when it has no list yet).
        offset = 2 if offset is None else offset
        yaml.indent(mapping=2, sequence=offset + 2, offset=offset)
        doc = yaml.load(text)
    except YAMLError:
        doc = None
    if hasattr(doc, "get") and doc.get("cards") is None:
        from ruamel.yaml.comments import CommentedSeq

        doc["cards"] = CommentedSeq()  # a deck begun with `cards:` and nothing under it yet
    cards = doc.get("cards") if hasattr(doc, "get") else None
    if (
        not hasattr(doc, "get")
        or not isinstance(cards, list)
        or not all(hasattr(card, "get") for card in cards)
    ):
        raise PrintkitError(
            f"{path}: the editor can only open a deck whose YAML reads as a title and a list of "
            "cards; fix the mistakes shown for it in a text editor first"
        )
    return yaml, doc


def _text(value: object) -> str:
    return "" if value is None else str(value)


def read_form(path: Path) -> DeckForm:
    """The deck file as the editor's form."""
    data = path.read_bytes()
    _, doc = _load(decode_text(data, path).removeprefix("\ufeff"), path)
    form = DeckForm(_text(doc.get("title")), _text(doc.get("subject")), base=digest(data))
    for number, card in enumerate(doc["cards"]):
        answer = card.get("answer")
        is_list = isinstance(answer, list)
        tags = card.get("tags")
        form.cards.append(
            CardForm(
                question=_text(card.get("cloze") if "cloze" in card else card.get("question")),
                answer=_points(answer),
                as_list=is_list,
                tags=", ".join(map(_text, tags)) if isinstance(tags, list) else _text(tags),
                cloze="cloze" in card,
                source=number,
                wrong=_points(card.get("wrong")),
                lines=_text(card.get("lines")),
                marks=_text(card.get("marks")),
            )
        )
    return form


def _points(value: object) -> str:
    """A list as the form shows it, one item a line (a single text as it is)."""
    return "\n".join(map(_text, value)) if isinstance(value, list) else _text(value)


class EditRefused(PrintkitError):
    """The edited deck would not load (or the file changed meanwhile); nothing was written."""


def save_form(path: Path, form: DeckForm) -> str:
    """Write `form` into the deck file at `path`, keeping comments and order; return the new
    text. Raises EditRefused, leaving the file as it was, when the result would not load."""
    with SAVING:
        data = path.read_bytes()
        if form.base and digest(data) != form.base:
            raise _changed(path)
        text = _edited(path, data, form)
        # A save in the author's text editor while this one was being made wins: it is the
        # newer. Checked again just before the file is replaced.
        if path.read_bytes() != data:
            raise _changed(path)
        # A deck that is a link (to a file the workspace shares) stays a link, and a deck
        # kept private (0600) stays private: the new file is written where the link points,
        # and gets the old one's permissions.
        target = path.resolve()
        write_atomic(target, text.encode("utf-8"), mode=target.stat().st_mode & 0o777)
        return text


def _changed(path: Path) -> EditRefused:
    return EditRefused(
        [
            f"{path}: the file was changed on disk after this form was opened, so your "
            "edit was not saved; open the editor again to start from the new file"
        ]
    )


def _edited(path: Path, data: bytes, form: DeckForm) -> str:
    """The deck file's new text, checked with the deck loader."""
    original = decode_text(data, path)
    bom = "\ufeff" if original.startswith("\ufeff") else ""
    yaml, doc = _load(original.removeprefix("\ufeff"), path)
    _set(doc, "title", form.title)
    if form.subject.strip() or "subject" in doc:
        if form.subject.strip():
            _set(doc, "subject", form.subject)
        else:
            del doc["subject"]
    old_cards = list(doc["cards"])
    used: set[int] = set()
    for card_form in form.cards:  # a form's positions are only trusted once each, and in range
        if card_form.source is not None and (
            card_form.source in used or not 0 <= card_form.source < len(old_cards)
        ):
            card_form.source = None
        used.add(card_form.source)
    sources = [card_form.source for card_form in form.cards]
    moved = sources != list(range(len(old_cards)))
    if moved:  # cards added, moved or deleted: the comment lines above each card follow it
        above, after = take_comments(doc["cards"])
        carried = ""  # a deleted card's lines go to the next card kept: no comment is lost
        for index in range(len(old_cards)):
            if index not in used:
                carried, above[index] = carried + above[index], ""
            else:
                carried, above[index] = "", carried + above[index]
        after = carried + after
    comments = dict(doc["cards"].ca.items)
    new_cards = [
        _card(old_cards[c.source] if c.source is not None else None, c) for c in form.cards
    ]
    sequence = doc["cards"]
    sequence[:] = new_cards
    # A comment stays with its card when cards move (ruamel keys them by position).
    sequence.ca.items.clear()
    for index, card_form in enumerate(form.cards):
        if card_form.source is not None and card_form.source in comments:
            sequence.ca.items[index] = comments[card_form.source]
    if moved:
        put_comments(sequence, [above[i] if i is not None else "" for i in sources], after)
    out = io.StringIO()
    yaml.dump(doc, out)
    text = bom + out.getvalue()
    try:
        parse_deck(text, path)
    except DeckError as error:
        raise EditRefused(error.problems) from None
    return text


def _set(mapping, key: str, value: str) -> None:
    """Set a text, keeping the old node (and its quoting) when the text did not change."""
    from ruamel.yaml.scalarstring import LiteralScalarString

    value = value.replace("\r\n", "\n")
    if key in mapping and _text(mapping[key]) == value:
        return
    text = LiteralScalarString(value) if "\n" in value else value
    if (
        key not in mapping and key in TOP_ORDER
    ):  # a new title or subject goes where printkit puts it
        before = [k for k in TOP_ORDER[: TOP_ORDER.index(key)] if k in mapping]
        position = list(mapping).index(before[-1]) + 1 if before else 0
        mapping.insert(position, key, text)
        return
    mapping[key] = text


def _card(old, form: CardForm):
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    card = old if old is not None else CommentedMap()
    text_key, other = ("cloze", "question") if form.cloze else ("question", "cloze")
    if other in card and text_key not in card:
        # The kind changed: the text takes the old key's place, so the order is kept.
        card.insert(list(card).index(other), text_key, form.question)
        del card[other]
    _set(card, text_key, form.question)
    if form.cloze:
        card.pop("answer", None)
    elif form.as_list:
        points = _lines_of(form.answer)
        current = card.get("answer")
        if not (isinstance(current, list) and list(map(_text, current)) == points):
            seq = CommentedSeq(points)
            if isinstance(current, CommentedSeq):  # keep comments on the points that stay
                current[:] = points
                seq = current
            card["answer"] = seq
    else:
        _set(card, "answer", form.answer)
    tags = [t.strip() for t in form.tags.split(",") if t.strip()]
    current_tags = card.get("tags")
    current = (
        [_text(t) for t in current_tags]
        if isinstance(current_tags, list)
        else [t.strip() for t in _text(current_tags).split(",") if t.strip()]
    )
    if tags and current != tags:
        seq = CommentedSeq(tags)
        seq.fa.set_flow_style()  # tags: [a, b], as printkit writes them
        card["tags"] = seq
    elif not tags and "tags" in card:
        del card["tags"]
    wrong = [] if form.cloze else _lines_of(form.wrong)
    current = card.get("wrong")
    if wrong and not (isinstance(current, list) and list(map(_text, current)) == wrong):
        seq = CommentedSeq(wrong)
        seq.fa.set_flow_style()  # wrong: [a, b], as the README writes them
        card["wrong"] = seq
    elif not wrong and "wrong" in card:
        del card["wrong"]
    for key in ("lines", "marks"):
        _set_number(card, key, getattr(form, key).strip())
    return card


def _lines_of(text: str) -> list[str]:
    return [p.strip() for p in text.replace("\r\n", "\n").split("\n") if p.strip()]


def _set_number(card, key: str, value: str) -> None:
    """Set a whole number as YAML writes one (`lines: 4`, not `lines: '4'`); anything else as
    the text typed, for the deck loader to refuse with its own message; empty removes it."""
    if not value:
        card.pop(key, None)
    elif _text(card.get(key)) != value:
        card[key] = int(value) if value.isascii() and value.isdigit() else value
