"""The HTML of `printkit serve`: whole pages that work before (and without) any script.

Pure functions from data to text, so they can be tested without a server. Every text from a
deck or a message is escaped; images carry their print size in CSS pixels (96 per inch, which
is how CSS defines mm), so a page shows at the size it prints.
"""

from __future__ import annotations

from html import escape
from urllib.parse import quote

from printkit.serve.editor import DeckForm
from printkit.serve.previews import DeckPreview, LayoutPreview, PdfFile

PX_PER_MM = 96 / 25.4
LAYOUT_TITLES = {"quiz-key": "Quiz key", "answers": "Answer key"}


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def document(title: str, body: str, *, workspace: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)} · printkit</title>
<link rel="stylesheet" href="/static/app.css">
<script src="/static/app.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to the main content</a>
<header class="top"><a class="brand" href="/">printkit</a>
<span class="where">{_e(workspace)}</span>
<span class="status" id="status" role="status" aria-live="polite"></span></header>
{body}
</body>
</html>
"""


def deck_list(decks: list[DeckPreview], current: str | None) -> str:
    items = []
    for deck in decks:
        here = ' aria-current="page"' if deck.stem == current else ""
        title = deck.title or deck.stem
        facts = [_e(deck.path)]
        if deck.cards is not None:
            facts.append(f"{deck.cards} card{'s' if deck.cards != 1 else ''}")
        trouble = ""
        if deck.problems:  # counted here; the messages are on the deck's page and the overview
            count = len(deck.problems)
            trouble = f'<span class="bad">{count} problem{"s" if count != 1 else ""}</span>'
        items.append(
            f'<li><a href="/deck/{quote(deck.stem)}"{here}><span class="title">{_e(title)}</span>'
            f'<span class="facts">{" · ".join(facts)}</span>{trouble}</a></li>'
        )
    if not items:
        items.append(
            "<li>No decks yet: add a .yaml file to decks/ (printkit new NAME starts one).</li>"
        )
    return (
        '<nav class="decks" id="deck-list" aria-labelledby="decks-heading">'
        f'<h2 id="decks-heading">Decks</h2><ul>{"".join(items)}</ul></nav>'
    )


def _problems(problems: list[str]) -> str:
    return "".join(f"<li><code>{_e(p)}</code></li>" for p in problems)


def home_page(decks: list[DeckPreview]) -> str:
    """Every deck in a table: title, file, cards, and its problems in full."""
    rows = []
    for deck in decks:
        cards = "" if deck.cards is None else str(deck.cards)
        if deck.problems:
            count = len(deck.problems)
            state = (
                f'<span class="bad">{count} problem{"s" if count != 1 else ""}</span>'
                f'<ul class="problems">{_problems(deck.problems)}</ul>'
            )
        else:
            state = "ready to print"
        rows.append(
            f'<tr><th scope="row"><a href="/deck/{quote(deck.stem)}">'
            f"{_e(deck.title or deck.stem)}</a></th><td><code>{_e(deck.path)}</code></td>"
            f'<td class="number">{cards}</td><td>{state}</td></tr>'
        )
    count = len(decks)
    table = (
        '<table class="overview"><caption>'
        f"{count} deck{'s' if count != 1 else ''} in decks/</caption><thead><tr>"
        '<th scope="col">Deck</th><th scope="col">File</th><th scope="col">Cards</th>'
        f'<th scope="col">Status</th></tr></thead><tbody>{"".join(rows)}</tbody></table>'
        if rows
        else "<p>No decks yet: add a .yaml file to decks/ (printkit new NAME starts one).</p>"
    )
    return (
        f'<div class="layout">{deck_list(decks, None)}<main id="main" tabindex="-1">'
        '<h1>Your decks</h1><p class="lead">Choose a deck to see its pages '
        "as they will print and to edit its cards. When you save a deck file in your editor, "
        f'this page updates by itself.</p><div id="overview">{table}</div></main></div>'
    )


def deck_page(
    decks: list[DeckPreview],
    preview: DeckPreview,
    layout_names: list[str],
    stocks: list[str],
    token: str,
    notice: str = "",
    actual: bool = False,  # pages at their print size, rather than fitted to the window
    view: str = "",  # the print options in the page's address, kept in the editor's
) -> str:
    stem = quote(preview.stem)
    notice_html = f'<p class="notice" role="status">{_e(notice)}</p>' if notice else ""
    cards = preview.cards
    # The parts with ids are what the page's script swaps in when the deck is rebuilt; the
    # options form stays, so nothing typed into it is lost.
    return (
        f'<div class="layout">{deck_list(decks, preview.stem)}'
        f'<main id="main" tabindex="-1" data-deck="{_e(preview.stem)}">'
        f'<div id="deck-head"><div class="heading"><h1>{_e(preview.title or preview.stem)}</h1>'
        f'<a class="button primary" href="/deck/{stem}/edit{_query(view)}">Edit cards</a></div>'
        f'<p class="facts">{_e(preview.path)}'
        + (f" · {cards} card{'s' if cards != 1 else ''}" if cards is not None else "")
        + f'</p>{notice_html}</div><div id="deck-problems">{_problem_box(preview)}</div>'
        f"{_switches(preview, layout_names, stocks, actual)}"
        + ('<div id="deck-pages" class="actual-size">' if actual else '<div id="deck-pages">')
        + f"{''.join(_layout(preview, layout) for layout in preview.layouts.values())}"
        + ("" if preview.layouts else "<p>Nothing to show yet: fix the problems above.</p>")
        + "</div></main></div>"
    )


def _problem_box(preview: DeckPreview) -> str:
    html = ""
    if preview.problems:
        kept = any(layout.stale for layout in preview.layouts.values())
        after = (
            "<p>The pages below are the last good preview; they change when the deck is fixed.</p>"
            if kept
            else ""
        )
        count = len(preview.problems)
        html += (
            f'<section class="problems-box" aria-labelledby="problems-heading">'
            f'<h2 id="problems-heading">{count} problem{"s" if count != 1 else ""}: '
            f'not built</h2><ul class="problems">{_problems(preview.problems)}</ul>{after}</section>'
        )
    if preview.broken:
        html += (
            '<section class="warnings-box" aria-label="Layouts that cannot be loaded">'
            "<p>These layouts of the workspace cannot be loaded, so they are left out:</p>"
            f'<ul class="problems">{_problems(preview.broken)}</ul></section>'
        )
    if preview.warnings:
        html += (
            '<section class="warnings-box" aria-label="Warnings"><ul class="problems">'
            f"{_problems(preview.warnings)}</ul></section>"
        )
    return html


def _select(name: str, label: str, values: list[str], chosen: str, default: str) -> str:
    options = [f'<option value="">{_e(default)}</option>']
    for value in values:
        selected = " selected" if value == chosen else ""
        options.append(f'<option value="{_e(value)}"{selected}>{_e(value)}</option>')
    return (
        f'<div class="field"><label for="sw-{name}">{_e(label)}</label>'
        f'<select id="sw-{name}" name="{name}">{"".join(options)}</select></div>'
    )


def _size_choice(actual: bool) -> str:
    """How big the pages are on screen: not a print option, so not part of the build, but in
    the same form so that it is kept when the print options change (even without a script)."""
    radios = []
    for value, label, chosen in (
        ("fit", "Fit to window", not actual),
        ("actual", "Actual size", actual),
    ):
        checked = " checked" if chosen else ""
        radios.append(
            f'<span class="check"><input type="radio" id="sw-size-{value}" name="size" '
            f'value="{value}"{checked}><label for="sw-size-{value}">{label}</label></span>'
        )
    return (
        f'<fieldset class="field size"><legend>Size on screen</legend>{"".join(radios)}</fieldset>'
    )


def _switches(
    preview: DeckPreview, layout_names: list[str], stocks: list[str], actual: bool = False
) -> str:
    c = preview.choices
    d = preview.defaults
    fields = [
        _select("paper", "Paper", ["a4", "letter"], c.paper, d.get("paper", "")),
        _select("stock", "Card stock", stocks, c.stock, d.get("stock", "")),
        _select("flip", "Flip edge", ["long", "short"], c.flip, d.get("flip", "")),
        _select("duplex", "Two-sided", ["double", "manual", "fold"], c.duplex, d.get("duplex", "")),
        _select("layout", "Layout", layout_names, c.layout, "all layouts"),
        _size_choice(actual),
    ]
    extra = "\n".join(c.extra)
    return (
        f'<form class="switches" method="get" action="/deck/{quote(preview.stem)}" '
        'aria-labelledby="switches-heading"><h2 id="switches-heading" class="small-heading">'
        f'Print options</h2><div class="fields">{"".join(fields)}'
        f'</div><details class="more"{" open" if c.extra else ""}><summary>More options</summary>'
        '<div class="field"><label for="sw-set">Any layout option as NAME=VALUE or '
        "LAYOUT.NAME=VALUE, one a line, as --set takes them (see printkit layouts)</label>"
        f'<textarea id="sw-set" name="set" rows="2">{_e(extra)}</textarea>'
        '</div></details><div class="row"><button type="submit">Show</button>'
        '<p class="command"><span>Same PDFs with:</span> '
        f'<code id="command">{_e(preview.command)}</code></p></div></form>'
    )


def _layout(preview: DeckPreview, layout: LayoutPreview) -> str:
    title = LAYOUT_TITLES.get(layout.name, layout.name.replace("-", " ").capitalize())
    stale = ' <span class="stale">last good preview</span>' if layout.stale else ""
    files = "".join(_pdf(preview, layout, title, pdf) for pdf in layout.files)
    return (
        f'<section class="layout-section" aria-labelledby="l-{_e(layout.name)}">'
        f'<h2 id="l-{_e(layout.name)}">{_e(title)}{stale}</h2>'
        f'<p class="description">{_e(layout.description)}</p>{files}</section>'
    )


def _pdf(preview: DeckPreview, layout: LayoutPreview, title: str, pdf: PdfFile) -> str:
    url = f"/pdf/{pdf.digest}/{quote(pdf.name)}"
    count = len(pdf.pages)
    buttons = (
        f'<div class="file"><span class="name">{_e(pdf.name)}</span> '
        f'<span class="facts">{count} page{"s" if count != 1 else ""}</span> '
        f'<a class="button" href="{url}" target="_blank" rel="noopener">Open PDF</a> '
        f'<a class="button" href="{url}?download=1" download="{_e(pdf.name)}">Download</a></div>'
    )
    return buttons + "".join(_sheet(layout, title, pdf, group) for group in _groups(layout, pdf))


def _groups(layout: LayoutPreview, pdf: PdfFile) -> list[list[tuple[str, int]]]:
    """Pages to show side by side: a flashcard sheet's front and back, otherwise one page."""
    count = len(pdf.pages)
    if layout.sides == "pairs" and count % 2 == 0:
        return [
            [(f"sheet {i // 2 + 1}, fronts", i + 1), (f"sheet {i // 2 + 1}, backs", i + 2)]
            for i in range(0, count, 2)
        ]
    if layout.sides == "halves":
        # Printing without duplex: a page of instructions, then every front, then every back.
        first = count % 2
        half = (count - first) // 2
        return [[("how to print it", 1)]] * first + [
            [
                (f"sheet {i + 1}, fronts", first + i + 1),
                (f"sheet {i + 1}, backs", first + half + i + 1),
            ]
            for i in range(half)
        ]
    return [[(f"page {n}", n)] for n in range(1, count + 1)]


