"""Skipping work already done: a deck's PDFs are up to date when nothing that shapes them changed.

Builds are byte-reproducible, so a PDF made from the same deck, settings, layout code and printkit
code is the PDF we would write again. A small stamp beside each PDF records what it was made from,
including the digest of every picture the deck shows (a changed picture rebuilds the deck).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

from printkit import __version__, plain_json
from printkit.errors import PrintkitError
from printkit.options import Setting
from printkit.output import write_atomic

WORKSPACE_FILES = ("printkit.yaml",)  # workspace settings (printer profiles) also shape PDFs


# The libraries whose versions may change the bytes of a PDF (a new reportlab, a new maths
# layout): their installed versions are part of the key.
_DRAWING_LIBRARIES = frozenset(
    ("reportlab", "ziamath", "svglib", "pillow", "markdown_it_py", "mdit_py_plugins", "uharfbuzz")
)


def _library_versions() -> list[str]:
    """The drawing libraries' distribution folders ("reportlab-5.1.0.dist-info"), which name
    their versions: one listing of the folder they are installed in, where importlib.metadata
    would cost a build tens of milliseconds."""
    import reportlab

    folder = os.path.dirname(os.path.dirname(os.path.realpath(reportlab.__file__)))
    return sorted(
        name
        for name in os.listdir(folder)
        if name.endswith(".dist-info")
        and name.split("-")[0].lower().replace(".", "_") in _DRAWING_LIBRARIES
    )


def _code_files() -> list[tuple[str, os.DirEntry]]:
    """printkit's own code (engine, built-in layouts): each file's name within its folder, in
    the order of its path's parts, and its folder entry (whose stat is one call, kept)."""
    import printkit
    import printkit.layouts

    files: list[tuple[tuple[str, ...], os.DirEntry]] = []

    def add(folder: str, parts: tuple[str, ...]) -> None:
        # os.scandir, not Path.rglob: a cold build lists 67 files, in a third of the time.
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name != "__pycache__":  # compiled code only
                        add(entry.path, (*parts, entry.name))
                elif entry.name.endswith(".py") and entry.is_file():
                    files.append(((*parts, entry.name), entry))

    found = []
    for package in (printkit, printkit.layouts):
        for folder in package.__path__:
            files.clear()
            add(folder, ())
            found += [("/".join(parts), entry) for parts, entry in sorted(files)]
    return found


@cache
def _code_digest() -> str:
    """printkit's version and its own code (engine, built-in layouts, fonts' names): a developer
    changing code without bumping the version still gets fresh PDFs.

    Reading and hashing the 650 kB of code costs a build 3 ms, so the digest is kept in the
    user's cache folder under the files' sizes and modification times (in nanoseconds), which
    any edit changes; listing them costs half a millisecond."""
    from printkit.font_cache import cache_folder

    files = _code_files()
    libraries = _library_versions()
    stats = [__version__, *libraries]
    for name, entry in files:
        status = entry.stat()
        stats.append(f"{name} {status.st_size} {status.st_mtime_ns}")
    stats_key = hashlib.sha256("\n".join(stats).encode()).hexdigest()
    fonts = cache_folder()
    kept = fonts.parent / "code-digest" if fonts is not None else None
    if kept is not None:
        try:
            key, digest = kept.read_bytes().decode("ascii").split()  # no codec module to import
            if key == stats_key:
                return digest
        except (OSError, ValueError):
            pass  # none kept yet, or unreadable: compute it

    digest = hashlib.sha256(__version__.encode())
    # The libraries that draw: a new reportlab or maths layout may change the bytes too.
    for library in libraries:
        digest.update(library.encode())
    for name, entry in files:
        digest.update(name.encode() + b"\0" + Path(entry.path).read_bytes())
    result = digest.hexdigest()
    if kept is not None:
        with contextlib.suppress(PrintkitError):  # no writable cache folder: compute it each time
            write_atomic(kept, f"{stats_key} {result}\n".encode())
    return result


