"""Building a workspace's decks for the page: PDFs into a private folder, page sizes, page
pictures (rasterised by pypdfium2), the build's messages, and the last good preview.

One lock serialises builds and rasterising: pdfium is not thread-safe, and one deck at a time
is what a person saving a file needs. Nothing here knows about HTTP.
"""

from __future__ import annotations

import hashlib
import shlex
import shutil
import threading
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from pathlib import Path

from printkit.build import DECK_SUFFIXES, build_deck
from printkit.deck import load_deck
from printkit.errors import DeckError, PrintkitError
from printkit.options import Setting, Settings, parse_cli_setting
from printkit.printers import WORKSPACE_FILE
from printkit.settings import deck_settings, layer_problems, resolve_layouts

MM_PER_PT = 25.4 / 72
# Page pictures at twice the CSS pixel density, so they stay sharp on high-density screens.
RENDER_DPI = 192
# The last few sets of switches seen for a deck are rebuilt when it is saved; older ones on demand.
KEEP_CHOICES = 3
KEEP_PICTURES = 200
FILE_OPTIONS = ("font", "bold_font")  # options whose value is a file to read
SWITCHES = ("paper", "stock", "flip", "duplex")
OUTSIDE = (
    "the page only uses files inside the workspace; copy the font into it and name it from there"
)


@dataclass(frozen=True)
class Choices:
    """The page's switches: the same settings `printkit build` takes on its command line."""

    paper: str = ""  # "" leaves the deck's own (or the default) value
    stock: str = ""
    flip: str = ""
    duplex: str = ""
    layout: str = ""  # "" builds every layout
    extra: tuple[str, ...] = ()  # NAME=VALUE texts, as given to --set

    @classmethod
    def from_query(cls, query: dict[str, list[str]]) -> Choices:
        one = {name: (query.get(name) or [""])[-1].strip() for name in (*SWITCHES, "layout")}
        extra = tuple(
            line.strip()
            for text in query.get("set", [])
            for line in text.splitlines()
            if line.strip()
        )
        return cls(**one, extra=extra)

    def settings(self) -> tuple[list[Setting], list[str]]:
        """The settings, as build makes them from its options, and problems reading --set."""
        settings, problems = [], []
        for text in self.extra:
            try:
                settings.append(parse_cli_setting(text))
            except PrintkitError as error:
                problems.extend(error.messages)
        for name in SWITCHES:
            value = getattr(self, name)
            if value:
                settings.append(Setting(None, name, value, f"--{name} {value}"))
        return settings, problems

    def command(self, deck_path: str) -> str:
        """The `printkit build` command line that makes the same PDFs into output/."""
        words = ["printkit", "build", deck_path]
        for name in SWITCHES:
            if getattr(self, name):
                words += [f"--{name}", getattr(self, name)]
        if self.layout:
            words += ["--layout", self.layout]
        for text in self.extra:
            words += ["--set", text]
        return shlex.join(words)

    def key(self) -> str:
        return hashlib.sha256(repr(self).encode()).hexdigest()[:12]


# What a deck page's address may hold besides the switches: its layout, --set lines, the size.
VIEW = (*SWITCHES, "layout", "set", "size")


def view_query(query: dict[str, list[str]]) -> str:
    """The part of a deck page's query that says how it is viewed (switches, layout, --set
    lines, size), encoded again: carried to the card editor and back, so that editing cards
    does not forget the print options chosen. Anything else in the query is left behind."""
    from urllib.parse import urlencode

    return urlencode([(name, value) for name in VIEW for value in query.get(name, [])])


@dataclass(frozen=True)
class Page:
    number: int  # 1-based
    width_mm: float
    height_mm: float
    text: str  # the page's text, for screen readers


@dataclass(frozen=True)
class PdfFile:
    name: str  # example-flashcards.pdf
    digest: str  # of its bytes: names the file and its page pictures in URLs
    pages: tuple[Page, ...]


@dataclass
class LayoutPreview:
    name: str
    description: str
    files: list[PdfFile]
    sides: str = "single"  # flashcards: "pairs" (front, back, …), "halves" (manual) or "single"
    stale: bool = False  # the last good preview, kept while the deck has a mistake


