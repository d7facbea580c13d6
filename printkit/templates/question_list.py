"""An example custom layout: every question with its answer, one after another, to read through.

printkit found this file because it sits in your workspace's layouts/ folder: `printkit layouts`
lists it and `printkit build` builds it with the built-in layouts (delete the file if you do not
want it). Copy it to make your own. A layout is a Python module with three things:
    DESCRIPTION  one line shown by `printkit layouts`
    OPTIONS      settings a deck or the command line can change (optional)
    render(deck, options, output)  draws the deck; printkit names and writes the PDF
"""

from printkit import fonts
from printkit.errors import FitError
from printkit.options import Option
from printkit.paper import MM
from printkit.text import Paragraph, layout_text

DESCRIPTION = "Example custom layout: all questions with their answers, as a list to read through."

# Change them in a deck (options: {question_list: {size: 12}}) or with --set question_list.size=12.
OPTIONS = (Option("size", 11.0, "font size in pt", kind="number", minimum=6, maximum=24),)

MARGIN = 15 * MM  # keep ink well away from the paper edge: printers cannot print there


def render(deck, options, output):
    """Lay out each card as a block of text and start a new page when the next one does not fit."""
    paper = options["paper"]  # every layout gets the paper option
    size = options["size"]
    width = paper.width - 2 * MARGIN
    doc = output.document(paper, title=f"{deck.title} — question list")
    top = None  # where the next block starts; None: a new page is needed
    for card in deck.cards:
        paragraphs = [Paragraph(f"{card.number}. {card.question}", font=fonts.BOLD)]
        bullet = "•" if card.is_list else None  # a list answer gets bullets
        paragraphs += [Paragraph(point, bullet=bullet) for point in card.answer]
        block = layout_text(paragraphs, width, size)  # measure first, then draw
        if block.height > paper.height - 2 * MARGIN:
            raise FitError(f"{deck.path}:{card.line}: card {card.number} is longer than a page")
        if top is None or top - block.height < MARGIN:
            doc.begin_page()
            top = paper.height - MARGIN
        doc.draw_text(block, MARGIN, top)
        top -= block.height + size  # one line of space between cards
