"""Writing files so that nothing is ever half-written: a temporary file, then one rename."""

from __future__ import annotations

import contextlib
import errno
import itertools
import os
import re
import tempfile
from pathlib import Path

from printkit.errors import PrintkitError, Problem


def write_atomic(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write `data` to `path` all at once: readers see the old file or the new one, never a mix.

    The temporary file sits in the same folder so the final os.replace is a rename on one disk;
    it gets `mode` before the rename, so the new file never has other permissions, even briefly.
    """
    path = Path(path)
    try:
        fd, tmp_name = _open_temporary(path.parent, path.name)
    except OSError as error:
        raise PrintkitError(
            Problem(
                path.parent, None, f"cannot write there ({error.strerror}); choose another folder"
            )
        ) from None
    try:
        try:
            rest = memoryview(data)
            while rest:
                rest = rest[os.write(fd, rest) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
    except BaseException as error:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        if isinstance(error, OSError):
            raise PrintkitError(
                Problem(
                    path,
                    None,
                    f"could not be written ({error.strerror}); check the disk and the folder's permissions",
                )
            ) from None
        raise


_TEMPORARY_NUMBERS = itertools.count()
_TEMPORARY_FLAGS = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)


def _open_temporary(folder: Path, name: str) -> tuple[int, str]:
    """A new hidden file `.NAME.PID.N.tmp` in `folder` (made if missing), open, mode 0600.

    The writer's process id in the name lets a later build remove what a killed one left.
    Like tempfile.mkstemp (O_EXCL: never a name that exists; O_NOFOLLOW: never through a
    link), but numbered instead of random names: a fifth of the time to write a small PDF.
    """
    made_folder = False
    for _ in range(10_000):
        tmp_name = os.path.join(folder, f".{name}.{os.getpid()}.{next(_TEMPORARY_NUMBERS)}.tmp")
        try:
            return os.open(tmp_name, _TEMPORARY_FLAGS, 0o600), tmp_name
        except FileExistsError:
            continue  # left by a killed process that had the same id: the next number
        except FileNotFoundError:
            if made_folder:
                raise
            Path(folder).mkdir(parents=True, exist_ok=True)
            made_folder = True
    raise FileExistsError(errno.EEXIST, "no free name for a temporary file")


_TEMP_NAME = re.compile(r"\..+\.pdf\.(\d+)\.[^.]+\.tmp")


def remove_leftovers(folder: Path) -> list[Path]:
    """Remove the hidden temporary PDFs that a killed build left in `folder` (those whose
    writing process is gone); a build running at the same time keeps its own."""
    removed = []
    try:
        names = [entry.name for entry in os.scandir(folder) if entry.is_file()]
    except OSError:
        return removed
    for name in names:
        match = _TEMP_NAME.fullmatch(name)
        if match and not _alive(int(match.group(1))):
            with contextlib.suppress(OSError):
                (folder / name).unlink()
                removed.append(folder / name)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return pid != 0  # someone else's process: leave its files alone
    return True


def refuse_overwrite(paths: list[Path], force: bool, alternative: str = "") -> None:
    """Refuse, before anything is written, to replace files that exist, unless `force`.

    `alternative` ends the message with another way out, such as ", or -o to choose another file".
    """
    existing = [path for path in paths if path.exists()]
    if existing and not force:
        names = ", ".join(str(path) for path in existing)
        verb = "exists" if len(existing) == 1 else "exist"
        raise PrintkitError(
            f"{names} already {verb}, so nothing was written; use --force to overwrite{alternative}"
        )


def check_writable_folder(folder: Path, option: str = "--out") -> None:
    """Make `folder` if needed and check a file can be written there, once, before any work:
    otherwise every deck would fail on its own with the same message."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        reason = error.strerror or str(error)
        raise PrintkitError(
            Problem(
                folder, None, f"cannot write there ({reason}); choose another folder with {option}"
            )
        ) from None
