"""Anki packages (.apkg, and whole collections, .colpkg): a zip holding an SQLite collection
and its media, read here without Anki.

The collection is `collection.anki21b` (zstd-compressed, Anki 2.1.50 and later),
`collection.anki21` or `collection.anki2`. Each note type's fields are mapped to a question
and an answer: Front and Back (Basic, Basic and reversed, …), the Text of a Cloze note (a cloze
card), and the first two fields of any other type, with a warning. Each deck becomes a deck
file; its pictures are copied into `<deck>-media/` beside it. A package is untrusted: paths
that leave the package, members bigger than they may be (a zip bomb) and a damaged database
are refused with a sentence.
"""

from __future__ import annotations

import io
import json
import os
import re
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from printkit.errors import PrintkitError, Problem
from printkit.importers.anki import CLOZE, SOUND, left_out
from printkit.importers.base import Importer, Options, Parsed, Source, split_tags
from printkit.importers.html_text import html_to_markup
from printkit.importers.media import Pictures

MAX_COLLECTION_BYTES = 1024 * 1024 * 1024  # a 100,000-note collection takes some 100 MB
MAX_PICTURE_BYTES = 50 * 1024 * 1024
_COLLECTIONS = ("collection.anki21b", "collection.anki21", "collection.anki2")
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_NEWER = (
    "export it again from Anki with “Support older Anki versions” ticked "
    "(File → Export → Anki Deck Package), or install the zstandard package "
    "(pip install zstandard)"
)


class AnkiPackage(Importer):
    name = "apkg"
    summary = "an Anki package"
    binary = True

    def sniff(self, source: Source, options: Options) -> float:
        if not source.data.startswith(b"PK\x03\x04"):
            return 0.0
        if source.path.suffix.lower() in (".apkg", ".colpkg"):
            return 1.0
        try:
            names = zipfile.ZipFile(io.BytesIO(source.data)).namelist()
        except zipfile.BadZipFile:
            return 0.0
        return 1.0 if any(name in names for name in _COLLECTIONS) else 0.0

    def parse(self, source: Source, options: Options) -> list[Parsed]:
        return read_package(source.path, source.data, options.deck)


IMPORTER = AnkiPackage()


@dataclass(frozen=True)
class _NoteType:
    name: str
    fields: tuple[str, ...]
    cloze: bool


