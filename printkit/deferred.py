"""HarfBuzz loaded when a text is first shaped, not whenever reportlab's TrueType module is.

reportlab's `ttfonts` imports uharfbuzz at the top (`try: import uharfbuzz`), which costs a
cold build about 8 ms, while only shaped scripts (Arabic, Hebrew marks, Indic, Thai) use it.
`defer_harfbuzz()` puts a stand-in module in its place: reportlab only tests it for truth
when it is imported, and the first attribute anyone reads (`uharfbuzz.Face`, from reportlab or
printkit.shaping) imports the real module and copies its names into the stand-in, so both
hold the same functions and classes from then on.
"""

from __future__ import annotations

import importlib
import sys
import types
from functools import cache

_NAME = "uharfbuzz"


class _OnFirstUse(types.ModuleType):
    """Stands for a module not imported yet; importing it is the first attribute read."""

    def __getattr__(self, name: str):  # only called for names the stand-in does not have
        if name.startswith("__"):  # the import system asks for __path__, __file__…
            raise AttributeError(name)
        return getattr(_load(self), name)


def _load(stand_in: types.ModuleType) -> types.ModuleType:
    if sys.modules.get(_NAME) is stand_in:
        del sys.modules[_NAME]
    try:
        real = importlib.import_module(_NAME)
    except BaseException:
        sys.modules.setdefault(_NAME, stand_in)
        raise
    stand_in.__dict__.update(real.__dict__)
    stand_in.__class__ = types.ModuleType  # a plain module now: no more loading
    return real


@cache
def defer_harfbuzz() -> None:
    """Install the stand-in, before reportlab's ttfonts is first imported. Nothing is done if
    either is imported already, or when uharfbuzz is not installed (reportlab then knows)."""
    if _NAME in sys.modules or "reportlab.pdfbase.ttfonts" in sys.modules:
        return
    from importlib.util import find_spec

    if find_spec(_NAME) is None:
        return
    sys.modules[_NAME] = _OnFirstUse(_NAME)