def build_key(
    deck_path: Path, layout_name: str, layout_source: str, settings: Iterable[Setting]
) -> str:
    """A digest of everything that decides the bytes of one layout's PDFs for one deck."""
    digest = hashlib.sha256(_code_digest().encode())
    digest.update(Path(deck_path).read_bytes())
    digest.update(layout_name.encode())
    if layout_source != "built-in":
        digest.update(Path(layout_source).read_bytes())
    for name in WORKSPACE_FILES:
        if Path(name).is_file():
            digest.update(Path(name).read_bytes())
    for s in settings:
        digest.update(plain_json.dumps([s.layout, s.name, s.value]).encode())
    return digest.hexdigest()


def _stamp_path(out_dir: Path, deck_stem: str, layout_name: str) -> Path:
    return out_dir / f".{deck_stem}-{layout_name}.printkit-stamp"


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def up_to_date(
    out_dir: Path, deck_stem: str, layout_name: str, key: str
) -> list[tuple[Path, int]] | None:
    """The files (and page counts) of an earlier identical build, if all are still as written."""
    try:
        stamp = plain_json.loads(
            _stamp_path(out_dir, deck_stem, layout_name).read_text(encoding="utf-8")
        )
        if stamp["key"] != key:
            return None
        files = [(out_dir / name, pages, digest) for name, pages, digest in stamp["files"]]
        if not all(path.is_file() and _file_digest(path) == digest for path, _, digest in files):
            return None
        for name, digest in stamp.get("pictures", []):
            picture = Path(name)
            if not picture.is_file() or _file_digest(picture) != digest:
                return None
        return [(path, pages) for path, pages, _ in files]
    except (OSError, ValueError, KeyError, TypeError):
        pass  # no stamp, or one we cannot read: build again, which is always safe
    return None


def recorded_files(out_dir: Path, deck_stem: str, layout_name: str) -> list[tuple[Path, str]]:
    """The files (and their digests) the last build of this deck and layout wrote, by its
    stamp; none without a readable stamp."""
    try:
        stamp = plain_json.loads(
            _stamp_path(out_dir, deck_stem, layout_name).read_text(encoding="utf-8")
        )
        files = [(str(name), str(digest)) for name, _pages, digest in stamp["files"]]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    # Only this deck's PDFs of this layout, in this folder, whatever a damaged stamp says.
    own = f"{deck_stem}-{layout_name}"
    return [
        (out_dir / name, digest)
        for name, digest in files
        if Path(name).name == name
        and name.endswith(".pdf")
        and (name == f"{own}.pdf" or name.startswith(f"{own}-"))
    ]


def remove_stale(
    earlier: Sequence[tuple[Path, str]], kept: Sequence[Path]
) -> tuple[list[Path], list[Path]]:
    """Remove the files an earlier build wrote (`earlier`, from recorded_files) that this build
    did not write again (`kept`): the single worksheet after --versions 3, or A, B and C after
    it. Only files still exactly as printkit wrote them go; returns (removed, changed since)."""
    removed, changed = [], []
    for path, digest in earlier:
        if path in kept or not path.is_file():
            continue
        try:
            if _file_digest(path) == digest:
                path.unlink()
                removed.append(path)
            else:
                changed.append(path)
        except OSError:
            changed.append(path)
    return removed, changed


def record(
    out_dir: Path,
    deck_stem: str,
    layout_name: str,
    key: str,
    files: Sequence[tuple[Path, int, bytes]],
    pictures: Sequence[Path] = (),
) -> None:
    """Remember what this build wrote, after it was written, and the pictures it showed."""
    stamp = {
        "key": key,
        "files": [
            [path.name, pages, hashlib.sha256(data).hexdigest()] for path, pages, data in files
        ],
        # A picture missing now fails the check in up_to_date: the build then says why.
        "pictures": [[str(path.resolve()), _file_digest(path)] for path in pictures],
    }
    write_atomic(_stamp_path(out_dir, deck_stem, layout_name), plain_json.dumps(stamp).encode())
