"""The naive baseline of the benchmarks: a deck's cards drawn with plain reportlab.

The same cards on the same 2 × 3 A4 grid as the flashcards, at a fixed 8 pt, wrapped with
reportlab's `simpleSplit`, with no fitting (long answers overflow their card), in the two
DejaVu faces it uses, parsed by reportlab. It loads the deck with printkit's loader, so that a
ratio to it isolates what fitting and laying out cost.

    python bench/naive.py DECK.yaml OUT.pdf     (bench/cold.py times it in a fresh process)

It imports nothing else, so that a cold start of it is what a small reportlab script costs.
"""

from __future__ import annotations

import sys
from pathlib import Path


def baseline(deck_path: Path, out: Path) -> int:
    """Naive reportlab: the same cards on the same 2 × 3 A4 grid at a fixed 8 pt, no fitting."""
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    from printkit import fonts
    from printkit.deck import load_deck
    from printkit.paper import MM, PAPERS

    for face in (fonts.REGULAR, fonts.BOLD):  # the two faces it draws, parsed as reportlab does
        pdfmetrics.registerFont(TTFont(face, str(fonts.font_file(face))))
    deck = load_deck(deck_path)
    paper = PAPERS["a4"]
    canvas = Canvas(str(out), pagesize=paper.size, invariant=1)
    width, height = (paper.width - 20 * MM) / 2, (paper.height - 20 * MM) / 3
    pages = 0
    for start in range(0, len(deck.cards), 6):
        run = deck.cards[start : start + 6]
        for side in ("question", "answer"):
            for slot, card in enumerate(run):
                x = 10 * MM + (slot % 2) * width + 5 * MM
                y = paper.height - 10 * MM - (slot // 2) * height - 10 * MM
                texts = [card.question] if side == "question" else list(card.answer)
                font = fonts.BOLD if side == "question" else fonts.REGULAR
                canvas.setFont(font, 8)
                for text in texts:
                    for line in simpleSplit(text, font, 8, width - 10 * MM):
                        canvas.drawString(x, y, line)
                        y -= 9.6
            canvas.showPage()
            pages += 1
    canvas.save()
    return pages


if __name__ == "__main__":
    baseline(Path(sys.argv[1]), Path(sys.argv[2]))