def read_package(path: Path, data: bytes, deck: str | None = None) -> list[Parsed]:
    """One Parsed per deck that holds notes (or only the deck named `deck`)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
    except (zipfile.BadZipFile, ValueError):
        raise PrintkitError(
            Problem(
                path,
                None,
                "this package is damaged (it is not a complete zip file); export it from Anki again",
            )
        ) from None
    for name in names:
        parts = name.replace("\\", "/").split("/")
        if name.startswith(("/", "\\")) or ".." in parts or ":" in name or len(parts) > 1:
            raise PrintkitError(
                Problem(
                    path,
                    None,
                    f"this package holds a file named {name!r}, a path that leads out of "
                    "the package; Anki never writes such names, so nothing was imported",
                )
            )
    collection = next((name for name in _COLLECTIONS if name in names), None)
    if collection is None:
        raise PrintkitError(
            Problem(
                path,
                None,
                "this zip file holds no Anki collection (collection.anki2); "
                "export the deck from Anki as an Anki Deck Package (.apkg)",
            )
        )
    database = _member(archive, collection, MAX_COLLECTION_BYTES, path)
    if database.startswith(_ZSTD_MAGIC):
        database = _unzstd(database, MAX_COLLECTION_BYTES, path, collection)
    media_names = _media_map(archive, path)

    def read_media(name: str) -> bytes | None:
        member = media_names.get(name)
        if member is None or member not in names:
            return None
        content = _member(archive, member, MAX_PICTURE_BYTES, path)
        if content.startswith(_ZSTD_MAGIC):
            content = _unzstd(content, MAX_PICTURE_BYTES, path, member)
        return content

    return _read_collection(database, path, deck, read_media)


def _member(archive: zipfile.ZipFile, name: str, limit: int, path: Path) -> bytes:
    """A member's bytes, refused when bigger than `limit` (its stated size can lie: the read
    stops there)."""
    info = archive.getinfo(name)
    too_big = PrintkitError(
        Problem(
            path,
            None,
            f"the file {name!r} inside this package is bigger than the "
            f"{limit // 1024 // 1024} MB printkit reads; it was not imported",
        )
    )
    if info.file_size > limit:
        raise too_big
    try:
        with archive.open(info) as member:
            content = member.read(limit + 1)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as error:
        raise PrintkitError(
            Problem(
                path,
                None,
                f"the file {name!r} inside this package cannot be read ({error}); "
                "export the deck from Anki again",
            )
        ) from None
    if len(content) > limit:
        raise too_big
    return content


def _unzstd(data: bytes, limit: int, path: Path, name: str) -> bytes:
    try:
        import zstandard
    except ImportError:
        raise PrintkitError(
            Problem(
                path,
                None,
                f"this package was written by Anki 2.1.50 or later, compressed in a way "
                f"that needs the zstandard package; {_NEWER}",
            )
        ) from None
    try:
        reader = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data))
        chunks, size = [], 0
        while chunk := reader.read(1024 * 1024):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise PrintkitError(
                    Problem(
                        path,
                        None,
                        f"the file {name!r} inside this package is bigger than the "
                        f"{limit // 1024 // 1024} MB printkit reads once uncompressed; it was not imported",
                    )
                )
    except zstandard.ZstdError as error:
        raise PrintkitError(
            Problem(
                path,
                None,
                f"the file {name!r} inside this package is damaged ({error}); "
                "export the deck from Anki again",
            )
        ) from None
    return b"".join(chunks)


def _media_map(archive: zipfile.ZipFile, path: Path) -> dict[str, str]:
    """Media name → zip member: the "media" file is JSON ({"0": "heart.png"}) in older
    packages, zstd-compressed protobuf (MediaEntries) in newer ones."""
    if "media" not in archive.namelist():
        return {}
    raw = _member(archive, "media", 64 * 1024 * 1024, path)
    if raw.startswith(_ZSTD_MAGIC):
        raw = _unzstd(raw, 256 * 1024 * 1024, path, "media")
        return {name: member for member, name in _media_entries(raw)}
    try:
        mapping = json.loads(raw.decode("utf-8") or "{}")
    except (UnicodeDecodeError, ValueError):
        raise PrintkitError(
            Problem(
                path,
                None,
                "the list of pictures inside this package is damaged; export it from Anki again",
            )
        ) from None
    if not isinstance(mapping, dict):
        return {}
    return {str(name): str(member) for member, name in mapping.items()}


def _media_entries(raw: bytes) -> list[tuple[str, str]]:
    """(zip member, name) of each MediaEntry {string name = 1; … uint32 legacy_zip_filename = 255}."""
    entries = []
    for index, (number, value) in enumerate(
        (n, v) for n, v in _protobuf_fields(raw) if n == 1 and isinstance(v, bytes)
    ):
        del number
        fields = dict(_protobuf_fields(value))
        name = fields.get(1, b"")
        member = fields.get(255, index)
        if isinstance(name, bytes):
            entries.append((str(member), name.decode("utf-8", "replace")))
    return entries


def _protobuf_fields(data: bytes) -> list[tuple[int, int | bytes]]:
    """The (field number, value) pairs of a protobuf message: varints and length-delimited
    values; fixed-size ones are skipped. Enough for Anki's media list and note type kind."""
    out: list[tuple[int, int | bytes]] = []
    position = 0
    while position < len(data):
        key, position = _varint(data, position)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, position = _varint(data, position)
            out.append((number, value))
        elif wire == 2:
            length, position = _varint(data, position)
            out.append((number, data[position : position + length]))
            position += length
        elif wire in (1, 5):
            position += 8 if wire == 1 else 4
        else:
            break
    return out


def _varint(data: bytes, position: int) -> tuple[int, int]:
    value = shift = 0
    while position < len(data):
        byte = data[position]
        position += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            break
    return value, position


def _read_collection(database: bytes, path: Path, only: str | None, read_media) -> list[Parsed]:
    handle, name = tempfile.mkstemp(suffix=".anki2")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(database)
        connection = sqlite3.connect(f"file:{name}?mode=ro", uri=True)
        try:
            return _decks(connection, path, only, read_media)
        except sqlite3.DatabaseError as error:
            raise PrintkitError(
                Problem(
                    path,
                    None,
                    f"the collection inside this package cannot be read ({error}); "
                    "export the deck from Anki again",
                )
            ) from None
        finally:
            connection.close()
    finally:
        os.unlink(name)


def _decks(
    connection: sqlite3.Connection, path: Path, only: str | None, read_media
) -> list[Parsed]:
    from printkit.importers import slugify

    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    note_types, deck_names = (_modern if "notetypes" in tables else _legacy)(connection)
    note_deck: dict[int, int] = {}
    for nid, did in connection.execute("SELECT nid, did FROM cards ORDER BY nid, ord DESC"):
        note_deck[nid] = did  # the deck of the note's first card
    notes: dict[str, list[tuple]] = {}
    for nid, mid, tags, fields in connection.execute(
        "SELECT id, mid, tags, flds FROM notes ORDER BY id"
    ):
        # A note without cards (an empty front) goes with the others, to be reported there.
        did = note_deck.get(nid, next(iter(note_deck.values()), -1))
        deck = deck_names.get(did, "Default")
        notes.setdefault(deck, []).append((nid, mid, tags, fields))
    if only is not None:
        chosen = [d for d in notes if only.lower() in (d.lower(), d.split("::")[-1].lower())]
        if not chosen:
            shown = ", ".join(repr(d) for d in notes) or "none"
            raise PrintkitError(
                Problem(
                    path, None, f"this package holds no deck named {only!r}; its decks are {shown}"
                )
            )
        notes = {d: notes[d] for d in chosen}
    titles = [d.split("::")[-1].strip() for d in notes]
    decks = []
    for (deck, deck_notes), title in zip(notes.items(), titles, strict=True):
        title = title if titles.count(title) == 1 else deck.replace("::", " – ")
        pictures = Pictures(f"{slugify(title) or 'deck'}-media", read_media)
        parsed = _deck(deck_notes, note_types, path, pictures)
        parsed.title = title
        decks.append(parsed)
    return decks


