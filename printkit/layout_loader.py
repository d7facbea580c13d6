"""Finding layouts by name: the workspace's own `layouts/*.py` first, then the built-ins.

A layout is a Python module with
    DESCRIPTION = "one line shown by `printkit layouts`"
    OPTIONS = (Option(...), ...)                      # optional
    def render(deck, options, output) -> None: ...    # draws; never reads YAML or writes files
"""

import contextlib
import importlib
import importlib.util
import pkgutil
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any, NamedTuple

from printkit.errors import LayoutError, Problem
from printkit.options import COMMON_OPTIONS, Option

# Built-ins in the order a build writes them; other layouts follow alphabetically.
PREFERRED_ORDER = ("flashcards", "summary", "worksheet", "answers", "quiz", "quiz-key")


class Layout(NamedTuple):
    name: str
    description: str
    options: tuple[Option, ...]
    render: Callable[..., Any]
    source: str  # "built-in" or the workspace file it came from


def _from_module(name: str, module: ModuleType, source: str) -> Layout:
    render = getattr(module, "render", None)
    description = getattr(module, "DESCRIPTION", None)
    if not callable(render) or not isinstance(description, str):
        raise LayoutError(
            Problem(
                source,
                None,
                "a layout needs a DESCRIPTION text and a render(deck, options, output) "
                "function; see 'Custom layouts' in the README",
            )
        )
    own = getattr(module, "OPTIONS", ())
    if not isinstance(own, (tuple, list)) or not all(isinstance(o, Option) for o in own):
        raise LayoutError(
            Problem(
                source,
                _line_of(source, "OPTIONS"),
                "OPTIONS must be a tuple of printkit.options.Option, such as "
                '(Option("rounds", 3, "tick boxes", kind="int"),)',
            )
        )
    own = tuple(own)
    from printkit.selection import SELECTION_OPTIONS

    common = tuple(
        o for o in (*COMMON_OPTIONS, *SELECTION_OPTIONS) if o.name not in {x.name for x in own}
    )
    return Layout(name, description.strip(), common + own, render, source)


def _line_of(source: str, name: str) -> int:
    """The line where a module assigns `name` (0 when it cannot be told)."""
    try:
        lines = Path(source).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 0
    return next((n for n, line in enumerate(lines, 1) if line.startswith(name)), 0)


class Layouts(Mapping[str, Layout]):
    """Layouts by name, in build order. A built-in layout is imported the first time it is
    read: a build of some layouts that has no setting to check against the others imports
    only those (0.5–2 ms of a small deck's build, for the two quiz layouts)."""

    def __init__(self, found: Mapping[str, Layout | str]) -> None:
        # Each name → its Layout, or the module of a built-in not imported yet.
        self._found = dict(found)

    def __getitem__(self, name: str) -> Layout:
        layout = self._found[name]
        if isinstance(layout, str):
            module = importlib.import_module(layout)
            layout = self._found[name] = _from_module(name, module, "built-in")
        return layout

    def __iter__(self) -> Iterator[str]:
        return iter(self._found)

    def __len__(self) -> int:
        return len(self._found)


class _Options(Mapping[str, tuple[Option, ...]]):
    def __init__(self, layouts: Mapping[str, Layout]) -> None:
        self._layouts = layouts

    def __getitem__(self, name: str) -> tuple[Option, ...]:
        return self._layouts[name].options

    def __iter__(self) -> Iterator[str]:
        return iter(self._layouts)

    def __len__(self) -> int:
        return len(self._layouts)


def options_of(layouts: Mapping[str, Layout]) -> Mapping[str, tuple[Option, ...]]:
    """Each layout's options by name; a layout is looked at (imported) only when asked for."""
    return _Options(layouts)


def _builtin_layouts() -> dict[str, str]:
    """The built-in layouts' names and modules, found without importing them. A module name
    cannot hold a hyphen: quiz_key.py is the layout "quiz-key" (and says so in its NAME)."""
    import printkit.layouts as package

    return {
        info.name.replace("_", "-"): f"printkit.layouts.{info.name}"
        for info in pkgutil.iter_modules(package.__path__)
        if not info.name.startswith("_")
    }


def _workspace_layouts(folder: Path, problems: dict[str, str]) -> dict[str, Layout]:
    """The layouts of a workspace folder; each that cannot be loaded is noted in `problems`."""
    import printkit.layouts as package

    if not folder.is_dir():
        return {}
    builtin_dirs = {Path(p).resolve() for p in package.__path__}
    if folder.resolve() in builtin_dirs:  # printkit's own repo: its layouts/ are the built-ins
        return {}
    found = {}
    for path in sorted(folder.glob("*.py")):
        if path.name.startswith("_"):
            continue
        module_name = f"printkit_workspace_layouts.{path.stem}"
        spec = importlib.util.spec_from_file_location(module_name, path)
        module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
        sys.modules[module_name] = module
        try:
            spec.loader.exec_module(module)  # type: ignore[union-attr]
            # As for built-ins, NAME may give a name a file cannot have ("quiz-key").
            name = getattr(module, "NAME", path.stem)
            if not isinstance(name, str) or not name:
                name = path.stem
            found[name] = _from_module(name, module, str(path))
        except SyntaxError as error:
            problems[path.stem] = (
                f"{path}:{error.lineno}: this layout has a Python syntax error: {error.msg}"
            )
        except LayoutError as error:
            problems[path.stem] = str(error)
        except (Exception, SystemExit) as error:
            line = _own_line(error, path)
            problems[path.stem] = f"{path}:{line}: this layout failed to load: {_what(error)}"
    return found


def _own_line(error: BaseException, path: Path) -> int:
    """The line of the layout file itself where the error arose (not one inside importlib)."""
    import traceback  # only when a layout fails to load

    frames = traceback.extract_tb(error.__traceback__)
    mine = [f for f in frames if Path(f.filename).resolve() == path.resolve()]
    return (mine[-1].lineno or 0) if mine else 0


def _what(error: BaseException) -> str:
    if isinstance(error, SystemExit):
        return f"it called sys.exit({error.code!r})"
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def available_layouts(
    workspace: Path | None = None, problems: dict[str, str] | None = None
) -> Layouts:
    """Every layout by name, workspace layouts overriding built-ins of the same name, in build order.

    A workspace layout that cannot be loaded is left out and noted in `problems` (by name);
    without that dict, the first such problem is raised as a LayoutError. Workspace layouts
    are loaded here, so that their problems are known at once; built-ins when first read.
    """
    noted: dict[str, str] = {}
    layouts: dict[str, Layout | str] = dict(_builtin_layouts())
    if workspace is not None:
        folder = workspace / "layouts"
        # Name files relative to where the user is, as they would type them.
        with contextlib.suppress(ValueError):
            folder = folder.relative_to(Path.cwd())
        layouts.update(_workspace_layouts(folder, noted))
    if problems is not None:
        problems.update(noted)
    elif noted:
        raise LayoutError(next(iter(noted.values())))
    order = {name: i for i, name in enumerate(PREFERRED_ORDER)}
    return Layouts(
        dict(sorted(layouts.items(), key=lambda item: (order.get(item[0], len(order)), item[0])))
    )


def select_layouts(layouts: Mapping[str, Layout], names: Sequence[str]) -> list[Layout]:
    """The layouts asked for by name (all when none are named); unknown names are refused."""
    if not names:
        return list(layouts.values())
    unknown = [n for n in names if n not in layouts]
    if unknown:
        raise LayoutError(
            f"there is no layout named '{unknown[0]}'; choose from {', '.join(layouts)}"
        )
    return [layouts[n] for n in dict.fromkeys(names)]
