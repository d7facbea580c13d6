"""The build pipeline: deck files → validated decks → layouts → PDFs written atomically."""

import re
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import NamedTuple

from printkit.card_content import content_problems, faces_for, pictures_used, uses_markup
from printkit.deck import Deck, load_deck
from printkit.errors import DeckError, LayoutError, PrintkitError, Problem
from printkit.fonts import DEJAVU, Faces, unprintable
from printkit.freshness import build_key, record, recorded_files, remove_stale, up_to_date
from printkit.layout_loader import Layout, available_layouts, options_of, select_layouts
from printkit.options import Setting, Settings
from printkit.output import write_atomic
from printkit.paper import Paper
from printkit.pdf import PdfDocument
from printkit.printers import Printers
from printkit.selection import select_cards
from printkit.settings import deck_settings, resolve_layouts

DECK_SUFFIXES = (".yaml", ".yml")
# What a layout may add to its file names: nothing that could climb out of the output folder.
_SAFE_SUFFIX = r"[A-Za-z0-9_-]{1,40}"


class Written(NamedTuple):
    path: Path
    pages: int
    fresh: bool = True  # False when an identical earlier build's file was kept (up to date)


class LayoutOutput(NamedTuple):
    """What a layout draws into: it asks for documents; the engine names and writes them."""

    deck: Deck
    layout: str
    # Given empty by the engine (a named tuple has no default_factory), filled by document().
    documents: list[tuple[str | None, PdfDocument]]

    def document(
        self, paper: Paper, *, suffix: str | None = None, title: str | None = None
    ) -> PdfDocument:
        """A new PDF for this deck and layout, written as <deck>-<layout>[-<suffix>].pdf."""
        doc = PdfDocument(
            paper, title=title or f"{self.deck.title} — {self.layout}", subject=self.deck.subject
        )
        if suffix is not None and not re.fullmatch(_SAFE_SUFFIX, suffix):
            raise LayoutError(
                f"the {self.layout} layout asked for a file named with '{suffix}'; a suffix is "
                "letters, digits, '-' and '_' only, so that files stay in the output folder"
            )
        self.documents.append((suffix, doc))
        return doc

    def file_name(self, suffix: str | None) -> str:
        return f"{self.deck.stem}-{self.layout}{'-' + suffix if suffix else ''}.pdf"


class DeckResult(NamedTuple):
    """What building one deck gave: the files written or kept, and the error that stopped some
    of its layouts (or all of them)."""

    deck_path: Path
    written: Sequence[Written] = ()
    error: PrintkitError | None = None
    removed: Sequence[Path] = ()  # an earlier build's files not made now
    warnings: Sequence[str] = ()  # one line each, `file:line: …`


def find_decks(paths: Sequence[Path]) -> list[Path]:
    """Deck files named directly, or found (not recursively) in named folders, in a stable order.

    Two decks with the same file name would write the same PDFs: that is refused up front.
    """
    decks: list[Path] = []
    for path in paths:
        if path.is_dir():
            decks.extend(
                sorted(
                    p for p in path.iterdir() if p.suffix.lower() in DECK_SUFFIXES and p.is_file()
                )
            )
        elif path.is_file():
            decks.append(path)
        else:
            raise PrintkitError(Problem(path, None, "no such deck file or folder"))
    seen: dict[str, Path] = {}
    for deck in decks:
        if deck.stem in seen and seen[deck.stem].resolve() != deck.resolve():
            raise PrintkitError(
                f"{seen[deck.stem]} and {deck} would both be printed as {deck.stem}-*.pdf; "
                "rename one of them"
            )
        seen[deck.stem] = deck
    unique: dict[Path, Path] = {}
    for deck in decks:  # the same file named twice (say, relative and absolute) is built once
        unique.setdefault(deck.resolve(), deck)
    return list(unique.values())


def unprintable_problems(deck: Deck, faces: Faces = DEJAVU) -> list[Problem]:
    """Characters that would not print as typed, one problem per card (or title) and reason,
    at the line where the first of them stands."""
    places = [(1, "the title", deck.title), (1, "the subject", deck.subject or "")]
    places += [
        (card.line, f"card {card.number}", " ".join((card.question, *card.answer)))
        for card in deck.cards
    ]
    problems = []
    source: list[str] | None = None
    for start, what, text in places:
        by_reason: dict[str, list[str]] = {}
        for char, reason in unprintable(text, faces):
            by_reason.setdefault(reason, []).append(char)
        for reason, chars in by_reason.items():
            if source is None:
                source = deck.path.read_text(encoding="utf-8-sig").splitlines()
            line = next(
                (n for n in range(start, len(source) + 1) if chars[0] in source[n - 1]), start
            )
            shown = ", ".join(
                f"“{c}” (U+{ord(c):04X})" if c.isprintable() else f"U+{ord(c):04X}"
                for c in chars[:3]
            )
            more = f" and {len(chars) - 3} more" if len(chars) > 3 else ""
            problems.append(
                Problem(
                    deck.path, line, f"{what} has {shown}{more}: {reason}; remove or replace it"
                )
            )
    return problems


