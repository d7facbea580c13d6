"""The other measured targets of the issues, in one run: start-up, a cold build, parallel
builds, the summary's fit search, worksheets at scale and the importers.

Run from the repo root:  python bench/targets.py
Not part of the test suite: timings depend on the machine. Each figure is the best of 3 runs.
"""

from __future__ import annotations

import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "decks" / "stalin-foreign-policy.yaml"
sys.path.insert(0, str(REPO / "bench"))

from run import make_deck  # noqa: E402  (the benchmark's own deck generator)


def best_of(runs: int, action: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def cpu_seconds() -> float:
    """User and system time of this process and of the children it has waited for."""
    me, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def wall_and_cpu(runs: int, action: Callable[[], object]) -> str:
    """The best wall time and the best CPU time of `runs` runs, as 'W s (CPU C s)'."""
    walls, cpus = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), cpu_seconds()
        action()
        walls.append(time.perf_counter() - start)
        cpus.append(cpu_seconds() - start_cpu)
    return f"{min(walls):.2f} s (CPU {min(cpus):.2f} s)"


def printkit(*args: str, cwd: Path) -> Callable[[], object]:
    command = [sys.executable, "-m", "printkit", *args]
    return lambda: subprocess.run(command, cwd=cwd, capture_output=True, check=False)


def short_cards_deck(count: int, path: Path) -> None:
    rng = random.Random(count)
    words = [
        "cell",
        "atom",
        "river",
        "city",
        "king",
        "war",
        "treaty",
        "sum",
        "angle",
        "force",
        "light",
        "sound",
    ]
    lines = [f"title: {count} short cards", "cards:"]
    for i in range(1, count + 1):
        lines.append(f"  - question: What is {' '.join(rng.choices(words, k=4))} {i}?")
        lines.append(f"    answer: {' '.join(rng.choices(words, k=6))}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def import_sources(folder: Path, cards: int) -> dict[str, Path]:
    """10,000-card sources in each import format, written like the programs write them."""
    rng = random.Random(7)
    words = [
        "the",
        "of",
        "Stalin",
        "policy",
        "pact",
        "war",
        "China",
        "Spain",
        "treaty",
        "allies",
        "threat",
        "party",
    ]

    def text(k: int) -> str:
        return " ".join(rng.choices(words, k=k)).capitalize()

    notes = ["Generated notes Flashcards"]
    quizlet, anki, csv = (
        [],
        ["#separator:tab", "#html:true", "#tags column:3"],
        ["question,answer,tags"],
    )
    for i in range(cards):
        question, points = (
            f"What was {text(6).lower()} {i}?",
            [text(12) for _ in range(rng.randint(1, 5))],
        )
        notes.append(question)
        notes.extend(f"-{point}" for point in points)
        quizlet.append(f"{question}\t{'; '.join(points)}")
        anki.append(f"{question}\t{'<br>'.join(points)}\ttag{i % 7}")
        csv.append(f'"{question}","{"; ".join(points)}",tag{i % 7}')
    sources = {}
    for name, lines in (("notes", notes), ("quizlet", quizlet), ("anki", anki), ("csv", csv)):
        sources[name] = folder / f"source-{name}.{'csv' if name == 'csv' else 'txt'}"
        sources[name].write_text("\n".join(lines) + "\n", encoding="utf-8")
    return sources


def main() -> None:
    from printkit.layouts.summary import plan_summary

    from printkit.deck import load_deck
    from printkit.errors import LayoutError
    from printkit.paper import PAPERS

    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        (work / "decks").mkdir()
        shutil.copy(SEED, work / "decks")

        rows.append(("`printkit --help`", "< 0.2 s", wall_and_cpu(3, printkit("--help", cwd=work))))
        cold = printkit("build", "--force", "--jobs", "1", cwd=work)
        rows.append(
            (
                "cold `printkit build` of the seed deck, all layouts",
                "< 0.6 s",
                wall_and_cpu(3, cold),
            )
        )

        many = work / "many"
        (many / "decks").mkdir(parents=True)
        for i in range(50):
            shutil.copy(SEED, many / "decks" / f"copy{i:02}.yaml")
        one = best_of(3, printkit("build", "--force", "--jobs", "1", cwd=many))
        two = best_of(3, printkit("build", "--force", "--jobs", "2", cwd=many))
        rows.append(
            (
                "50 copies of the seed deck, `--jobs 1` → `--jobs 2`",
                "faster with 2",
                f"{one:.2f} s → {two:.2f} s",
            )
        )

        short = work / "short-60.yaml"
        short_cards_deck(60, short)
        deck = load_deck(short)
        seconds = best_of(3, lambda: plan_summary(deck, PAPERS["a4"]))
        plan = plan_summary(deck, PAPERS["a4"])
        rows.append(
            (
                "summary fit search, 60 short cards (A4)",
                "one page, < 0.5 s",
                f"{seconds:.2f} s: {plan.size:g} pt, {plan.frame.columns} columns, {plan.frame.orientation}",
            )
        )
        big = work / "big-400.yaml"
        make_deck(400, big)
        deck = load_deck(big)

        def refuse() -> None:
            try:
                plan_summary(deck, PAPERS["a4"])
            except LayoutError:
                return
            raise AssertionError("a 400-card summary fitted on one page")

        rows.append(
            (
                "summary of 400 cards refused with 'needs N pages'",
                "< 2 s",
                f"{best_of(3, refuse):.2f} s",
            )
        )

        worksheets = work / "ws"
        (worksheets / "decks").mkdir(parents=True)
        make_deck(500, worksheets / "decks" / "five-hundred.yaml")
        build = printkit(
            "build", "--force", "--layout", "worksheet", "--layout", "answers", cwd=worksheets
        )
        rows.append(("worksheet + answer key of 500 cards", "< 5 s", f"{best_of(3, build):.2f} s"))

        for name, source in import_sources(work, 10_000).items():
            target = work / f"imported-{name}.yaml"
            action = printkit(
                "import", str(source), "-o", str(target), "--force", "--format", name, cwd=work
            )
            rows.append(
                (
                    f"`printkit import` of 10,000 cards, {name}",
                    "< 2 s",
                    f"{best_of(3, action):.2f} s",
                )
            )

    print("| target | goal | measured |")
    print("|---|---|---|")
    for row in rows:
        print(f"| {' | '.join(row)} |")


if __name__ == "__main__":
    main()
