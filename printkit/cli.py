"""The `printkit` command: thin click commands over the engine.

Heavy modules (reportlab, the layouts) are imported inside the commands so `--help` is instant.
"""

from __future__ import annotations

import atexit
from pathlib import Path

import click

from printkit import __version__
from printkit.errors import PrintkitError


class _Commands(click.Group):
    """The command group: the engine's errors are printed here, at the edge, one line each."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except PrintkitError as error:
            show_error(error)
            raise click.exceptions.Exit(1) from None


def show_error(error: PrintkitError) -> None:
    """Each problem of an engine error as one line `Error: path:line: message` on stderr."""
    for problem in error.problems:
        click.echo(f"Error: {problem}", err=True)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="printkit")
def main() -> None:
    """Turn YAML decks of study cards into printable PDFs: duplex flashcard sheets, a one-page
    revision summary, and worksheets with answer keys."""


def run() -> None:
    """The `printkit` program: the command line, then an exit that skips tearing down the
    interpreter.

    Python's own exit frees every module, class and object one by one, and then the process
    ends and the system takes the memory back anyway: about 5 ms of a 0.13 s build, more after
    a big deck. Here the exit handlers still run (multiprocessing's, temporary folders'), the
    output is flushed, and the process then ends at once with the status click chose.
    """
    import os
    import sys

    try:
        main()  # click's standalone mode always ends by raising SystemExit
        status = 0
    except SystemExit as done:
        status = _exit_status(done.code)
    atexit._run_exitfuncs()  # what a normal exit would run
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # a closed pipe (`printkit build | head`): as Python does
            status = status or 120
    os._exit(status)


def _exit_status(code: object) -> int:
    """The process status `sys.exit(code)` gives: 0 for None, the number, else 1 after
    printing the message."""
    import sys

    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


# The options that build, serve and watch share, written once so that all take and explain
# them alike.
_out_option = click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("output"),
    show_default=True,
    help="Folder the PDFs are written to.",
)
_paper_option = click.option(
    "--paper",
    type=click.Choice(["a4", "letter"], case_sensitive=False),
    help="Paper size (default a4).",
)
_flip_option = click.option(
    "--flip",
    type=click.Choice(["long", "short"]),
    help="Duplex flip edge for flashcards (default long).",
)
_stock_option = click.option(
    "--stock", metavar="NAME", help="Card stock for flashcards; see `printkit stocks`."
)
_duplex_option = click.option(
    "--duplex",
    type=click.Choice(["double", "manual", "fold"]),
    help="double: the printer prints both sides (default); manual: fronts, then backs; "
    "fold: both on one side, fold and cut.",
)
_set_option = click.option(
    "--set",
    "-s",
    "settings",
    multiple=True,
    metavar="[LAYOUT.]NAME=VALUE",
    help="Set a layout option, e.g. --set summary.pages=2 (repeatable).",
)
_no_custom_layouts_option = click.option(
    "--no-custom-layouts",
    is_flag=True,
    help="Ignore the Python layouts in ./layouts (they run as code on build); built-ins only.",
)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@_out_option
@_paper_option
@_flip_option
@_stock_option
@_duplex_option
@click.option(
    "--back-offset",
    metavar="X,Y",
    help="Move the backs by X,Y mm (right, up), as measured with `printkit calibrate`.",
)
@click.option(
    "--printer",
    metavar="NAME",
    help="Use a printer profile from printkit.yaml (flip, back offset).",
)
@click.option(
    "--seed",
    type=click.IntRange(min=0),
    help="Shuffle worksheet and answer-key questions with this number (default: deck order).",
)
@click.option(
    "--versions",
    type=click.IntRange(min=1, max=26),
    help="Write this many worksheet versions A, B, C… in different orders, each with its key.",
)
@click.option(
    "--tag",
    "tags",
    multiple=True,
    metavar="NAME",
    help="Only the cards with this tag, in every layout (repeatable: any of them).",
)
@click.option(
    "--not-tag",
    "not_tags",
    multiple=True,
    metavar="NAME",
    help="Leave out the cards with this tag (repeatable).",
)
@click.option(
    "--layout",
    "layout_names",
    multiple=True,
    metavar="NAME",
    help="Only build this layout (repeatable); see `printkit layouts`.",
)
@_set_option
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Decks built at once (default: the number of CPU cores).",
)
@click.option("--force", is_flag=True, help="Rebuild PDFs even when they are up to date.")
@_no_custom_layouts_option
def build(
    paths: tuple[Path, ...],
    out_dir: Path,
    paper: str | None,
    flip: str | None,
    seed: int | None,
    versions: int | None,
    stock: str | None,
    duplex: str | None,
    back_offset: str | None,
    printer: str | None,
    tags: tuple[str, ...],
    not_tags: tuple[str, ...],
    layout_names: tuple[str, ...],
    settings: tuple[str, ...],
    jobs: int | None,
    force: bool,
    no_custom_layouts: bool,
) -> None:
    """Build PDFs from deck files or folders (default: every deck in ./decks)."""
    import os

    from printkit.collector import imports_kept_out_of_collection
    from printkit.deferred import defer

    defer()  # before reportlab is imported: Pillow and HarfBuzz load when a deck needs them
    workspace = None if no_custom_layouts else Path.cwd()
    broken: dict[str, str] = {}  # workspace layouts that cannot be loaded: reported, not built
    with imports_kept_out_of_collection():
        from printkit.build import BuildRequest, build_decks, find_decks
        from printkit.errors import LayoutError, OptionError
        from printkit.layout_loader import available_layouts, options_of, select_layouts
        from printkit.options import Setting, parse_cli_setting
        from printkit.output import check_writable_folder, remove_leftovers
        from printkit.progress import Progress
        from printkit.settings import chosen_profile, layer_problems

        all_layouts = available_layouts(workspace, broken)
        for problem in broken.values():
            click.echo(f"Error: {problem}", err=True)
        if layout_names and all(name in broken for name in layout_names):
            raise click.exceptions.Exit(1)
        layout_names = tuple(name for name in layout_names if name not in broken)
        try:
            select_layouts(all_layouts, layout_names)  # imports the built-ins chosen
        except LayoutError as error:
            raise click.BadParameter(str(error), param_hint="--layout") from None
    try:
        cli_settings = [parse_cli_setting(text) for text in settings]
    except OptionError as error:
        raise click.UsageError(str(error)) from None
    shortcuts = {
        "paper": paper,
        "flip": flip,
        "seed": seed,
        "versions": versions,
        "stock": stock,
        "duplex": duplex,
        "back_offset": back_offset,
        "printer": printer,
        "tag": ",".join(tags),
        "not_tag": ",".join(not_tags),
    }
    for name, value in shortcuts.items():
        if value is not None and value != "":
            flag = "--" + name.replace("_", "-")
            cli_settings.append(Setting(None, name, str(value), f"{flag} {value}"))
    all_options = options_of(all_layouts)
    problems = layer_problems(cli_settings, all_options)  # once, not once per deck
    if problems:
        raise click.UsageError(str(problems[0]))
    printers = _workspace_printers(all_options)
    try:  # a printer named on the command line must exist: say so once, not once per deck
        chosen_profile(printers, cli_settings)
    except OptionError as error:
        raise click.UsageError(str(error)) from None

    if not paths:
        if not Path("decks").is_dir():
            raise PrintkitError(
                "there is no decks/ folder here; run printkit in a folder with decks/, or name deck files"
            )
        paths = (Path("decks"),)
    deck_paths = find_decks(paths)
    if not deck_paths:
        raise PrintkitError(f"{', '.join(map(str, paths))}: no .yaml deck files found")

    check_writable_folder(out_dir)
    remove_leftovers(out_dir)
    request = BuildRequest(out_dir, workspace, layout_names, tuple(cli_settings), force, printers)
    progress = Progress(len(deck_paths))
    failed = 0
    written_now: list[Path] = []
    try:
        for result in build_decks(request, deck_paths, jobs or os.cpu_count() or 1):
            progress.clear()
            if result.error is not None:
                failed += 1
                show_error(result.error)
            for written in result.written:
                pages = f"{written.pages} page{'s' if written.pages != 1 else ''}"
                verb = "wrote" if written.fresh else "up to date"
                click.echo(f"{verb} {written.path} ({pages})")
                written_now += [written.path] if written.fresh else []
            for path in result.removed:
                click.echo(f"removed {path} (an earlier build's, not made by this one)")
            for warning in result.warnings:
                click.echo(f"Warning: {warning}", err=True)
            progress.advance()
    except KeyboardInterrupt:
        progress.clear()
        remove_leftovers(out_dir)
        done = ", ".join(map(str, written_now))
        click.echo(
            f"Interrupted; the PDFs written before: {done}"
            if written_now
            else "Interrupted before any PDF was written",
            err=True,
        )
        raise click.exceptions.Exit(130) from None
    progress.clear()
    if failed or broken:
        raise click.exceptions.Exit(1)


@main.command(name="layouts")
def list_layouts() -> None:
    """List the available layouts with their options."""
    from printkit.layout_loader import available_layouts

    for layout in available_layouts(Path.cwd()).values():
        source = "" if layout.source == "built-in" else f"  [{layout.source}]"
        click.echo(f"{layout.name}: {layout.description}{source}")
        for option in layout.options:
            default = option.default if isinstance(option.default, str) else repr(option.default)
            default = "not set" if option.default in (None, "") else default
            click.echo(
                f"  {option.name} ({option.describe_values()}, default {default}): {option.help}"
            )


def _workspace_printers(all_options):
    """The printer profiles of ./printkit.yaml, checked against the layouts; None without one."""
    from printkit.errors import PrinterFileError
    from printkit.printers import WORKSPACE_FILE, load_printers
    from printkit.settings import printers_problems

    path = Path(WORKSPACE_FILE)
    if not path.is_file():
        return None
    printers = load_printers(path)
    problems = printers_problems(printers, all_options)
    if problems:
        raise PrinterFileError(problems)
    return printers


@main.command(name="stocks")
def list_stocks() -> None:
    """List the card stocks for flashcards: paper, card size and cards per sheet."""
    from printkit.stocks import DEFAULT_STOCKS, STOCKS

    defaults = {name: paper for paper, name in DEFAULT_STOCKS.items()}
    rows = [("stock", "paper", "card size", "per sheet", "")]
    for stock in STOCKS.values():
        paper = stock.paper.capitalize() if stock.paper else "A4 or Letter"
        note = stock.description + (
            f" (default on {defaults[stock.name].capitalize()})" if stock.name in defaults else ""
        )
        layout = f"{stock.per_sheet} ({stock.columns} × {stock.rows})"
        rows.append((stock.name, paper, stock.size_text(), layout, note))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        click.echo(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
            + "  "
            + row[4]
        )
    click.echo(
        "\ncustom: set card_width and card_height (and columns, rows if you like), for example "
        "--set card_width=70mm --set card_height=50mm"
    )


@main.command()
@click.option(
    "--paper",
    type=click.Choice(["a4", "letter"], case_sensitive=False),
    default="a4",
    show_default=True,
    help="Paper size of the test sheet.",
)
@click.option(
    "--flip",
    type=click.Choice(["long", "short"]),
    default="long",
    show_default=True,
    help="The flip edge to test.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="PDF to write (default printkit-calibration-<paper>.pdf).",
)
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
def calibrate(paper: str, flip: str, output: Path | None, force: bool) -> None:
    """Write a one-sheet test print that measures your printer: scale, flip edge, back offset."""
    from printkit.calibrate import calibration_pdf
    from printkit.output import refuse_overwrite, write_atomic
    from printkit.paper import PAPERS

    output = output or Path(f"printkit-calibration-{paper.lower()}.pdf")
    refuse_overwrite([output], force, alternative=", or choose another name with -o")
    write_atomic(output, calibration_pdf(PAPERS[paper.lower()], flip))
    click.echo(f"wrote {output} (2 pages: print it double-sided on one sheet, at 100 %)")


@main.command(name="import")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Deck file to write (default: decks/<title>.yaml).",
)
@click.option(
    "--format",
    "source_format",
    metavar="NAME",
    help="The source's format: notes, quizlet, anki, csv or apkg (default: told from its content).",
)
@click.option("--title", help="The deck's title (default: from the source, or its file name).")
@click.option(
    "--sep",
    metavar="TEXT",
    help="Separator between term and definition (quizlet) or columns (csv, anki); 'tab' for a tab.",
)
@click.option(
    "--columns",
    metavar="Q,A",
    help="CSV: the question's and the answer's columns, by number (1,2) or header name.",
)
@click.option("--deck", "deck_name", metavar="NAME", help="Anki package: import this deck only.")
@click.option("--force", is_flag=True, help="Overwrite the deck file if it exists.")
def import_cards(
    source: Path,
    output: Path | None,
    source_format: str | None,
    title: str | None,
    sep: str | None,
    columns: str | None,
    deck_name: str | None,
    force: bool,
) -> None:
    """Make a deck from notes, a Quizlet or Anki export, an Anki package or a CSV file."""
    from printkit.importers import Options, columns_option, import_and_save, separator_option

    options = Options(separator_option(sep), columns_option(columns), deck_name)
    for written in import_and_save(source, output, source_format, title, options, force):
        for warning in written.imported.warnings:
            click.echo(f"Warning: {warning}", err=True)
        for skipped in written.imported.skipped:
            click.echo(f"Warning: skipped {skipped}", err=True)
        click.echo(written.summary())


@main.group()
def export() -> None:
    """Write a deck in another program's format."""


