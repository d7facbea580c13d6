"""Write a deck as an Anki package (.apkg) with genanki, for studying on a phone.

Every id is derived from the deck (its subject, title and file name) and the card's question,
never drawn at random nor taken from the clock or the file's date, so importing the package
again updates the notes instead of adding copies, and two decks never share a note.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import tempfile
import zipfile
from pathlib import Path

from printkit.anki_html import Media, content_html
from printkit.card_content import content_problems
from printkit.content.markup import parse, parse_cloze
from printkit.deck import Card, Deck
from printkit.errors import DeckError, OptionError, PrintkitError

INSTALL_HINT = "pip install 'printkit[anki]'"
# The note type's id must never change: Anki would see a new note type and duplicate every note.
MODEL_ID = 1_582_309_471
MODEL_NAME = "printkit question and answer"
# A second, fixed model for cloze cards (Anki keeps note types by id across imports).
CLOZE_MODEL_ID = 1_582_309_472
CLOZE_MODEL_NAME = "printkit cloze"
CSS = """.card { font-family: sans-serif; font-size: 22px; text-align: center; }
ul { display: inline-block; text-align: left; margin: 0; }"""
# Zip entries carry a date: a fixed one makes the same deck give the same bytes.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def stable_id(*parts: str) -> int:
    """A number from 2**30 to 2**31 - 1 that depends only on `parts` (the range genanki advises)."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()
    return (1 << 30) + int.from_bytes(digest[:8], "big") % (1 << 30)


def deck_name(deck: Deck) -> str:
    """The deck's name in Anki: "Subject::Title" puts it under its subject."""
    return f"{deck.subject}::{deck.title}" if deck.subject else deck.title


def note_guids(deck: Deck) -> list[str]:
    """Each card's note id: from the deck (subject, title, file name), the question, and which
    repeat of it it is. Two decks with the same title in different subjects or files differ."""
    import genanki

    seen: dict[str, int] = {}
    guids = []
    for card in deck.cards:
        repeat = seen[card.question] = seen.get(card.question, 0) + 1
        guids.append(
            genanki.guid_for("printkit", deck_name(deck), deck.stem, card.question, str(repeat))
        )
    return guids


def first_row_id(deck: Deck) -> int:
    """Where the package's note and card ids start: a millisecond time between 2001 and 2017
    that depends on the deck alone (Anki reads ids as creation times), not on the file's date."""
    seconds = 1_000_000_000 + stable_id("printkit rows", deck_name(deck), deck.stem) % 500_000_000
    return seconds * 1000


def apkg_bytes(deck: Deck, timestamp: float) -> bytes:
    """The .apkg file for a deck; notes are dated `timestamp` (seconds since 1970)."""
    try:
        import genanki
    except ImportError:
        raise PrintkitError(
            f"exporting to Anki needs the genanki package, which is not installed; "
            f"install it with: {INSTALL_HINT}"
        ) from None
    model = genanki.Model(
        MODEL_ID,
        MODEL_NAME,
        fields=[{"name": "Question"}, {"name": "Answer"}],
        templates=[
            {
                "name": "Card 1",
                "qfmt": "{{Question}}",
                "afmt": '{{FrontSide}}<hr id="answer">{{Answer}}',
            }
        ],
        css=CSS,
    )
    anki_deck = genanki.Deck(stable_id("printkit deck", deck_name(deck)), deck_name(deck))
    markup, media = deck_markup(deck), Media(deck)
    # The same checks as a build: only real pictures and formulas that can be set go out.
    problems = content_problems(deck, markup)
    if problems:
        raise DeckError(problems)
    cloze_model = genanki.Model(
        CLOZE_MODEL_ID,
        CLOZE_MODEL_NAME,
        fields=[{"name": "Text"}, {"name": "Back Extra"}],
        templates=[
            {
                "name": "Cloze",
                "qfmt": "{{cloze:Text}}",
                "afmt": "{{cloze:Text}}<br>{{Back Extra}}",
            }
        ],
        css=CSS,
        model_type=genanki.Model.CLOZE,
    )
    for card, guid in zip(deck.cards, note_guids(deck), strict=True):
        tags = [_anki_tag(tag) for tag in card.tags]
        if card.cloze:  # an Anki Cloze note: the sentence with its gaps, Anki hides them
            text = content_html(parse_cloze(card.question, markup), card, media)
            note = genanki.Note(model=cloze_model, fields=[text, ""], tags=tags, guid=guid)
            anki_deck.add_note(note)
            continue
        question = content_html(parse(card.question, markup), card, media)
        fields = [question, _answer_html(card, markup, media)]
        anki_deck.add_note(genanki.Note(model=model, fields=fields, tags=tags, guid=guid))
    return _package(genanki.Package(anki_deck), timestamp, first_row_id(deck), media.files)


def deck_markup(deck: Deck) -> bool:
    """False when the deck's options say `markup: plain`: its texts go to Anki as typed."""
    from printkit.options import COMMON_OPTIONS, resolve
    from printkit.settings import deck_settings

    markup_option = [option for option in COMMON_OPTIONS if option.name == "markup"]
    values, problems = resolve("anki", markup_option, deck_settings(deck))
    if problems:
        raise OptionError(problems)
    return values["markup"] != "plain"


def write_apkg(deck: Deck, output: Path, force: bool = False) -> None:
    """Write the package, dated by the deck file's last change so Anki sees edits as newer
    (only the dates: no id depends on it). An existing file is kept unless `force`."""
    from printkit.output import refuse_overwrite, write_atomic

    refuse_overwrite([output], force, alternative=", or choose another file with -o")
    timestamp = float(int(deck.path.stat().st_mtime))
    write_atomic(output, apkg_bytes(deck, timestamp))


def _package(package, timestamp: float, first_id: int, media: dict[str, bytes]) -> bytes:
    # genanki's own write_to_file zips with the temporary file's date and reads media from
    # files on disk: do it with a fixed date, and the pictures' bytes under their media names.
    import itertools

    handle, db_name = tempfile.mkstemp(suffix=".anki2")
    os.close(handle)
    try:
        connection = sqlite3.connect(db_name)
        package.write_to_db(connection.cursor(), timestamp, itertools.count(first_id))
        connection.commit()
        connection.close()
        database = Path(db_name).read_bytes()
    finally:
        os.unlink(db_name)
    # Anki's media map: zip entry "0" holds the file named media["0"], and so on.
    media_map = {str(index): name for index, name in enumerate(media)}
    entries = [("collection.anki2", database), ("media", json.dumps(media_map).encode("utf-8"))]
    entries += [(index, media[name]) for index, name in media_map.items()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(zipfile.ZipInfo(name, _ZIP_DATE), data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _answer_html(card: Card, markup: bool, media: Media) -> str:
    texts = [content_html(parse(point, markup), card, media) for point in card.answer]
    if card.is_list:
        return "<ul>" + "".join(f"<li>{text}</li>" for text in texts) + "</ul>"
    return texts[0]


def _anki_tag(tag: str) -> str:
    return "_".join(tag.split())  # Anki separates tags with spaces