@dataclass
class DeckPreview:
    stem: str
    path: str  # as build names it in messages: decks/example.yaml
    choices: Choices
    title: str | None = None
    cards: int | None = None
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)  # workspace layouts that cannot be loaded
    layouts: dict[str, LayoutPreview] = field(default_factory=dict)
    # What each switch means when left alone: "a4 (default)", "letter (deck)".
    defaults: dict[str, str] = field(default_factory=dict)
    fresh: int = 0  # PDFs written by this build (the others were up to date)
    version: int = 0  # counts builds, so the page can tell it has something new
    command: str = ""


class Workspace:
    """A workspace folder (decks/, optional layouts/ and printkit.yaml) and its previews.

    `root` must be the current folder, as for `printkit build`: messages name files from it.
    """

    def __init__(
        self, root: Path, cache: Path, *, custom_layouts: bool = True, out_dir: Path | None = None
    ) -> None:
        self.root = Path(root).resolve()
        self.cache = Path(cache)
        # `printkit watch` builds into output/ as build does, and needs no page pictures.
        self.out_dir = out_dir
        self.custom_layouts = custom_layouts
        self.lock = threading.RLock()
        self.previews: dict[tuple[str, str], DeckPreview] = {}
        self.layouts: dict = {}  # every layout by name, as found at the last build
        self.printers = None  # the workspace's printer profiles, as read at the last build
        self.recent: dict[str, OrderedDict[str, Choices]] = {}
        self.files: dict[str, Path] = {}  # digest -> kept copy of a PDF
        self.pictures: OrderedDict[tuple[str, int], bytes] = OrderedDict()
        self.versions = 0

    # -- the decks ------------------------------------------------------------------------

    def deck_paths(self) -> dict[str, Path]:
        """Every deck file in decks/, by stem; files that lead outside the workspace (symbolic
        links) are left out, so nothing outside it is ever read or shown."""
        folder = self.root / "decks"
        found: dict[str, Path] = {}
        if not folder.is_dir() or folder.resolve().parent != self.root:
            return found
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() not in DECK_SUFFIXES or path.name.startswith("."):
                continue
            try:
                real = path.resolve(strict=True)
            except (OSError, RuntimeError):
                continue
            if real.is_file() and real.is_relative_to(self.root):
                found.setdefault(path.stem, Path("decks") / path.name)
        return found

    def deck_path(self, stem: str) -> Path | None:
        return self.deck_paths().get(stem)

    # -- building -------------------------------------------------------------------------

    def preview(self, stem: str, choices: Choices = Choices()) -> DeckPreview | None:
        """The deck's preview for these switches, built now if it never was."""
        with self.lock:
            self._remember(stem, choices)
            known = self.previews.get((stem, choices.key()))
            return known if known is not None else self.build(stem, choices)

    def rebuild(self, stem: str) -> list[DeckPreview]:
        """Build a deck again for the switches recently looked at (after it was saved)."""
        with self.lock:
            seen = list(self.recent.get(stem, {}).values()) or [Choices()]
            return [p for p in (self.build(stem, c) for c in seen) if p is not None]

    def forget(self, stem: str) -> None:
        with self.lock:
            for key in [k for k in self.previews if k[0] == stem]:
                del self.previews[key]
            self.recent.pop(stem, None)

    def _remember(self, stem: str, choices: Choices) -> None:
        recent = self.recent.setdefault(stem, OrderedDict())
        recent[choices.key()] = choices
        recent.move_to_end(choices.key())
        while len(recent) > KEEP_CHOICES:
            recent.popitem(last=False)

    def build(self, stem: str, choices: Choices = Choices()) -> DeckPreview | None:
        """Build one deck's layouts as chosen; a mistake keeps the last good pages beside it."""
        path = self.deck_path(stem)
        if path is None:
            return None
        with self.lock:
            self.versions += 1
            before = self.previews.get((stem, choices.key()))
            preview = DeckPreview(stem, str(path), choices, version=self.versions)
            preview.command = choices.command(str(path))
            try:
                deck = load_deck(path)
                preview.title, preview.cards = deck.title, len(deck.cards)
            except DeckError:
                deck = None
                preview.title, preview.cards = _rough_facts(path)
            built = self._build(path, choices, preview)
            if built is not None:
                chosen = self._flashcards(deck, choices.settings()[0])
                self._collect(built, chosen, preview)
                preview.defaults = _labels(self._flashcards(deck, []))
            if deck is None:  # a deck with mistakes: its own values as last read, if ever
                preview.defaults = (
                    before.defaults if before else _labels(self._flashcards(None, []))
                )
            if before is not None:
                for name, old in before.layouts.items():
                    if name not in preview.layouts and (preview.problems or built is None):
                        preview.layouts[name] = replace(old, stale=True)
            self.previews[(stem, choices.key())] = preview
            self._remember(stem, choices)
            return preview

    def check(self, choices: Choices) -> tuple[list, list[Setting], list[str], list[str]]:
        """The layouts and settings these switches ask for, every problem with them (and with
        printkit.yaml), found before any deck is read, and the workspace layouts that cannot be
        loaded (left out, as build leaves them out)."""
        from printkit.cli import _workspace_printers
        from printkit.layout_loader import available_layouts, select_layouts

        broken: dict = {}
        self.layouts = available_layouts(self.root if self.custom_layouts else None, broken)
        self.printers = None
        settings, problems = choices.settings()
        if self.out_dir is None:  # the page; on the command line a font is anywhere, as for build
            outside = self._outside(settings)
            problems += [str(s.problem(OUTSIDE)) for s in outside]
            # Not even checked: checking a font reads it, and a page (or another website's
            # picture pointing at it) must not make printkit open /dev/stdin or a pipe.
            settings = [s for s in settings if s not in outside]
        options = {name: layout.options for name, layout in self.layouts.items()}
        problems += [str(p) for p in layer_problems(settings, options)]
        layouts = []
        try:
            layouts = select_layouts(self.layouts, [choices.layout] if choices.layout else [])
            self.printers = _workspace_printers(options)
        except PrintkitError as error:
            problems += error.messages
        return layouts, settings, problems, [str(p) for p in broken.values()]

    def _build(self, path: Path, choices: Choices, preview: DeckPreview):
        from printkit.build import DeckResult, _unexpected

        layouts, settings, problems, preview.broken = self.check(choices)
        if problems:
            preview.problems.extend(problems)
            return None
        out_dir = self.out_dir or self.cache / choices.key()
        try:
            result = build_deck(
                path, out_dir, layouts, self.layouts, settings, False, self.printers
            )
        except PrintkitError as error:
            result = DeckResult(path, error=error)
        except Exception as error:  # a bug in printkit: said as build says it
            result = DeckResult(path, error=_unexpected(error, path))
        if result.error is not None:
            preview.problems.extend(result.error.messages)
        preview.warnings.extend(map(str, result.warnings))
        return result

    def _outside(self, settings: list[Setting]) -> list[Setting]:
        """The settings naming a file (a font) outside the workspace: the page reads no others."""
        outside = []
        for s in settings:
            if s.name in FILE_OPTIONS and s.value:
                try:  # as the font check reads it: "~" is the home folder
                    named = self.root / Path(s.value).expanduser()
                    inside = named.resolve().is_relative_to(self.root)
                except (OSError, RuntimeError, ValueError):
                    inside = False
                if not inside:
                    outside.append(s)
        return outside

    def _collect(self, result, flashcards: Settings | None, preview: DeckPreview) -> None:
        names = sorted(self.layouts, key=len, reverse=True)  # "quiz-key" before "quiz"
        preview.fresh = sum(written.fresh for written in result.written)
        for written in result.written:
            file_stem = written.path.stem.removeprefix(f"{preview.stem}-")
            name = next((n for n in names if file_stem == n or file_stem.startswith(f"{n}-")), None)
            if name is None:  # not named as the engine names files: nothing to show it under
                continue
            if name not in preview.layouts:
                sides = _sides(flashcards) if name == "flashcards" else "single"
                preview.layouts[name] = LayoutPreview(
                    name, self.layouts[name].description, [], sides
                )
            if self.out_dir is None:
                kept = self._keep(written.path)
            else:
                kept = PdfFile(written.path.name, "", (Page(1, 0, 0, ""),) * written.pages)
            preview.layouts[name].files.append(kept)
        order = list(self.layouts)
        preview.layouts = dict(sorted(preview.layouts.items(), key=lambda i: order.index(i[0])))

    def _flashcards(self, deck, settings: list[Setting]) -> Settings | None:
        """The flashcards' settings as build resolves them (profile < deck < these settings)."""
        layout = self.layouts.get("flashcards")
        if layout is None:
            return None
        options = {"flashcards": layout.options}
        own = deck_settings(deck) if deck is not None else []
        try:
            resolved, _ = resolve_layouts(options, options, own, settings, self.printers)
        except PrintkitError:
            return None
        return resolved["flashcards"]

    def _keep(self, path: Path) -> PdfFile:
        """A copy of a written PDF under its digest (the next build may replace the file),
        with its page sizes and texts."""
        import pypdfium2 as pdfium

        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()[:20]
        kept = self.cache / "kept" / f"{digest}.pdf"
        if not kept.exists():
            kept.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, kept)
        self.files[digest] = kept
        pdf = pdfium.PdfDocument(data)
        try:
            pages = []
            for index in range(len(pdf)):
                page = pdf[index]
                width, height = page.get_size()
                text = page.get_textpage().get_text_range()
                pages.append(Page(index + 1, width * MM_PER_PT, height * MM_PER_PT, text))
        finally:
            pdf.close()
        return PdfFile(path.name, digest, tuple(pages))

    # -- what the page asks for ------------------------------------------------------------

    def pdf_file(self, digest: str) -> Path | None:
        return self.files.get(digest)

    def page_picture(self, digest: str, number: int) -> bytes | None:
        """Page `number` (1-based) of a kept PDF as a PNG, made once."""
        import io

        import pypdfium2 as pdfium

        path = self.files.get(digest)
        if path is None:
            return None
        with self.lock:
            if (digest, number) in self.pictures:
                self.pictures.move_to_end((digest, number))
                return self.pictures[(digest, number)]
            pdf = pdfium.PdfDocument(path)
            try:
                if not 1 <= number <= len(pdf):
                    return None
                image = pdf[number - 1].render(scale=RENDER_DPI / 72).to_pil()
            finally:
                pdf.close()
            buffer = io.BytesIO()
            image.save(buffer, format="PNG", optimize=False, compress_level=6)
            self.pictures[(digest, number)] = buffer.getvalue()
            while len(self.pictures) > KEEP_PICTURES:  # about 30 MB of the latest pages
                self.pictures.popitem(last=False)
            return self.pictures[(digest, number)]

    def summaries(self) -> list[DeckPreview]:
        """Every deck with its last preview for the default switches (built if needed)."""
        return [
            p for p in (self.preview_default(stem) for stem in self.deck_paths()) if p is not None
        ]

    def preview_default(self, stem: str) -> DeckPreview | None:
        with self.lock:
            known = self.previews.get((stem, Choices().key()))
            return known if known is not None else self.build(stem)