def _sheet(layout: LayoutPreview, title: str, pdf: PdfFile, group: list[tuple[str, int]]) -> str:
    figures = []
    for label, number in group:
        page = pdf.pages[number - 1]
        width = round(page.width_mm * PX_PER_MM)
        height = round(page.height_mm * PX_PER_MM)
        size = f"{page.width_mm:.0f} × {page.height_mm:.0f} mm"
        text = " ".join(page.text.split())
        words = (
            f'<details class="page-text"><summary>Text on this page</summary><p>{_e(text)}</p></details>'
            if text
            else ""
        )
        figures.append(
            f'<figure class="page"><img src="/page/{pdf.digest}/{number}.png" width="{width}" '
            f'height="{height}" alt="{_e(title)}, {_e(label)} (page {number} of {len(pdf.pages)}, '
            f'{size})" loading="lazy"><figcaption>{_e(label.capitalize())} · {size}</figcaption>'
            f"{words}</figure>"
        )
    pair = " pair" if len(figures) == 2 else ""
    return f'<div class="sheet{pair}">{"".join(figures)}</div>'


def editor_page(
    decks: list[DeckPreview],
    stem: str,
    path: str,
    form: DeckForm,
    token: str,
    problems: list[str] = (),  # type: ignore[assignment]
    notice: str = "",
    focus: int | None = None,  # the card whose first field gets the cursor (after add or move)
    view: str = "",  # the deck page's print options, for the way back
) -> str:
    cards = "".join(_card_fields(form, i, i == focus) for i in range(len(form.cards)))
    trouble = ""
    if problems:
        trouble = (
            '<section class="problems-box" role="alert" aria-labelledby="problems-heading">'
            '<h2 id="problems-heading">Not saved: the deck would not load</h2>'
            f'<ul class="problems">{_problems(list(problems))}</ul>'
            "<p>Your changes are still in the form below; fix them and save again.</p></section>"
        )
    notice_html = f'<p class="notice" role="status">{_e(notice)}</p>' if notice else ""
    return (
        f'<div class="layout">{deck_list(decks, stem)}<main id="main" tabindex="-1" '
        f'data-editor="{_e(stem)}"><div class="heading"><h1>Edit {_e(form.title or stem)}</h1>'
        f'<a class="button" href="/deck/{quote(stem)}{_query(view)}">Back to the preview</a></div>'
        f'<p class="facts">{_e(path)} · saving keeps your comments and the order of keys; '
        f"a deck that would not load is never saved.</p>{trouble}{notice_html}"
        f'<form class="editor" method="post" action="/deck/{quote(stem)}/edit">'
        f'<input type="hidden" name="token" value="{_e(token)}">'
        f'<input type="hidden" name="base" value="{_e(form.base)}">'
        f'<input type="hidden" name="count" value="{len(form.cards)}">'
        f'<input type="hidden" name="view" value="{_e(view)}">'
        '<div class="row save-bar"><button type="submit" name="action" value="save" '
        'class="primary">Save deck</button></div>'
        '<fieldset class="deck-fields"><legend>Deck</legend>'
        f'<div class="field"><label for="title">Title</label><input id="title" name="title" '
        f'value="{_e(form.title)}" required></div>'
        f'<div class="field"><label for="subject">Subject (optional)</label><input id="subject" '
        f'name="subject" value="{_e(form.subject)}"></div></fieldset>'
        f'<h2>Cards ({len(form.cards)})</h2><ol class="cards">{cards}</ol>'
        '<div class="row"><button type="submit" name="action" value="add">Add a card</button>'
        '<button type="submit" name="action" value="save" class="primary">Save deck</button></div>'
        "</form></main></div>"
    )


