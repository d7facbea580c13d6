"""printkit benchmark: time, throughput and peak memory of each layout against a naive baseline.

Run from the repo root:  python bench/run.py            (sizes 100, 1000, 10000 cards)
                         python bench/run.py --sizes 100 1000
Each measurement runs in a fresh process so that peak memory and caches are its own.
Not part of the test suite: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from naive import baseline  # bench/naive.py: the same cards drawn naively with reportlab

_VOCABULARY = (
    "Stalin foreign policy Soviet Union Russia Germany Nazi pact treaty alliance revolution "
    "communist party China Mao Spain civil war Britain France Japan threat security survival "
    "propaganda leader agreement territory invasion defence support victory failure purge "
    "nationalists republicans equipment attention interest believed feared hoped refused "
    "the of and to in a was that his with for as by on it were their from had which this"
)
WORDS = _VOCABULARY.split()


FORMULAS = (
    "\\frac{a+b}{2}",
    "\\sqrt{x^2+y^2}",
    "\\sum_{i=1}^{n} i^2",
    "\\int_0^1 x\\,dx",
    "\\alpha \\le \\beta \\pm 1",
)


def make_deck(cards: int, path: Path, seed: int = 1, rich: bool = False) -> None:
    """A deck of realistic cards: 6–15 word questions, answers of 1 to 9 points of 6–25 words.

    A rich deck has the same cards with a bold term and an italic word in every question, a
    subscript and a superscript in every answer, a formula in every fifth card and a picture
    (one PNG, beside the deck) on every tenth card's back."""
    rng = random.Random(seed)

    def sentence(low: int, high: int) -> str:
        words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
        return " ".join(words).capitalize()

    lines = [f"title: Benchmark deck of {cards} cards", "subject: History", "cards:"]
    for number in range(cards):
        question = sentence(6, 15)
        points = [sentence(6, 25) for _ in range(rng.randint(1, 9))]
        if rich:
            first, second, *rest = question.split(" ")
            question = " ".join([f"**{first}**", f"*{second}*", *rest])
            points[0] = f"{points[0]} CO~2~ and x^2^"
            if number % 5 == 0:
                points[-1] = f"{points[-1]} ${FORMULAS[number // 5 % len(FORMULAS)]}$"
            if number % 10 == 0:
                points.append("![A chart of the treaty zones](chart.png)")
        lines.append(f"  - question: '{question}?'")
        lines.append("    answer:")
        lines.extend(f"      - '{point}'" for point in points)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if rich:
        _write_chart(path.with_name("chart.png"))


def _write_chart(path: Path) -> None:
    """A 600 × 400 bar chart PNG, like a diagram a teacher would paste in."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 400), "white")
    draw = ImageDraw.Draw(image)
    for index, height in enumerate((120, 300, 220, 80, 260)):
        draw.rectangle((40 + index * 110, 380 - height, 120 + index * 110, 380), fill=(40, 90, 160))
    draw.line((20, 380, 580, 380), fill="black", width=3)
    image.save(path, dpi=(150, 150))


def measure_one(layout: str, deck_path: Path) -> dict:
    """Build one layout of one deck in this process; report seconds (wall and CPU: user and
    system time of this process) and peak memory."""
    start, start_cpu = time.perf_counter(), time.process_time()
    with tempfile.TemporaryDirectory() as out:
        if layout == "baseline":
            baseline(deck_path, Path(out) / "baseline.pdf")
        else:
            from printkit.build import build_deck
            from printkit.layout_loader import available_layouts, select_layouts

            all_layouts = available_layouts(None)
            chosen = select_layouts(all_layouts, [layout])
            result = build_deck(deck_path, Path(out), chosen, all_layouts, force=True)
            if result.error is not None:
                # A one-page summary of 1,000 cards is refused by design: time the refusal.
                message = str(result.error)
                note = re.search(r"would need ((?:at least )?\d+) pages", message)
                refused = f"refused: needs {note.group(1)} pages" if note else message
                return {
                    "seconds": time.perf_counter() - start,
                    "cpu": time.process_time() - start_cpu,
                    "peak_mb": _peak_mb(),
                    "note": refused,
                }
    return {
        "seconds": time.perf_counter() - start,
        "cpu": time.process_time() - start_cpu,
        "peak_mb": _peak_mb(),
    }


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_isolated(layout: str, deck_path: Path, repeat: int) -> dict:
    """The best of `repeat` runs, each in a fresh process: the least disturbed by the machine."""
    runs = []
    for _ in range(repeat):
        result = subprocess.run(
            [sys.executable, __file__, "--one", layout, str(deck_path)],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            return {"error": result.stderr.strip().splitlines()[-1] if result.stderr else "failed"}
        runs.append(json.loads(result.stdout))
    return min(runs, key=lambda run: run["seconds"])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--layouts", nargs="+", default=None, help="default: every built-in layout")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; best kept")
    parser.add_argument(
        "--rich",
        action="store_true",
        help="also build a rich deck (styles, formulas, a picture per ten cards) of each size",
    )
    parser.add_argument("--one", nargs=2, metavar=("LAYOUT", "DECK"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure_one(args.one[0], Path(args.one[1]))))
        return

    from printkit import __version__
    from printkit.layout_loader import available_layouts

    layouts = args.layouts or list(available_layouts(None))
    print(
        f"printkit {__version__} · Python {platform.python_version()} · {platform.machine()} · "
        f"{os.cpu_count()} cores · {platform.platform()}"
    )
    print()
    print("| layout | cards | seconds | CPU s | cards/s | peak MB | × baseline | note |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            deck_path = Path(folder) / f"bench-{size}.yaml"
            make_deck(size, deck_path)
            base = run_isolated("baseline", deck_path, args.repeat)
            rows = [("baseline", base)] + [
                (name, run_isolated(name, deck_path, args.repeat)) for name in layouts
            ]
            if args.rich:
                rich_path = Path(folder) / "rich" / f"bench-{size}.yaml"
                rich_path.parent.mkdir(exist_ok=True)
                make_deck(size, rich_path, rich=True)
                rows += [
                    (f"{name} (rich)", run_isolated(name, rich_path, args.repeat))
                    for name in layouts
                ]
            for name, result in rows:
                if "error" in result:
                    print(f"| {name} | {size} | | | | | | failed: {result['error']} |")
                    continue
                ratio = result["seconds"] / base["seconds"]
                print(
                    f"| {name} | {size} | {result['seconds']:.2f} | {result['cpu']:.2f} | "
                    f"{size / result['seconds']:,.0f} | "
                    f"{result['peak_mb']:.0f} | {ratio:.2f} | {result.get('note', '')} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