def _rough_facts(path: Path) -> tuple[str | None, int | None]:
    """A deck's title and number of cards as far as they can be read from a file with mistakes,
    so the list still names it the way its author does."""
    import yaml

    from printkit.deck import MAX_DECK_BYTES

    try:
        if path.stat().st_size > MAX_DECK_BYTES:
            return None, None
        loader = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
        data = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None, None
    if not isinstance(data, dict):
        return None, None
    title = data.get("title") if isinstance(data.get("title"), str) else None
    cards = len(data["cards"]) if isinstance(data.get("cards"), list) else None
    return title, cards


def _sides(flashcards: Settings | None) -> str:
    """How a flashcard PDF's pages pair up: front then back, or all fronts then all backs."""
    duplex = flashcards.get("duplex") if flashcards is not None else None
    return {"double": "pairs", "manual": "halves"}.get(duplex, "single")


def _labels(flashcards: Settings | None) -> dict[str, str]:
    """What each switch left alone stands for, and who chose it: "a4 (default)", "short (deck)"."""
    if flashcards is None:
        return {}
    shown = {}
    for name in SWITCHES:
        value = flashcards.get(name)
        value = getattr(value, "name", value)  # a Paper or a Stock is shown by its name
        source = flashcards.source(name)
        if source is None:
            who = "default"
        else:
            who = "printer" if str(source.where).endswith(WORKSPACE_FILE) else "deck"
        shown[name] = f"{value} ({who})"
    return shown
