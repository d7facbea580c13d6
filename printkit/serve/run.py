"""Starting `printkit serve` and `printkit watch` from the command line."""

from __future__ import annotations

import signal
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from printkit.serve.previews import Choices, DeckPreview, Workspace
from printkit.watch import watch_decks

if TYPE_CHECKING:
    from printkit.serve.server import PreviewServer


def deck_lines(preview: DeckPreview | None, stem: str, where: str = "") -> list[str]:
    """What a rebuild says, in build's words: its errors and warnings, or one line of PDFs."""
    if preview is None:
        return [f"{stem}: no longer in decks/"]
    lines = [f"Error: {problem}" for problem in preview.problems]
    lines += [f"Warning: {warning}" for warning in preview.warnings]
    if not preview.problems:
        files = [f for layout in preview.layouts.values() for f in layout.files]
        pages = sum(len(f.pages) for f in files)
        verb = "built" if preview.fresh or not files else "up to date"
        lines.append(
            f"{verb} {preview.path}: {len(files)} PDF{'s' if len(files) != 1 else ''}, "
            f"{pages} page{'s' if pages != 1 else ''}" + (f" in {where}" if where else "")
        )
    return lines


def show(line: str) -> None:
    """A line as build prints it: errors and warnings on stderr."""
    click.echo(line, err=line.startswith(("Error:", "Warning:")))


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def serve(host: str, port: int, custom_layouts: bool) -> None:
    root = Path.cwd()
    if not (root / "decks").is_dir():
        from printkit.errors import PrintkitError

        raise PrintkitError(
            "there is no decks/ folder here; run printkit serve in a workspace "
            "(printkit init makes one)"
        )
    # A stop by `kill` (SIGTERM) ends like Ctrl-C, so the temporary folder is removed.
    before = signal.signal(signal.SIGTERM, _interrupt)
    try:
        _serve(root, host, port, custom_layouts)
    finally:
        signal.signal(signal.SIGTERM, before)


def follow_saves(
    server: PreviewServer,
    echo: Callable[[str], None],
    stop: threading.Event,
    ready: threading.Event | None = None,
) -> threading.Thread:
    """A thread that rebuilds each saved deck for the page and tells the open pages."""
    workspace = server.workspace

    def changed(stem: str) -> list[str]:
        if workspace.deck_path(stem) is None:
            workspace.forget(stem)
            server.events.publish({"deck": stem})
            return [f"{stem}: no longer in decks/"]
        server.deck_changed(stem)
        return deck_lines(workspace.preview(stem), stem)

    watcher = threading.Thread(
        target=watch_decks,
        args=(workspace.root, changed, lambda: list(workspace.deck_paths()), echo, stop, ready),
        daemon=True,
    )
    watcher.start()
    return watcher


def _serve(root: Path, host: str, port: int, custom_layouts: bool) -> None:
    from printkit.serve.server import serve_in_thread, start

    with tempfile.TemporaryDirectory(prefix="printkit-serve-") as cache:
        workspace = Workspace(root, Path(cache), custom_layouts=custom_layouts)
        try:  # the port first: a busy one is said at once, not after building every deck
            server = start(workspace, host, port)
        except OSError as error:
            from printkit.errors import PrintkitError

            raise PrintkitError(
                f"cannot listen on {host}:{port} ({error.strerror}); choose another --port"
            ) from None
        for problem in workspace.check(Choices())[3]:  # once, not once per deck
            show(f"Error: {problem}")
        for preview in workspace.summaries():
            for line in deck_lines(preview, preview.stem):
                show(line)
        stop = threading.Event()
        follow_saves(server, show, stop)
        shown = f"[{host}]" if ":" in host else host
        click.echo(f"Serving {root.name} at http://{shown}:{server.port}/ (Ctrl-C to stop)")
        thread = serve_in_thread(server)
        try:
            thread.join()
        except KeyboardInterrupt:
            click.echo("Stopped.")
        finally:
            stop.set()
            server.shutdown()
            server.server_close()


def watch(
    out_dir: Path, choices: Choices, custom_layouts: bool, stop: threading.Event | None = None
) -> None:
    """Build every deck into `out_dir`, then each deck again whenever it is saved, until
    Ctrl-C (or `stop`)."""
    root = Path.cwd()
    if not (root / "decks").is_dir():
        from printkit.errors import PrintkitError

        raise PrintkitError(
            "there is no decks/ folder here; run printkit watch in a workspace "
            "(printkit init makes one)"
        )
    from printkit.output import check_writable_folder

    workspace = Workspace(root, out_dir, custom_layouts=custom_layouts, out_dir=out_dir)
    _, _, problems, broken = workspace.check(choices)
    if problems:  # a wrong option is said once, before watching, as build says it
        raise click.UsageError(problems[0])
    for problem in broken:  # a layout that cannot be loaded: said once, the others are built
        show(f"Error: {problem}")
    check_writable_folder(out_dir)

    def rebuild(stem: str) -> list[str]:
        return deck_lines(workspace.build(stem, choices), stem, f"{out_dir}/")

    for stem in workspace.deck_paths():
        for line in rebuild(stem):
            show(line)
    stop = stop or threading.Event()
    ready = threading.Event()
    threading.Thread(
        target=lambda: ready.wait() and click.echo(f"Watching {root.name}/decks (Ctrl-C to stop)"),
        daemon=True,
    ).start()
    try:
        watch_decks(root, rebuild, lambda: list(workspace.deck_paths()), show, stop, ready)
    except KeyboardInterrupt:
        stop.set()
        click.echo("Stopped.")