def build_deck(
    deck_path: Path,
    out_dir: Path,
    layouts: Sequence[Layout],
    all_layouts: Mapping[str, Layout],
    cli_settings: Sequence[Setting] = (),
    force: bool = False,
    printers: Printers | None = None,
) -> DeckResult:
    """Build every chosen layout of one deck.

    A deck with mistakes (or bad options) builds nothing. Otherwise each layout stands alone:
    one that cannot lay this deck out (a summary too big for its page) is reported, and the
    others are still written. Each file is written whole or not at all. A layout whose PDFs
    were already made from exactly these inputs is skipped (unless `force`).
    """
    written: list[Written] = []
    removed: list[Path] = []
    warnings: list[str] = []
    keys = {}
    stale = []
    for layout in layouts:
        try:
            # Only the settings this layout takes: --seed does not rebuild the flashcards.
            names = {o.name for o in layout.options}
            relevant = [
                s for s in cli_settings if s.layout in (None, layout.name) and s.name in names
            ]
            keys[layout.name] = build_key(deck_path, layout.name, layout.source, relevant)
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
            written.extend(Written(path, pages, fresh=False) for path, pages in previous)
    if not stale:
        return DeckResult(deck_path, written)

    deck = load_deck(deck_path)
    settings, problems = resolve_layouts(
        {layout.name: layout.options for layout in stale},
        options_of(all_layouts),
        deck=deck_settings(deck),
        command_line=cli_settings,
        printers=printers,
    )
    resolved = []
    for layout in stale:
        values = settings[layout.name]
        try:
            resolved.append((layout, values, select_cards(deck, values)))
        except DeckError as error:
            problems.extend(p for p in error.problems if p not in problems)
    # Characters are checked against the fonts the layouts use (a user's font counts too),
    # formulas and pictures once per way of reading the deck, all before any drawing.
    try:
        faces = list(dict.fromkeys(faces_for(values) for _, values, _ in resolved)) or [DEJAVU]
    except ValueError as error:
        faces = [DEJAVU]
        problems.append(Problem(deck.path, None, str(error)))
    for face_set in faces:
        problems[:0] = [p for p in unprintable_problems(deck, face_set) if p not in problems]
    for markup in dict.fromkeys(uses_markup(values) for _, values, _ in resolved):
        problems.extend(p for p in content_problems(deck, markup) if p not in problems)
    if problems:
        raise DeckError(problems)

    failures: list[Problem] = []
    for layout, values, selected in resolved:
        output = LayoutOutput(deck, layout.name, [])
        try:
            layout.render(selected, values, output)
        except PrintkitError as error:
            # The worksheet and its key refuse the same versions: say it once.
            failures.extend(p for p in error.placed(deck.path, layout.name) if p not in failures)
            continue
        except (Exception, SystemExit) as error:
            # A layout's own mistake (a workspace layout is anyone's Python) fails this layout
            # of this deck only: the other layouts and decks are still built.
            failures.append(layout_failure(error, layout.name, layout.source, deck.path))
            continue
        warning = _paper_overridden(output, values)
        warnings.extend([warning] if warning else [])
        # All of a layout's files are drawn before the first is written (versions A, B, C…).
        files = [
            (out_dir / output.file_name(suffix), doc.pages, doc.finish())
            for suffix, doc in output.documents
        ]
        earlier = recorded_files(out_dir, deck.stem, layout.name)
        for path, pages, data in files:
            write_atomic(path, data)
            written.append(Written(path, pages))
        if keys[layout.name] is not None:
            pictures = pictures_used(deck, uses_markup(values))
            record(out_dir, deck.stem, layout.name, keys[layout.name], files, pictures)
        gone, changed = remove_stale(earlier, [path for path, _, _ in files])
        removed.extend(gone)
        warnings.extend(
            f"{path}: an earlier build of {deck.path} wrote this file and this one did not, but "
            "it was changed since, so it was kept; delete it if it is out of date"
            for path in changed
        )
    error = DeckError(failures) if failures else None
    return DeckResult(deck_path, written, error, removed, warnings)


