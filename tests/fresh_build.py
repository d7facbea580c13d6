"""`printkit build` in a fresh interpreter, as a teacher runs it, and what it imported."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path


def modules_after_build(args: list[str], cache: Path) -> tuple[set[str], set[str]]:
    """Run `printkit build ARGS` in a fresh Python with `cache` as XDG_CACHE_HOME, and return
    the names in its sys.modules, and those of printkit.deferred's stand-ins that were replaced
    by the real module. The build must succeed."""
    code = (
        "import sys\n"
        "from printkit.cli import main\n"
        f"sys.argv = ['printkit', 'build', *{args!r}]\n"
        "try:\n    main()\nexcept SystemExit as end:\n    assert not end.code, end.code\n"
        "from printkit import deferred\n"
        "print([sorted(sys.modules), sorted(deferred._REAL)])\n"
    )
    modules, real = ast.literal_eval(fresh_python(code, cache).strip().splitlines()[-1])
    return set(modules), set(real)


def fresh_python(code: str, cache: Path) -> str:
    """What `code` prints run in a fresh Python with `cache` as XDG_CACHE_HOME; it must
    succeed."""
    env = dict(os.environ, XDG_CACHE_HOME=str(cache))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    return out.stdout
