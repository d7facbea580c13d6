"""Starting points: a new deck with example cards (`printkit new`), a whole workspace (`init`)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from printkit.deck_writer import scalar
from printkit.errors import PrintkitError
from printkit.importers.base import title_from_name
from printkit.output import refuse_overwrite, write_atomic

TEMPLATES = Path(__file__).resolve().parent / "templates"


def _template(file_name: str, **values: str) -> str:
    text = (TEMPLATES / file_name).read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def new_deck(name: str, *, title: str | None = None, force: bool = False) -> Path:
    """Write decks/NAME.yaml with commented example cards; return its path."""
    stem = re.sub(r"\.ya?ml$", "", name.strip(), flags=re.IGNORECASE)
    if not stem or "/" in stem or "\\" in stem or stem.startswith("."):
        raise PrintkitError(
            f"'{name}' cannot be a deck name; give a plain name such as french-verbs "
            "(the deck goes into decks/)"
        )
    path = Path("decks") / f"{stem}.yaml"
    refuse_overwrite([path], force, ", or choose another name")
    text = _template(
        "new-deck.yaml",
        title=scalar(title or title_from_name(stem), 0),
        path=shlex.quote(str(path)),
    )
    write_atomic(path, text.encode("utf-8"))
    return path


def init_workspace(folder: Path, *, force: bool = False) -> list[Path]:
    """Create decks/ (one example deck), layouts/ (an example layout), output/ and a README."""
    folder = Path(folder)
    files = {
        folder / "decks" / "example.yaml": _template("example-deck.yaml"),
        folder / "layouts" / "checklist.py": _template("checklist.py"),
        folder / "README.md": _template(
            "workspace-README.md", name=title_from_name(folder.resolve().name)
        ),
    }
    refuse_overwrite(list(files), force)
    for path, text in files.items():
        write_atomic(path, text.encode("utf-8"))
    (folder / "output").mkdir(parents=True, exist_ok=True)
    return [*files, folder / "output"]