def _paper_overridden(output: LayoutOutput, settings: Settings) -> str | None:
    """A warning when paper was set but a layout printed on another (a stock fixes its paper):
    the other PDFs of the deck would come out on a different size, silently."""
    chosen, given = settings.get("paper"), settings.source("paper")
    if chosen is None or given is None:
        return None
    other = next((d.paper for _, d in output.documents if d.paper.name != chosen.name), None)
    if other is None:
        return None
    return str(
        given.problem(
            f"paper is {chosen.name.capitalize()}, but the {settings.layout} PDF is on "
            f"{other.name.capitalize()} because its stock is made for it; choose a "
            f"{chosen.name.capitalize()} stock (see printkit stocks) so all PDFs share one "
            "paper size"
        )
    )


def layout_failure(error: BaseException, name: str, source: str, deck_path: Path) -> Problem:
    """One line for an exception raised by a layout, at the layout file's own line."""
    import traceback  # only when a build goes wrong

    frames = traceback.extract_tb(error.__traceback__)
    if source != "built-in":
        mine = [f for f in frames if Path(f.filename).resolve() == Path(source).resolve()]
        line = mine[-1].lineno if mine else 0
        path, advice = source, "fix the layout file or build without it"
    else:
        last = frames[-1] if frames else None
        path, line = (last.filename, last.lineno) if last else ("printkit", None)
        advice = "this is a bug in printkit; please report it with the deck"
    if isinstance(error, SystemExit):
        what = f"it called sys.exit({error.code!r})"
    else:
        what = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    return Problem(path, line, f"the {name} layout failed on {deck_path}: {what}; {advice}")


class BuildRequest(NamedTuple):
    """Everything a worker process needs to build decks, by name (layouts are found again there)."""

    out_dir: Path
    workspace: Path | None  # None: the built-in layouts only (--no-custom-layouts)
    layout_names: tuple[str, ...]
    cli_settings: tuple[Setting, ...] = ()
    force: bool = False
    printers: Printers | None = None  # the workspace's printer profiles (printkit.yaml)


@cache
def _layouts_in_worker(
    workspace: Path | None, names: tuple[str, ...]
) -> tuple[Mapping[str, Layout], list[Layout]]:
    # Layouts that fail to load were reported once by the command; here they are left out.
    all_layouts = available_layouts(workspace, problems={})
    return all_layouts, select_layouts(all_layouts, names)


def _build_one(request: BuildRequest, deck_path: Path) -> DeckResult:
    try:
        all_layouts, layouts = _layouts_in_worker(request.workspace, request.layout_names)
        return build_deck(
            deck_path,
            request.out_dir,
            layouts,
            all_layouts,
            request.cli_settings,
            request.force,
            request.printers,
        )
    except PrintkitError as error:
        return DeckResult(deck_path, error=error)
    except Exception as error:  # a bug in printkit: this deck fails, the others still build
        return DeckResult(deck_path, error=_unexpected(error, deck_path))


def _unexpected(error: BaseException, deck_path: Path) -> DeckError:
    import traceback  # only when a build goes wrong

    frames = traceback.extract_tb(error.__traceback__)
    where = f" (at {frames[-1].filename}:{frames[-1].lineno})" if frames else ""
    return DeckError(
        Problem(
            deck_path,
            None,
            f"could not be built: {type(error).__name__}: {error}{where}; "
            "this is a bug in printkit, please report it with the deck",
        )
    )


def build_decks(
    request: BuildRequest, deck_paths: Sequence[Path], jobs: int = 1
) -> Iterator[DeckResult]:
    """Build each deck, in `jobs` processes at once; results come in deck order, and a deck that
    fails is reported while the others still build."""
    if jobs <= 1 or len(deck_paths) <= 1:
        for deck_path in deck_paths:
            yield _build_one(request, deck_path)
        return
    import os
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(
        max_workers=min(jobs, len(deck_paths)),
        initializer=_end_with_parent,
        initargs=(os.getpid(),),
    )
    try:
        futures = [pool.submit(_build_one, request, deck_path) for deck_path in deck_paths]
        for deck_path, future in zip(deck_paths, futures, strict=True):
            try:
                yield future.result()
            except Exception as error:  # a worker died (os._exit in a layout, out of memory)
                yield DeckResult(deck_path, error=_unexpected(error, deck_path))
    except BaseException:
        # Interrupted (Ctrl-C): no deck is started any more, and running ones are stopped.
        pool.shutdown(wait=False, cancel_futures=True)
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()
        raise
    pool.shutdown()


def _end_with_parent(parent: int) -> None:
    """In a worker: exit as soon as the build that started it is gone (killed, not only
    interrupted), instead of writing PDFs for minutes that nobody waits for."""
    import os
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()