@export.command(name="anki")
@click.argument("deck_path", metavar="DECK", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Package to write (default: output/<deck>.apkg).",
)
@click.option("--force", is_flag=True, help="Overwrite the package if it exists.")
def export_anki(deck_path: Path, output: Path | None, force: bool) -> None:
    """Write a deck as an Anki package (.apkg); importing it again updates the same notes."""
    from printkit.anki_export import write_apkg
    from printkit.deck import load_deck

    deck = load_deck(deck_path)
    output = output or Path("output") / f"{deck.stem}.apkg"
    write_apkg(deck, output, force=force)
    count = len(deck.cards)
    click.echo(f"wrote {output} ({count} note{'s' if count != 1 else ''}); open it with Anki")


@main.command()
@click.argument("name")
@click.option("--title", help="The deck's title (default: from NAME).")
@click.option("--force", is_flag=True, help="Overwrite the deck file if it exists.")
def new(name: str, title: str | None, force: bool) -> None:
    """Start a deck: write decks/NAME.yaml with example cards to edit."""
    import shlex

    from printkit.workspace import new_deck

    path = new_deck(name, title=title, force=force)
    click.echo(
        f"wrote {path}; edit it, then print it with: printkit build {shlex.quote(str(path))}"
    )


@main.command()
@click.argument("folder", metavar="[DIR]", default=".", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite the example files if they exist.")
def init(folder: Path, force: bool) -> None:
    """Create a workspace: decks/ with an example deck, layouts/, output/ and a README."""
    import shlex

    from printkit.workspace import init_workspace

    for path in init_workspace(folder, force=force):
        click.echo(f"created {path}{'/' if path.suffix == '' else ''}")
    where = "" if folder == Path(".") else f"cd {shlex.quote(str(folder))} && "
    click.echo(f"next: {where}printkit build")


@main.command()
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; anything but 127.0.0.1 lets other computers see your decks.",
)
@_no_custom_layouts_option
def serve(port: int, host: str, no_custom_layouts: bool) -> None:
    """Preview and edit this workspace's decks in your browser; pages update as you save."""
    from printkit.serve.run import serve as run_server

    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(
            f"Warning: listening on {host}: other computers on the network can see and edit "
            "these decks; use it only on a network you trust",
            err=True,
        )
    run_server(host, port, not no_custom_layouts)


@main.command()
@_out_option
@_paper_option
@_stock_option
@_flip_option
@_duplex_option
@click.option("--layout", metavar="NAME", default="", help="Only build this layout.")
@_set_option
@_no_custom_layouts_option
def watch(
    out_dir: Path,
    paper: str | None,
    stock: str | None,
    flip: str | None,
    duplex: str | None,
    layout: str,
    settings: tuple[str, ...],
    no_custom_layouts: bool,
) -> None:
    """Build every deck, then rebuild each deck when its file is saved (one line per rebuild)."""
    from printkit.serve.previews import Choices
    from printkit.serve.run import watch as run_watch

    choices = Choices(paper or "", stock or "", flip or "", duplex or "", layout, settings)
    run_watch(out_dir, choices, not no_custom_layouts)
