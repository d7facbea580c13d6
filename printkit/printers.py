"""Printer profiles: what a calibration print measured, kept in the workspace's printkit.yaml.

```yaml
printer: office            # the profile used when no --printer is given (optional)
printers:
  office:
    flip: long
    back_offset: 1.5,-2    # mm, right and up
  library:
    duplex: manual         # a printer without double-sided printing
```

A profile's values are ordinary option settings that sit between the layout defaults and the
deck: default < printer profile < deck < command line (see printkit.settings, which chooses the
profile and checks its values).
"""

from pathlib import Path
from typing import NamedTuple

import yaml

from printkit.deck import bad_character
from printkit.errors import PrinterFileError, Problem
from printkit.options import Setting

WORKSPACE_FILE = "printkit.yaml"
TOP_KEYS = ("printer", "printers")
PRINTER_KEYS = ("flip", "back_offset", "duplex")

_LOADER = getattr(yaml, "CBaseLoader", yaml.BaseLoader)  # every value kept as typed text


class Printers(NamedTuple):
    """The profiles of a workspace file: name → settings, and the default profile's name."""

    path: Path
    profiles: dict[str, tuple[Setting, ...]]
    default: str | None = None
    default_line: int = 0


def load_printers(path: Path) -> Printers:
    """Read a printkit.yaml; PrinterFileError lists every problem as "path:line: message"."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or "it is not UTF-8 text"
        raise PrinterFileError(Problem(path, None, f"cannot read it ({reason})")) from None
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.reader.ReaderError as error:
        # A control character (NUL…) has no mark: find the line it is on, as for a deck.
        raise PrinterFileError(bad_character(error, text, path)) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        problem = getattr(error, "problem", None) or "it is not valid YAML"
        raise PrinterFileError(
            Problem(path, line, f"this is not valid YAML ({problem}); check the indentation")
        ) from None
    return _Reader(path).read(root)


class _Reader:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def problem(self, node: yaml.Node, message: str) -> None:
        self.problems.append(Problem(self.path, node.start_mark.line + 1, message))

    def read(self, root: yaml.Node | None) -> Printers:
        if root is None:
            return Printers(self.path, {})
        top = self.mapping(root, "printkit.yaml", TOP_KEYS)
        profiles: dict[str, tuple[Setting, ...]] = {}
        if "printers" in top:
            printers = self.mapping(top["printers"][1], "printers:", None)
            for name, (_key, value) in printers.items():
                profiles[name] = self.profile(name, value)
        default, default_line = None, 0
        if "printer" in top:
            key, value = top["printer"]
            default, default_line = self.scalar(value, "printer:"), key.start_mark.line + 1
            if default is not None and default not in profiles:
                self.problem(
                    value,
                    f"printer: {default} is not one of the printers: below{_close(default, profiles)}",
                )
        if self.problems:
            raise PrinterFileError(self.problems)
        return Printers(self.path, profiles, default, default_line)

    def mapping(
        self, node: yaml.Node, where: str, allowed: tuple[str, ...] | None
    ) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"{where} must hold 'name: value' lines")
            return {}
        found: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key, value in node.value:
            name = self.scalar(key, "a key")
            if name is None:
                continue
            if name in found:
                self.problem(key, f"'{name}' appears twice in {where}; keep only one")
            elif allowed is not None and name not in allowed:
                self.problem(key, f"unknown key '{name}' in {where}{_close(name, allowed)}")
            else:
                found[name] = (key, value)
        return found

    def scalar(self, node: yaml.Node, what: str) -> str | None:
        if not isinstance(node, yaml.ScalarNode) or node.tag != "tag:yaml.org,2002:str":
            self.problem(node, f"{what} must be plain text")
            return None
        return node.value.strip()

    def profile(self, name: str, node: yaml.Node) -> tuple[Setting, ...]:
        settings = []
        for key, (_key_node, value) in self.mapping(node, f"printer {name}", PRINTER_KEYS).items():
            text = self.scalar(value, f"{key} of printer {name}")
            if text is not None:
                settings.append(Setting(None, key, text, self.path, value.start_mark.line + 1))
        return tuple(settings)


def _close(word: str, choices) -> str:
    import difflib  # only a misspelt name needs it: 1 ms of import off other builds

    close = difflib.get_close_matches(word, list(choices), n=1)
    if close:
        return f"; did you mean '{close[0]}'?"
    return f"; choose from {', '.join(sorted(choices))}" if choices else ""
