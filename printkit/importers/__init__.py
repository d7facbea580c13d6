"""Bring cards in from where they already live: plain-text notes, Quizlet, Anki (text exports
and packages) and CSV files.

`import_source` reads a source into decks (a package may hold several); `save_imported` writes
one as tidy YAML (deck_writer), with its pictures in a folder beside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from printkit.deck import Deck, clean_text, parse_deck
from printkit.errors import PrintkitError, Problem
from printkit.importers.base import Options, Source, source_error, title_from_name
from printkit.importers.registry import detect, format_names, importer_named

# A source bigger than this is no deck of cards (a 20 MB deck already holds 30,000 cards);
# a package's pictures are counted apart (see apkg.py).
MAX_TEXT_BYTES = 50 * 1024 * 1024
MAX_PACKAGE_BYTES = 2 * 1024 * 1024 * 1024
# Files people try that are not text: say what to do instead of "not UTF-8".
_NOT_TEXT = {
    ".xlsx": "save the spreadsheet as CSV (File → Save as → CSV UTF-8) and import that",
    ".xls": "save the spreadsheet as CSV (File → Save as → CSV UTF-8) and import that",
    ".ods": "save the spreadsheet as CSV (File → Save as → CSV) and import that",
}


@dataclass(frozen=True)
class Imported:
    deck: Deck  # its path is the source file
    format: str
    warnings: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()  # one sentence per row that gave no card
    media: dict[str, bytes] = field(default_factory=dict)  # path beside the deck file → bytes


def formats() -> tuple[str, ...]:
    return format_names()


FORMATS = format_names()


def import_source(
    source: Path,
    format: str | None = None,
    title: str | None = None,
    options: Options | None = None,
) -> list[Imported]:
    """Read a source into one deck per deck it holds; PrintkitError names the bad line."""
    source, options = Path(source), options or Options()
    data = read_source(source)
    importer = importer_named(format) if format else detect(Source(source, data), options)
    results = []
    parsed_decks = importer.parse(Source(source, data), options)
    for parsed in parsed_decks:
        if not parsed.cards:
            raise source_error(
                source, 1, f"no cards were found in this file (read as {importer.name})"
            )
        deck_title = clean_text(title or "") if len(parsed_decks) == 1 else ""
        deck_title = deck_title or clean_text(parsed.title or "") or title_from_name(source.stem)
        deck = Deck(deck_title, None, tuple(parsed.cards), source)
        skipped = tuple(f"{parsed.skipped_what} {n}: {why}" for n, why in parsed.skipped)
        results.append(
            Imported(deck, importer.name, tuple(parsed.warnings), skipped, dict(parsed.media))
        )
    return results


def import_file(
    source: Path, format: str | None = None, title: str | None = None, sep: str | None = None
) -> Imported:
    """Read a source that holds one deck (see `import_source`)."""
    [imported] = import_source(source, format, title, Options(sep=sep))
    return imported


def read_source(path: Path) -> bytes:
    """A source file's bytes, refused with a sentence when it cannot be a deck's source."""
    if path.suffix.lower() in _NOT_TEXT and path.is_file():
        raise PrintkitError(
            Problem(path, None, f"this is not a text file; {_NOT_TEXT[path.suffix.lower()]}")
        )
    try:
        size = path.stat().st_size
        limit = MAX_PACKAGE_BYTES if path.suffix.lower() in (".apkg", ".colpkg") else MAX_TEXT_BYTES
        if size > limit:
            raise PrintkitError(
                Problem(
                    path,
                    None,
                    f"this file is {size / 1024 / 1024:.0f} MB, more than the "
                    f"{limit // 1024 // 1024} MB printkit imports; export fewer cards into it",
                )
            )
        data = path.read_bytes()
    except OSError as error:
        raise PrintkitError(
            Problem(path, None, f"cannot open this file ({error.strerror}); check the file name")
        ) from None
    if not data.strip(b" \t\r\n\xef\xbb\xbf\xff\xfe\x00"):
        raise source_error(path, 1, "the file is empty; export the cards into it again")
    return data


def detect_format(text: str, path: Path, sep: str | None = None) -> str:
    """The name of the format of a text source, told from its content."""
    return detect(Source(Path(path), text.encode("utf-8")), Options(sep=sep)).name


SEPARATORS = {
    "tab": "\t",
    "comma": ",",
    "semicolon": ";",
    "space": " ",
    "pipe": "|",
    "colon": ":",
}


def separator_option(text: str | None) -> str | None:
    """A --sep value as a separator: names (tab, comma, …) and a typed backslash-t allowed."""
    if text is None or text == "":
        return None
    return SEPARATORS.get(text.lower(), "\t" if text == "\\t" else text)


def columns_option(text: str | None) -> tuple[str, str] | None:
    """--columns 1,2 or --columns korean,english: the question's and the answer's columns."""
    if text is None:
        return None
    parts = [part.strip() for part in text.split(",")]
    if len(parts) != 2 or not all(parts):
        raise PrintkitError(
            f"--columns takes two columns, the question's and the answer's, as numbers or "
            f"header names separated by a comma (such as --columns 1,2), not '{text}'"
        )
    return parts[0], parts[1]


def slugify(text: str) -> str:
    """A file name for a title: lower case words joined by '-' ("Stalin's policy" → stalins-policy)."""
    text = re.sub(r"['’]", "", clean_text(text).lower())
    return re.sub(r"[\W_]+", "-", text).strip("-")


def default_output(deck: Deck) -> Path:
    return Path("decks") / f"{slugify(deck.title) or slugify(deck.path.stem) or 'deck'}.yaml"


def save_deck(deck: Deck, output: Path, *, force: bool = False, comment: str | None = None) -> None:
    """Write a deck as YAML, checking first that reading it back gives exactly the same cards."""
    from printkit.deck_writer import deck_to_yaml
    from printkit.output import refuse_overwrite, write_atomic

    refuse_overwrite([output], force, ", or -o to choose another file")
    text = deck_to_yaml(deck, comment)
    written = parse_deck(text, output)
    if (written.title, _content(written)) != (deck.title, _content(deck)):
        raise AssertionError(f"the YAML written for {output} does not read back the same")
    write_atomic(output, text.encode("utf-8"))


def save_imported(imported: Imported, output: Path, *, force: bool = False, comment: str) -> None:
    """Write the deck, and its pictures beside it (their folder is named in the cards)."""
    from printkit.output import write_atomic

    folder = output.parent.resolve()
    for relative in imported.media:
        target = (folder / relative).resolve()
        if folder not in target.parents:  # the importer names plain files; never write elsewhere
            raise AssertionError(f"picture path {relative!r} leaves {folder}")
    save_deck(imported.deck, output, force=force, comment=comment)
    for relative, data in imported.media.items():
        target = output.parent / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, data)


def _content(deck: Deck) -> list[tuple]:
    return [(c.question, c.answer, c.is_list, c.tags, c.lines, c.cloze) for c in deck.cards]


@dataclass(frozen=True)
class Written:
    imported: Imported
    output: Path

    def summary(self) -> str:
        import shlex

        count = len(self.imported.deck.cards)
        skipped = len(self.imported.skipped)
        pictures = len(self.imported.media)
        extras = f"; {skipped} skipped, see the warnings above" if skipped else ""
        if pictures:
            folder = Path(next(iter(self.imported.media))).parent
            extras += f"; {pictures} picture{'s' if pictures != 1 else ''} in {self.output.parent / folder}"
        return (
            f"wrote {self.output} ({count} card{'s' if count != 1 else ''}, read as "
            f"{self.imported.format}{extras}); print it with: printkit build "
            f"{shlex.quote(str(self.output))}"
        )


def import_and_save(
    source: Path,
    output: Path | None,
    format: str | None,
    title: str | None,
    options: Options,
    force: bool = False,
) -> list[Written]:
    """Import a source and write its decks; nothing is written if any deck file is in the way."""
    from printkit.output import refuse_overwrite

    imported = import_source(source, format, title, options)
    if output is not None and len(imported) > 1:
        names = ", ".join(repr(item.deck.title) for item in imported)
        raise PrintkitError(
            Problem(
                source,
                None,
                f"this package holds {len(imported)} decks ({names}); choose one with "
                "--deck NAME to write it to -o, or leave out -o to write each to decks/<title>.yaml",
            )
        )
    outputs = [output] if output is not None else _default_outputs(imported)
    refuse_overwrite(outputs, force, ", or -o to choose another file")
    written = []
    for item, path in zip(imported, outputs, strict=True):
        comment = f"Imported from {Path(source).name} ({item.format}) by printkit import."
        save_imported(item, path, force=True, comment=comment)
        written.append(Written(item, path))
    return written


def _default_outputs(imported: list[Imported]) -> list[Path]:
    """decks/<title>.yaml for each deck; two decks with one title get -2, -3…"""
    outputs: list[Path] = []
    for item in imported:
        path, number = default_output(item.deck), 1
        while path in outputs:
            number += 1
            path = path.with_name(f"{default_output(item.deck).stem}-{number}.yaml")
        outputs.append(path)
    return outputs