def _deck(
    notes: list[tuple], note_types: dict[int, _NoteType], path: Path, pictures: Pictures
) -> Parsed:
    parsed = Parsed(skipped_what="note")
    guessed: dict[str, int] = {}
    sounds = dropped = 0
    for number, (_nid, mid, tags_text, fields_text) in enumerate(notes, start=1):
        note_type = note_types.get(mid, _NoteType("?", (), False))
        values = fields_text.split("\x1f")
        tags = split_tags(tags_text, spaces_only=True)
        sounds += len(SOUND.findall(fields_text))

        def markup(html: str) -> str:
            return html_to_markup(SOUND.sub("", html), pictures.find)[0]

        try:
            if note_type.cloze or CLOZE.search(values[0]):
                index = next((i for i, v in enumerate(values) if CLOZE.search(v)), 0)
                dropped += any(v.strip() for i, v in enumerate(values) if i != index)
                text = values[index]
                parsed.add_cloze(path, number, markup(text), tags)
                continue
            question, answer, known = _question_and_answer(note_type, values)
            if not known:
                guessed[note_type.name] = guessed.get(note_type.name, 0) + 1
            parsed.add(path, number, markup(question), markup(answer), tags, markup=True)
        except PrintkitError as error:
            # The sentence without its advice: a package cannot be edited line by line.
            reason = error.problems[0].message.split(";")[0]
            parsed.skip(number, f"{reason} (its first field: {_preview(values[0])})")
    for name, count in guessed.items():
        fields = ", ".join(next(t.fields for t in note_types.values() if t.name == name)) or "?"
        parsed.warnings.append(
            f"{count} note(s) of type {name!r} (fields {fields}): printkit does not know this "
            "type, so its first field was read as the question and its second as the answer"
        )
    parsed.warnings += left_out(dropped, sounds)
    parsed.warnings += pictures.warnings(
        "the package does not hold them; add them in Anki and export again"
    )
    parsed.media = pictures.files
    return parsed


def _question_and_answer(note_type: _NoteType, values: list[str]) -> tuple[str, str, bool]:
    """Front and Back when the type has them (Basic and its variants); else the first two
    fields, and False to say so."""
    names = [name.lower() for name in note_type.fields]
    if "front" in names and "back" in names and len(values) == len(names):
        return values[names.index("front")], values[names.index("back")], True
    values = values + [""] * (2 - len(values))
    return values[0], values[1], False


def _preview(field: str) -> str:
    text = re.sub(r"<[^>]*>", " ", field)
    text = " ".join(text.split())
    return repr(text[:40] + ("…" if len(text) > 40 else ""))


def _legacy(connection: sqlite3.Connection) -> tuple[dict[int, _NoteType], dict[int, str]]:
    """Note types and deck names of a collection of schema 11 (JSON in the col table)."""
    models_json, decks_json = connection.execute("SELECT models, decks FROM col").fetchone()
    models = json.loads(models_json or "{}")
    decks = json.loads(decks_json or "{}")
    note_types = {
        int(mid): _NoteType(
            str(model.get("name", "?")),
            tuple(
                f.get("name", "")
                for f in sorted(model.get("flds", []), key=lambda f: f.get("ord", 0))
            ),
            model.get("type") == 1,
        )
        for mid, model in models.items()
    }
    return note_types, {int(did): str(deck.get("name", "Default")) for did, deck in decks.items()}


def _modern(connection: sqlite3.Connection) -> tuple[dict[int, _NoteType], dict[int, str]]:
    """Note types and deck names of a collection of schema 18 (their own tables)."""
    fields: dict[int, list[str]] = {}
    for ntid, name in connection.execute("SELECT ntid, name FROM fields ORDER BY ntid, ord"):
        fields.setdefault(ntid, []).append(name)
    note_types = {}
    for ntid, name, config in connection.execute("SELECT id, name, config FROM notetypes"):
        kind = dict(_protobuf_fields(config or b"")).get(1, 0)  # NotetypeConfig.kind: 1 = cloze
        note_types[ntid] = _NoteType(name, tuple(fields.get(ntid, ())), kind == 1)
    decks = {
        did: name.replace("\x1f", "::")
        for did, name in connection.execute("SELECT id, name FROM decks")
    }
    return note_types, decks
