"""HarfBuzz and Pillow's Image loaded when first used, not whenever reportlab is imported.

reportlab imports both when it starts: `reportlab.lib.utils` does `from PIL import Image`
(11 ms of a cold build) and `reportlab.pdfbase.ttfonts` does `import uharfbuzz` (10 ms), while
only pictures use the one and only shaped scripts (Arabic, Indic, Thai) the other. `defer()`
puts a stand-in module in their place before reportlab is imported: reportlab keeps it and
only tests it for truth, and the first attribute anyone reads (`Image.open`, `uharfbuzz.Face`)
imports the real module; from then on the stand-in hands out the real module's names, so
both are the same functions, classes and values.
"""

from __future__ import annotations

import importlib
import sys
import types
from functools import cache

_REAL: dict[str, types.ModuleType] = {}  # stand-in's name -> the real module, once imported


class _OnFirstUse(types.ModuleType):
    """Stands for a module not imported yet; importing it is the first attribute read."""

    def __getattr__(self, name: str):  # only called for names the stand-in does not have
        if name.startswith("__"):  # the import system asks for __path__, __file__…
            raise AttributeError(name)
        return getattr(_real(self.__name__), name)

    def __setattr__(self, name: str, value: object) -> None:
        if name.startswith("__"):
            super().__setattr__(name, value)
        else:  # a setting someone makes must reach the module that reads it
            setattr(_real(self.__name__), name, value)


def _real(name: str) -> types.ModuleType:
    real = _REAL.get(name)
    if real is None:
        stand_in = sys.modules.get(name)
        if isinstance(stand_in, _OnFirstUse):
            del sys.modules[name]
        try:
            real = _REAL[name] = importlib.import_module(name)
        except BaseException:
            if stand_in is not None:
                sys.modules.setdefault(name, stand_in)
            raise
    return real


@cache
def defer() -> None:
    """Install the stand-ins, before the reportlab modules that import them: for uharfbuzz,
    and for Pillow's `PIL.Image` (the PIL package itself, which is small, is imported as
    usual). A module already imported, or not installed, is left as it is."""
    from importlib.util import find_spec

    if (
        "uharfbuzz" not in sys.modules
        and "reportlab.pdfbase.ttfonts" not in sys.modules
        and find_spec("uharfbuzz") is not None
    ):
        sys.modules["uharfbuzz"] = _OnFirstUse("uharfbuzz")
    if (
        "PIL.Image" not in sys.modules
        and "reportlab.lib.utils" not in sys.modules
        and find_spec("PIL") is not None
    ):
        import PIL

        stand_in = _OnFirstUse("PIL.Image")
        sys.modules["PIL.Image"] = stand_in
        # `import PIL.Image` then `PIL.Image.open`: the package must name its submodule (the
        # real import, when it happens, names the real one instead).
        PIL.Image = stand_in
