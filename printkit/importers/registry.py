"""The formats printkit imports, found by name, and the choice of one for a source.

Every module of this package that defines `IMPORTER` is a format (see base.Importer), so
adding a format is adding one file. Detection is sure or refuses: when no format is sure, or
two are nearly as likely, the message names them with the options that read the file each way.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from printkit.errors import PrintkitError, Problem
from printkit.importers.base import Importer, Options, Source

SURE = 0.9  # a format this sure is taken…
MARGIN = 0.3  # …when no other comes within this much of it
_SHOWN = 0.3  # formats at least this likely are named when none is sure


@cache
def importers() -> dict[str, Importer]:
    """Every format by name, in a fixed order (the order of `order`, then the module's name)."""
    import printkit.importers as package

    found: dict[str, Importer] = {}
    for module in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        importer = getattr(
            importlib.import_module(f"{package.__name__}.{module.name}"), "IMPORTER", None
        )
        if isinstance(importer, Importer):
            found[importer.name] = importer
    return found


def format_names() -> tuple[str, ...]:
    return tuple(importers())


def importer_named(name: str) -> Importer:
    try:
        return importers()[name.lower()]
    except KeyError:
        raise PrintkitError(
            f"unknown format '{name}'; choose one of: {', '.join(format_names())}"
        ) from None


def detect(source: Source, options: Options) -> Importer:
    """The one format `source` is surely in; PrintkitError naming the likely ones otherwise."""
    for importer in importers().values():  # a package is told by its first bytes
        if importer.binary and importer.sniff(source, options) >= SURE:
            return importer
    scores = sorted(
        (
            (importer.sniff(source, options), importer)
            for importer in importers().values()
            if not importer.binary
        ),
        key=lambda pair: -pair[0],
    )
    best, importer = scores[0]
    runner_up = scores[1][0] if len(scores) > 1 else 0.0
    if best >= SURE and best - runner_up >= MARGIN:
        return importer
    likely = [imp for score, imp in scores if score >= _SHOWN] or [imp for _, imp in scores]
    names = " or ".join(imp.name for imp in likely)
    ways = "; ".join(f"{imp.summary}: {imp.suggestion(source, options)}" for imp in likely)
    raise PrintkitError(
        Problem(
            source.path,
            1,
            f"cannot tell for sure how to read this file (it could be {names}); "
            f"say how with the options for its format — {ways}",
        )
    )
