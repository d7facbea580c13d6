"""A custom printkit layout: a revision checklist with a tick box per card and per round.

Copy this file into your workspace's layouts/ folder and `printkit build` picks it up by its
file name (here: checklist); `printkit layouts` lists it with its options.
"""

from printkit import fonts
from printkit.card_content import question_items
from printkit.options import Option
from printkit.paper import MM
from printkit.text import Paragraph, layout_text, text_width

# One line shown by `printkit layouts`.
DESCRIPTION = "A revision checklist: every question with a tick box for each round of revision."

# Options work like every built-in option: `--set checklist.rounds=5` on the command line, or
# `options: {checklist: {rounds: 5}}` in a deck.
OPTIONS = (Option("rounds", 3, "tick boxes per question", kind="int", minimum=1, maximum=8),)


def render(deck, options, output):
    """Draw the deck; printkit names the file <deck>-checklist.pdf and writes it."""
    paper = options["paper"]
    doc = output.document(paper, title=f"{deck.title} — checklist")
    box = 4 * MM
    left, right = 15 * MM, paper.width - 15 * MM
    number_width = text_width(f"{len(deck.cards)}. ", fonts.REGULAR, 11)
    width = right - left - number_width - options["rounds"] * (box + 2 * MM) - 4 * MM
    y = None
    for card in deck.cards:
        # The question as every layout shows it: bold, italics, formulas and pictures.
        items = question_items(card, deck, options, font=fonts.REGULAR)
        block = layout_text(items, width, 11)
        number = layout_text([Paragraph(f"{card.number}.")], number_width, 11)
        if y is None or y - block.height < 15 * MM:  # start a page when this card would not fit
            doc.begin_page()
            heading = layout_text([Paragraph(deck.title, font=fonts.BOLD)], right - left, 16)
            doc.draw_text(heading, left, paper.height - 15 * MM)
            y = paper.height - 15 * MM - heading.height - 6 * MM
        doc.draw_text(number, left, y)
        doc.draw_text(block, left + number_width, y)
        for i in range(options["rounds"]):
            x = right - (options["rounds"] - i) * (box + 2 * MM)
            doc.canvas.rect(x, y - box, box, box)
        y -= max(block.height, box) + 3 * MM
