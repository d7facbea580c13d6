"""The build pipeline: deck files → validated decks → layouts → PDFs written atomically."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from printkit.deck import Deck, load_deck
from printkit.errors import DeckError, PrintkitError
from printkit.freshness import build_key, record, up_to_date
from printkit.layout_loader import Layout, available_layouts, select_layouts
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
    fresh: bool = True  # False when an identical earlier build's file was kept (up to date)


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
    force: bool = False,
    printers: Printers | None = None,
) -> list[Written]:
    """Build every chosen layout of one deck. Nothing is written unless every layout succeeds.

    A layout whose PDFs were already made from exactly these inputs is skipped (unless `force`).
    """
    keys = {}
    kept: list[Written] = []
    stale = []
    for layout in layouts:
        try:
            keys[layout.name] = build_key(deck_path, layout.name, layout.source, cli_settings)
        except OSError:
            keys[layout.name] = None  # unreadable deck: load_deck below says so properly
        previous = (
            None
            if force or keys[layout.name] is None
            else up_to_date(out_dir, deck_path.stem, layout.name, keys[layout.name])
        )
        if previous is None:
            stale.append(layout)
        else:
            kept.extend(Written(path, pages, fresh=False) for path, pages in previous)
    if not stale:
        return kept

    deck = load_deck(deck_path)
    settings = deck_settings(deck)
    problems = check_settings(
        settings, {name: layout.options for name, layout in all_layouts.items()}
    )
    # A printer profile sits below the deck: default < profile < deck < command line.
    profile = profile_settings(printers, [*settings, *cli_settings])
    resolved = []
    for layout in stale:
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
    files = {
        output.layout: [
            (out_dir / output.file_name(suffix), doc.pages, doc.finish())
            for suffix, doc in output.documents
        ]
        for output in outputs
    }
    written = []
    for layout_name, layout_files in files.items():
        for path, pages, data in layout_files:
            write_atomic(path, data)
            written.append(Written(path, pages))
        if keys[layout_name] is not None:
            record(out_dir, deck.stem, layout_name, keys[layout_name], layout_files)
    return kept + written


@dataclass(frozen=True)
class BuildRequest:
    """Everything a worker process needs to build decks, by name (layouts are found again there)."""

    out_dir: Path
    workspace: Path
    layout_names: tuple[str, ...]
    cli_settings: tuple[Setting, ...] = ()
    force: bool = False
    printers: Printers | None = None  # the workspace's printer profiles (printkit.yaml)


@cache
def _layouts_in_worker(
    workspace: Path, names: tuple[str, ...]
) -> tuple[dict[str, Layout], list[Layout]]:
    all_layouts = available_layouts(workspace)
    return all_layouts, select_layouts(all_layouts, names)


def _build_one(request: BuildRequest, deck_path: Path) -> DeckResult:
    result = DeckResult(deck_path)
    try:
        all_layouts, layouts = _layouts_in_worker(request.workspace, request.layout_names)
        result.written = build_deck(
            deck_path,
            request.out_dir,
            layouts,
            all_layouts,
            request.cli_settings,
            request.force,
            request.printers,
        )
    except PrintkitError as error:
        result.error = error
    return result


def build_decks(
    request: BuildRequest, deck_paths: Sequence[Path], jobs: int = 1
) -> Iterator[DeckResult]:
    """Build each deck, in `jobs` processes at once; results come in deck order, and a deck that
    fails is reported while the others still build."""
    if jobs <= 1 or len(deck_paths) <= 1:
        for deck_path in deck_paths:
            yield _build_one(request, deck_path)
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=min(jobs, len(deck_paths))) as pool:
        yield from pool.map(_build_one, [request] * len(deck_paths), deck_paths)