def _card_fields(form: DeckForm, i: int, focus: bool = False) -> str:
    card = form.cards[i]
    autofocus = " autofocus" if focus else ""
    n = i + 1
    source = "" if card.source is None else str(card.source)
    if card.cloze:
        text = (
            f'<div class="field"><label for="q-{i}">Cloze sentence (gaps in {{{{double braces}}}})'
            f'</label><textarea id="q-{i}" name="q-{i}" rows="2"{autofocus}>{_e(card.question)}</textarea>'
            f'<input type="hidden" name="cloze-{i}" value="1"></div>'
        )
    else:
        checked = " checked" if card.as_list else ""
        text = (
            f'<div class="field"><label for="q-{i}">Question</label><textarea id="q-{i}" '
            f'name="q-{i}" rows="2"{autofocus}>{_e(card.question)}</textarea></div>'
            f'<div class="field"><label for="a-{i}">Answer</label><textarea id="a-{i}" '
            f'name="a-{i}" rows="{max(2, card.answer.count(chr(10)) + 1)}">{_e(card.answer)}'
            "</textarea></div>"
            f'<div class="check"><input type="checkbox" id="list-{i}" name="list-{i}" value="1"'
            f'{checked}><label for="list-{i}">Answer as bullet points, one a line</label></div>'
        )
    up = (
        f'<button type="submit" name="action" value="up-{i}" aria-label="Move card {n} up">'
        "Move up</button>"
        if i > 0
        else ""
    )
    down = (
        f'<button type="submit" name="action" value="down-{i}" aria-label="Move card {n} down">'
        "Move down</button>"
        if i < len(form.cards) - 1
        else ""
    )
    wrong = (
        ""
        if card.cloze  # a cloze card's choices are its gaps
        else f'<div class="field"><label for="wrong-{i}">Wrong choices for multiple choice, one a '
        f'line</label><textarea id="wrong-{i}" name="wrong-{i}" rows="2">{_e(card.wrong)}'
        "</textarea></div>"
    )
    extra = (
        f'<details class="more"{" open" if card.wrong or card.lines or card.marks else ""}>'
        f"<summary>Quiz and worksheet (optional)</summary>{wrong}"
        f'<div class="row"><div class="field"><label for="lines-{i}">Writing lines</label>'
        f'<input id="lines-{i}" name="lines-{i}" value="{_e(card.lines)}" inputmode="numeric" '
        f'size="4"></div><div class="field"><label for="marks-{i}">Marks</label>'
        f'<input id="marks-{i}" name="marks-{i}" value="{_e(card.marks)}" inputmode="numeric" '
        'size="4"></div></div></details>'
    )
    return (
        f'<li><fieldset class="card" id="card-{n}"><legend>Card {n}</legend>'
        f'<input type="hidden" name="src-{i}" value="{source}">{text}'
        f'<div class="field"><label for="tags-{i}">Tags (comma-separated, optional)</label>'
        f'<input id="tags-{i}" name="tags-{i}" value="{_e(card.tags)}"></div>{extra}'
        f'<div class="row card-actions">{up}{down}<button type="submit" name="action" '
        f'value="delete-{i}" class="danger" aria-label="Delete card {n}">Delete</button></div>'
        "</fieldset></li>"
    )


def _query(view: str) -> str:
    """A query for a link: `?` and the encoded options, escaped for an HTML attribute."""
    return f"?{_e(view)}" if view else ""


def message_page(title: str, text: str) -> str:
    return f'<main id="main" class="message"><h1>{_e(title)}</h1><p>{_e(text)}</p><p><a href="/">All decks</a></p></main>'
