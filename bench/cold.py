"""printkit benchmark: a cold build of a small deck, against the naive baseline and LaTeX.

Run from the repo root:  python bench/cold.py                  (the example deck, best of 7)
                         python bench/cold.py --repeat 3 DECK.yaml
Every figure is a fresh process (as a teacher runs `printkit build`), timed as CPU time (user +
system of the child, from the kernel) and as wall time, each the best of N runs. The children
keep Python's bytecode cache (in a temporary folder; an installed printkit has its .pyc files),
even where PYTHONDONTWRITEBYTECODE is set, as on the machine these figures were taken on.
When pdflatex is installed (Debian: texlive-latex-extra, which holds the `flashcards` class),
the deck's cards are also written as a flashcards-class .tex and timed; else that row says why
it is missing. Not part of the test suite: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "decks" / "stalin-foreign-policy.yaml"
FOUR = ("flashcards", "summary", "worksheet", "answers")


@dataclass(frozen=True)
class Timing:
    cpu: float  # seconds of CPU (user + system) of the child and what it waited for
    wall: float


def run_child(command: Sequence[str], cwd: Path, env: dict[str, str]) -> Timing:
    """Run one command to its end; its CPU time is the kernel's count for the child."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    errors = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if process.returncode != 0:
        last = errors.strip().splitlines()[-1:] or ["no message"]
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}): {last[0]}")
    return Timing(usage.ru_utime + usage.ru_stime, wall)


def best_of(repeat: int, command: Sequence[str], cwd: Path, env: dict[str, str]) -> Timing:
    """The least CPU and the least wall time over `repeat` runs: the least disturbed."""
    runs = [run_child(command, cwd, env) for _ in range(repeat)]
    return Timing(min(r.cpu for r in runs), min(r.wall for r in runs))


# --- LaTeX ---------------------------------------------------------------------------------

_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "^": r"\textasciicircum{}",
    "_": r"\_",
    "%": r"\%",
    "~": r"\textasciitilde{}",
}


def latex_escape(text: str) -> str:
    return "".join(_LATEX_SPECIALS.get(char, char) for char in text)


def flashcards_tex(deck_path: Path) -> str:
    """The deck's cards as a document of the LaTeX `flashcards` class: the question on the
    front, the answer's points as a list on the back, on Avery 5371 business cards."""
    from printkit.deck import load_deck

    deck = load_deck(deck_path)
    lines = [
        r"\documentclass[avery5371,grid]{flashcards}",
        r"\usepackage[T1]{fontenc}",
        r"\begin{document}",
    ]
    for card in deck.cards:
        lines.append(r"\begin{flashcard}{" + latex_escape(card.question) + "}")
        lines.append(r"\begin{itemize}")
        lines.extend(r"\item " + latex_escape(point) for point in card.answer)
        lines.append(r"\end{itemize}")
        lines.append(r"\end{flashcard}")
    lines.append(r"\end{document}")
    return "\n".join(lines) + "\n"


# --- the runs ------------------------------------------------------------------------------


def child_env(pycache: Path, font_cache: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    env["XDG_CACHE_HOME"] = str(font_cache)
    return env


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("deck", nargs="?", type=Path, default=EXAMPLE)
    parser.add_argument("--repeat", type=int, default=7, help="runs per figure; best kept")
    args = parser.parse_args()
    deck_path = args.deck.resolve()

    from printkit import __version__

    print(
        f"printkit {__version__} · Python {platform.python_version()} · {platform.machine()} · "
        f"{os.cpu_count()} cores · {platform.platform()}"
    )
    print(f"deck: {deck_path.name}, best of {args.repeat} fresh processes")
    print()
    rows: list[tuple[str, Timing | str]] = []
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        (work / "decks").mkdir()
        shutil.copy(deck_path, work / "decks" / deck_path.name)
        env = child_env(work / "pycache", work / "cache")
        python = sys.executable
        build = [python, "-m", "printkit", "build", "--force", "--jobs", "1"]
        four = [*build, *(arg for name in FOUR for arg in ("--layout", name))]
        run_child(build, work, env)  # writes the bytecode and the font cache, as after install

        rows.append(("baseline: naive reportlab, flashcards", _baseline(work, env, args.repeat)))
        rows.append(("printkit: the four PDFs", best_of(args.repeat, four, work, env)))
        rows.append(
            ("printkit: the four PDFs, font cache cold", _cold_cache(four, work, env, args.repeat))
        )
        rows.append(("printkit: every default layout", best_of(args.repeat, build, work, env)))
        rows.append(
            (
                "printkit: flashcards only",
                best_of(args.repeat, [*build, "--layout", "flashcards"], work, env),
            )
        )
        no_bytecode = dict(env, PYTHONDONTWRITEBYTECODE="1")
        no_bytecode.pop("PYTHONPYCACHEPREFIX")
        rows.append(
            (
                "printkit: the four PDFs, no bytecode cache",
                best_of(args.repeat, four, work, no_bytecode),
            )
        )
        rows.append(("pdflatex: flashcards class", _latex(deck_path, work, args.repeat)))

    base = rows[0][1]
    print("| build | CPU s | wall s | CPU × baseline |")
    print("|---|---:|---:|---:|")
    for name, timing in rows:
        if isinstance(timing, str):
            print(f"| {name} | | | {timing} |")
            continue
        ratio = timing.cpu / base.cpu if isinstance(base, Timing) else float("nan")
        print(f"| {name} | {timing.cpu:.3f} | {timing.wall:.3f} | {ratio:.2f} |")


def _baseline(work: Path, env: dict[str, str], repeat: int) -> Timing:
    run = [sys.executable, str(REPO / "bench" / "run.py"), "--one", "baseline"]
    deck = next((work / "decks").glob("*.yaml"))
    return best_of(repeat, [*run, str(deck)], work, env)


def _cold_cache(command: Sequence[str], work: Path, env: dict[str, str], repeat: int) -> Timing:
    """Each run with an empty cache folder: the first build after installing printkit."""
    runs = []
    for number in range(repeat):
        cache = work / f"cold-cache-{number}"
        runs.append(run_child(command, work, dict(env, XDG_CACHE_HOME=str(cache))))
    return Timing(min(r.cpu for r in runs), min(r.wall for r in runs))


def _latex(deck_path: Path, work: Path, repeat: int) -> Timing | str:
    pdflatex = shutil.which("pdflatex")
    if pdflatex is None:
        return "skipped: pdflatex is not installed (Debian: apt-get install texlive-latex-extra)"
    folder = work / "latex"
    folder.mkdir()
    (folder / "cards.tex").write_text(flashcards_tex(deck_path), encoding="utf-8")
    command = [pdflatex, "-interaction=batchmode", "-halt-on-error", "cards.tex"]
    try:
        run_child(command, folder, dict(os.environ))
    except SystemExit as error:
        return f"skipped: {error} (is texlive-latex-extra, with flashcards.cls, installed?)"
    return best_of(repeat, command, folder, dict(os.environ))


if __name__ == "__main__":
    main()
