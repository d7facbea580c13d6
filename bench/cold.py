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
    parser.add_argument(
        "--before",
        metavar="PYTHON",
        type=Path,
        help="also time the printkit another interpreter runs (say, an older version's venv)",
    )
    args = parser.parse_args()
    deck_path = args.deck.resolve()

    from printkit import __version__

    print(
        f"printkit {__version__} · Python {platform.python_version()} · {platform.machine()} · "
        f"{os.cpu_count()} cores · {platform.platform()}"
    )
    print(f"deck: {deck_path.name}, best of {args.repeat} fresh processes, taken in turns")
    print()
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        # The deck's folder, for the pictures beside it; only this deck is built.
        shutil.copytree(deck_path.parent, work / "decks")
        deck = work / "decks" / deck_path.name
        env = child_env(work / "pycache", work / "cache")
        build = [sys.executable, "-m", "printkit", "build", str(deck), "--force", "--jobs", "1"]
        four = [*build, *(arg for name in FOUR for arg in ("--layout", name))]
        no_bytecode = dict(env, PYTHONDONTWRITEBYTECODE="1")
        no_bytecode.pop("PYTHONPYCACHEPREFIX")
        naive = REPO / "bench" / "naive.py"
        baseline = [sys.executable, str(naive), str(deck), str(work / "baseline.pdf")]
        cases: list[Case] = [
            Case("baseline: naive reportlab, flashcards", baseline, work, env),
            Case("printkit: the four PDFs", four, work, env),
            Case("printkit: the four PDFs, font cache cold", four, work, env, cold_cache=True),
            Case("printkit: the four PDFs, no bytecode cache", four, work, no_bytecode),
            Case("printkit: every default layout", build, work, env),
            Case("printkit: flashcards only", [*build, "--layout", "flashcards"], work, env),
        ]
        if args.before:
            before = [str(args.before), *build[1:]]
            before_four = [str(args.before), *four[1:]]
            cases += [
                Case("before: the four PDFs", before_four, work, env),
                Case("before: every default layout", before, work, env),
            ]
            run_child(before, work, env)
        latex = _latex_case(deck_path, work)
        if isinstance(latex, Case):
            cases.append(latex)
        run_child(build, work, env)  # writes the bytecode and the font cache, as after install
        # In turns, so that a busy moment of the machine slows every case alike.
        runs: dict[str, list[Timing]] = {case.name: [] for case in cases}
        for number in range(args.repeat):
            for case in cases:
                case_env = case.env
                if case.cold_cache:
                    case_env = dict(case.env, XDG_CACHE_HOME=str(work / f"cold-{number}"))
                runs[case.name].append(run_child(case.command, case.cwd, case_env))

    best = {
        name: Timing(min(r.cpu for r in rs), min(r.wall for r in rs)) for name, rs in runs.items()
    }
    base = best[cases[0].name]
    print("| build | CPU s | wall s | CPU × baseline |")
    print("|---|---:|---:|---:|")
    for name, timing in best.items():
        print(f"| {name} | {timing.cpu:.3f} | {timing.wall:.3f} | {timing.cpu / base.cpu:.2f} |")
    if isinstance(latex, str):
        print(f"| pdflatex: flashcards class | | | {latex} |")


@dataclass(frozen=True)
class Case:
    name: str
    command: list[str]
    cwd: Path
    env: dict[str, str]
    cold_cache: bool = False  # an empty font cache each run: the first build after installing


def _latex_case(deck_path: Path, work: Path) -> Case | str:
    """pdflatex on the deck's cards, or why it cannot be timed here."""
    pdflatex = shutil.which("pdflatex")
    if pdflatex is None:
        return "skipped: pdflatex is not installed (Debian: apt-get install texlive-latex-extra)"
    folder = work / "latex"
    folder.mkdir()
    (folder / "cards.tex").write_text(flashcards_tex(deck_path), encoding="utf-8")
    command = [pdflatex, "-interaction=batchmode", "-halt-on-error", "cards.tex"]
    try:
        run_child(command, folder, dict(os.environ))
    except SystemExit:
        # No flashcards.cls, or text plain pdflatex cannot set (Chinese, Arabic…): its log says.
        return "skipped: pdflatex failed on this deck (flashcards.cls missing, or its scripts)"
    return Case("pdflatex: flashcards class", command, folder, dict(os.environ))


if __name__ == "__main__":
    main()
