"""Watching a workspace's decks: which deck files were saved (for `printkit watch` and
`printkit serve`), and `printkit watch`'s one line per rebuild."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from printkit.build import DECK_SUFFIXES
from printkit.printers import WORKSPACE_FILE

EVERY_DECK = "*"  # a picture or a layout changed: every deck may look different
PICTURES = (".png", ".jpg", ".jpeg", ".svg")


def deck_changes(
    root: Path, stop: threading.Event, ready: threading.Event | None = None
) -> Iterator[set[str]]:
    """Sets of deck stems saved since the last set (EVERY_DECK for pictures, layouts and
    printkit.yaml), until `stop` is set. Editors that save by renaming a temporary file are seen too.
    `ready` is set once the folders are being watched."""
    import watchfiles

    folders = [root / name for name in ("decks", "layouts") if (root / name).is_dir()]
    if not folders:
        return
    # printkit.yaml (printer profiles) is looked at each time the watcher wakes, at least every
    # 300 ms: watching the workspace folder itself would watch output/ and any virtual
    # environment in it as well, and a watch on the file alone is lost when an editor saves by
    # renaming a new file into its place.
    settings = root / WORKSPACE_FILE
    settings_seen = _file_state(settings)
    # step: a burst of writes (an editor's save) arrives as one set, 50 ms after it ends.
    for changes in watchfiles.watch(
        *folders, stop_event=stop, step=50, debounce=800, rust_timeout=300, yield_on_timeout=True
    ):
        if ready is not None:
            ready.set()  # an empty set every 300 ms, the first one once watching has begun
        stems: set[str] = set()
        for _, name in changes:
            path = Path(name)
            if path.name.startswith(".") or path.suffix == ".tmp" or "__pycache__" in path.parts:
                continue  # temporary files, our own atomic writes' included
            suffix = path.suffix.lower()
            if path.parent == root / "decks" and suffix in DECK_SUFFIXES:
                stems.add(path.stem)
            elif suffix in PICTURES or (suffix == ".py" and path.parent == root / "layouts"):
                stems.add(EVERY_DECK)
            # Anything else (an editor's swap file, sed's temporary file) changes no PDF.
        state = _file_state(settings)
        if state != settings_seen:  # written, made or removed: every deck may print otherwise
            settings_seen = state
            stems.add(EVERY_DECK)
        if stems:
            yield stems


def _file_state(path: Path) -> tuple[int, int, int] | None:
    """What changes when a file is written or replaced: None when there is none."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size, stat.st_ino


def watch_decks(
    root: Path,
    rebuild: Callable[[str], list[str]],
    all_stems: Callable[[], list[str]],
    echo: Callable[[str], None],
    stop: threading.Event,
    ready: threading.Event | None = None,
) -> None:
    """Call `rebuild` for each saved (or removed) deck and echo the lines it returns."""
    for stems in deck_changes(root, stop, ready):
        # A deck that is gone is passed on too, so the page can drop it.
        chosen = sorted(all_stems()) if EVERY_DECK in stems else sorted(stems)
        for stem in chosen:
            for line in rebuild(stem):
                echo(line)
