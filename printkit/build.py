"""The build pipeline: deck files → validated decks → layouts → PDFs written atomically."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from printkit.deck import Deck, load_deck
from printkit.errors import DeckError, PrintkitError
from printkit.layout_loader import Layout
from printkit.options import Setting, check_settings, resolve
from printkit.output import write_atomic
from printkit.paper import Paper
from printkit.pdf import PdfDocument
from printkit.printers import Printers, profile_settings

DECK_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Written:
    path: Path
    pages: int


@dataclass
class LayoutOutput:
    """What a layout draws into: it asks for documents; the engine names and writes them."""

    deck: Deck
    layout: str
    documents: list[tuple[str | None, PdfDocument]] = field(default_factory=list)

    def document(
        self, paper: Paper, *, suffix: str | None = None, title: str | None = None
    ) -> PdfDocument:
        """A new PDF for this deck and layout, written as <deck>-<layout>[-<suffix>].pdf."""
        doc = PdfDocument(
            paper, title=title or f"{self.deck.title} — {self.layout}", subject=self.deck.subject
        )
        self.documents.append((suffix, doc))
        return doc

    def file_name(self, suffix: str | None) -> str:
        return f"{self.deck.stem}-{self.layout}{'-' + suffix if suffix else ''}.pdf"


@dataclass
class DeckResult:
    deck_path: Path
    written: list[Written] = field(default_factory=list)
    error: PrintkitError | None = None


def find_decks(paths: Sequence[Path]) -> list[Path]:
    """Deck files named directly, or found (not recursively) in named folders, in a stable order."""
    decks: list[Path] = []
    for path in paths:
        if path.is_dir():
            decks.extend(
                sorted(p for p in path.iterdir() if p.suffix in DECK_SUFFIXES and p.is_file())
            )
        elif path.is_file():
            decks.append(path)
        else:
            raise PrintkitError(f"{path}: no such deck file or folder")
    return decks


def deck_settings(deck: Deck) -> list[Setting]:
    return [Setting(s.layout, s.name, s.value, f"{deck.path}:{s.line}") for s in deck.options]


def build_deck(
    deck_path: Path,
    out_dir: Path,
    layouts: Sequence[Layout],
    all_layouts: dict[str, Layout],
    cli_settings: Sequence[Setting] = (),
    printers: Printers | None = None,
) -> list[Written]:
    """Build every chosen layout of one deck. Nothing is written unless every layout succeeds."""
    deck = load_deck(deck_path)
    settings = deck_settings(deck)
    problems = check_settings(
        settings, {name: layout.options for name, layout in all_layouts.items()}
    )
    # A printer profile sits below the deck: default < profile < deck < command line.
    profile = profile_settings(printers, [*settings, *cli_settings])
    resolved = []
    for layout in layouts:
        values, layout_problems = resolve(
            layout.name, layout.options, [*profile, *settings, *cli_settings]
        )
        problems.extend(p for p in layout_problems if p not in problems)
        resolved.append((layout, values))
    if problems:
        raise DeckError(problems)

    outputs = []
    for layout, values in resolved:
        output = LayoutOutput(deck, layout.name)
        layout.render(deck, values, output)
        outputs.append(output)
    # Drawing is finished for every layout before the first byte is written.
    files = [
        (out_dir / output.file_name(suffix), doc.finish(), doc.pages)
        for output in outputs
        for suffix, doc in output.documents
    ]
    for path, data, _ in files:
        write_atomic(path, data)
    return [Written(path, pages) for path, _, pages in files]


def build_decks(
    deck_paths: Sequence[Path],
    out_dir: Path,
    layouts: Sequence[Layout],
    all_layouts: dict[str, Layout],
    cli_settings: Sequence[Setting] = (),
    printers: Printers | None = None,
) -> Iterator[DeckResult]:
    """Build each deck in turn; a deck that fails is reported and the others still build."""
    for deck_path in deck_paths:
        result = DeckResult(deck_path)
        try:
            result.written = build_deck(
                deck_path, out_dir, layouts, all_layouts, cli_settings, printers
            )
        except PrintkitError as error:
            result.error = error
        yield result
