"""`printkit serve` over plain HTTP: what a teacher sees, and what another website cannot do."""

from __future__ import annotations

import contextlib
import html
import http.client
import os
import re
import shutil
import socket
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner
from conftest import REPO
from serve_helpers import start_live

from printkit.cli import main
from printkit.deck import load_deck


@pytest.fixture
def live(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    root = tmp_path / "class"
    root.mkdir()
    monkeypatch.chdir(root)  # messages name files from the workspace, as build does
    server, finish = start_live(root, tmp_path / "cache")
    yield server
    finish()


def hidden_fields(page: str) -> dict[str, str]:
    """Every named field of the editor form with its value, as a browser would send them."""
    fields = {}
    for name, value in re.findall(
        r'<input(?! type="checkbox")[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page
    ):
        fields[name] = html.unescape(value)
    for name, text in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)</textarea>', page):
        fields[name] = html.unescape(text)
    for name in re.findall(r'<input type="checkbox"[^>]*name="([^"]+)" value="1" checked', page):
        fields[name] = "1"
    return fields


def test_the_first_page_names_every_deck_with_its_card_count(live):
    (live.root / "decks" / "empty.yaml").write_text("title: Nothing yet\ncards: []\n")
    status, headers, page = live.request("GET", "/")
    assert status == 200
    assert "The water cycle" in page and "decks/example.yaml · 5 cards" in page
    assert "decks/empty.yaml" in page  # a deck with a problem is listed too
    # Nothing from the internet, no inline script: the page works offline and under its CSP.
    assert not re.search(r'(src|href)="(https?:)?//', page)
    assert "<script>" not in page
    assert "default-src 'self'" in headers["Content-Security-Policy"]


def test_a_typo_shows_with_file_and_line_in_builds_words_and_the_last_good_pages_stay(live):
    deck = live.root / "decks" / "example.yaml"
    status, _, before = live.request("GET", "/deck/example")
    assert status == 200 and "/page/" in before
    deck.write_text(deck.read_text().replace("    answer: The sun.", "    anwser: The sun."))
    live.server.deck_changed("example")

    build = CliRunner().invoke(main, ["build", "--out", "built"])
    errors = [line.removeprefix("Error: ") for line in build.output.splitlines() if "Error" in line]
    assert errors and errors[0].startswith("decks/example.yaml:")  # build's own words
    _, _, page = live.request("GET", "/deck/example")
    assert errors[0].replace("'", "&#x27;") in page
    assert "last good preview" in page.lower()
    assert '<option value="">a4 (default)</option>' in page  # the switches still say their values
    assert re.search(r'<img src="/page/\w+/1.png"', page)  # the pages are still shown
    _, _, home = live.request("GET", "/")
    assert "1 problem" in home and "decks/example.yaml:" in home


def test_pages_are_pictures_at_print_size_with_fronts_beside_backs(live):
    _, _, page = live.request("GET", "/deck/example")
    flashcards = page.split('id="l-flashcards"')[1].split("</section>")[0]
    sheet = re.search(r'<div class="sheet pair">(.*?)</div>', flashcards).group(1)
    images = re.findall(r'<img src="([^"]+)" width="(\d+)" height="(\d+)" alt="([^"]+)"', sheet)
    assert [alt.split(" (")[0] for *_, alt in images] == [
        "Flashcards, sheet 1, fronts",
        "Flashcards, sheet 1, backs",
    ]
    # A4 is 210 × 297 mm; CSS has 96 px to the inch.
    assert {(w, h) for _, w, h, _ in images} == {("794", "1123")}
    status, headers, png = live.request("GET", images[0][0])
    assert status == 200 and headers["Content-Type"] == "image/png" and png[:4] == b"\x89PNG"
    pdf_url = re.search(r'href="(/pdf/[^"?]+)\?download=1"', flashcards).group(1)
    status, headers, pdf = live.request("GET", pdf_url + "?download=1")
    assert status == 200 and pdf.startswith(b"%PDF")
    assert headers["Content-Disposition"] == (
        "attachment; filename=\"example-flashcards.pdf\"; filename*=UTF-8''example-flashcards.pdf"
    )
    assert "Evaporation" in page or "evaporation" in page  # the page's text, for screen readers


def test_manual_duplex_pairs_each_front_page_with_its_back_page_from_the_second_half(live):
    deck = live.root / "decks" / "example.yaml"
    more = "".join(f"  - question: Extra {n}?\n    answer: Yes {n}.\n" for n in (6, 7))
    deck.write_text(
        deck.read_text().replace("cards:\n", "options:\n  duplex: manual\ncards:\n") + more
    )
    _, _, page = live.request("GET", "/deck/example")
    assert '<option value="">manual (deck)</option>' in page
    assert '<option value="">long (default)</option>' in page
    flashcards = page.split('id="l-flashcards"')[1].split("</section>")[0]
    sheets = re.findall(r'<div class="sheet pair">(.*?)</div>', flashcards)
    pages = [re.findall(r'<img src="/page/\w+/(\d+).png"', sheet) for sheet in sheets]
    # 7 cards: the printing instructions, 2 sheets of fronts, then their 2 sheets of backs.
    assert pages == [["2", "4"], ["3", "5"]]
    assert re.search(
        r'<div class="sheet"><figure class="page"><img src="/page/\w+/1.png"', flashcards
    )


def test_switches_rebuild_and_show_the_same_build_command(live):
    _, _, page = live.request("GET", "/deck/example?paper=letter&flip=short&layout=flashcards")
    assert (
        "printkit build decks/example.yaml --paper letter --flip short --layout flashcards" in page
    )
    assert 'id="l-summary"' not in page
    assert re.search(r'width="816" height="1056"', page)  # Letter: 8.5 × 11 in
    _, _, wrong = live.request("GET", "/deck/example?set=pagez%3D2")
    assert "--set pagez=2: no layout has an option &#x27;pagez&#x27;" in wrong
    # A font is a file: the page reads none outside the workspace.
    _, _, font = live.request("GET", "/deck/example?set=font%3D..%2Fa.ttf")
    assert "--set font=../a.ttf: the page only uses files inside the workspace" in font


def test_actual_size_gives_each_page_its_print_size_and_fit_leaves_it_to_the_window(live):
    _, _, fit = live.request("GET", "/deck/example?paper=letter")
    _, _, actual = live.request("GET", "/deck/example?paper=letter&size=actual")
    # Each page carries its print size: Letter is 8.5 × 11 in, 96 CSS px to the inch.
    for page in (fit, actual):
        assert re.findall(r'<img src="[^"]+" width="(\d+)" height="(\d+)"', page)[0] == (
            "816",
            "1056",
        )
    assert '<div id="deck-pages">' in fit and 'class="actual-size"' not in fit
    assert '<div id="deck-pages" class="actual-size">' in actual
    # The choice is in the options form, so choosing another option (without a script) keeps it.
    form = actual.split('<form class="switches"')[1].split("</form>")[0]
    assert re.search(
        r'<input type="radio" id="sw-size-actual" name="size" value="actual" checked>', form
    )
    assert '<label for="sw-size-actual">Actual size</label>' in form
    assert re.search(r'id="sw-size-fit" name="size" value="fit" checked>', fit)
    # Only the screen changes: the same PDFs, pictures and command line.
    pictures = re.compile(r'src="(/page/[^"]+)"')
    assert pictures.findall(actual) == pictures.findall(fit)
    assert '<code id="command">printkit build decks/example.yaml --paper letter</code>' in actual
    # The stylesheet lifts the fit-to-window caps only inside the actual-size area, so there the
    # width and height above are the pages' size; fitting caps them at the window's width.
    _, _, css = live.request("GET", "/static/app.css")
    rules = dict(re.findall(r"^([^{}\n]+?)\s*\{([^}]*)\}", css, re.M))
    assert "max-width: 100%" in rules[".page img"]
    lifted = [selector for selector, body in rules.items() if "max-width: none" in body]
    assert any(".actual-size .sheet.pair .page" in selector for selector in lifted)
    assert all(".actual-size" in selector for selector in lifted)


def test_a_decks_own_text_is_shown_as_text_never_as_markup(live):
    deck = live.root / "decks" / "example.yaml"
    deck.write_text(deck.read_text().replace("The water cycle", "<script>alert(1)</script> & co"))
    _, _, page = live.request("GET", "/")
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page


OUTSIDE = [
    "/../../../etc/passwd",
    "/deck/..%2f..%2f..%2fetc%2fpasswd",
    "/deck/%2e%2e/%2e%2e/secret",
    "/deck/%252e%252e%252fsecret",
    "/pdf/..%2F..%2Fsecret/secret.txt",
    "/static/..%2f..%2fcli.py",
    "/static/%2e%2e%5c%2e%2e%5ccli.py",
    "//etc/passwd",
    "/deck/%2Fetc%2Fpasswd",
    "/page/..%2fkept/1.png",
    "/deck/outside",
    "/deck/example/..%2f..%2fsecret",
]


def test_no_path_leads_outside_the_workspace_however_encoded(live):
    (live.root.parent / "secret").write_text("title: secret\ncards: []\nTOP SECRET\n")
    (live.root / "decks" / "outside.yaml").symlink_to(live.root.parent / "secret")
    for path in OUTSIDE:
        status, _, body = live.request("GET", path)
        assert status == 404, path
        assert "TOP SECRET" not in str(body) and "root:" not in str(body), path


def test_a_symlink_out_of_the_workspace_is_not_listed(live):
    (live.root.parent / "other.yaml").write_text(
        "title: Not yours\ncards:\n  - question: q\n    answer: a\n"
    )
    (live.root / "decks" / "other.yaml").symlink_to(live.root.parent / "other.yaml")
    _, _, page = live.request("GET", "/")
    assert "Not yours" not in page and "other.yaml" not in page


def edit_form(live) -> dict[str, str]:
    status, _, page = live.request("GET", "/deck/example/edit")
    assert status == 200
    return hidden_fields(page)


def test_the_skip_link_names_what_it_skips_to_on_every_page(live):
    for path in ("/", "/deck/example", "/deck/example/edit"):
        page = live.request("GET", path)[2]
        # The first link, for keyboard and screen-reader users: the editor has no preview.
        assert re.search(r'<a class="skip" href="#main">([^<]*)</a>', page).group(1) == (
            "Skip to the main content"
        )


def test_a_change_without_the_pages_token_is_refused(live):
    deck = live.root / "decks" / "example.yaml"
    before = deck.read_bytes()
    fields = {**edit_form(live), "q-0": "Hacked?", "action": "save"}
    for changed, headers in [
        ({**fields, "token": ""}, {}),
        ({k: v for k, v in fields.items() if k != "token"}, {}),
        ({**fields, "token": "guess"}, {}),
        (fields, {"Origin": "http://evil.example"}),
        (fields, {"Sec-Fetch-Site": "cross-site"}),
    ]:
        status, _, _ = live.request("POST", "/deck/example/edit", changed, headers)
        assert status == 403
    # DNS rebinding: another name for 127.0.0.1 is not answered at all.
    status, _, _ = live.request("GET", "/", headers={"Host": "evil.example"})
    assert status == 421
    status, _, _ = live.request("POST", "/deck/example/edit", fields, {"Host": "evil.example"})
    assert status == 421
    assert deck.read_bytes() == before


def test_another_website_cannot_make_the_server_build_but_a_link_from_it_opens(live):
    def built() -> int:
        return len(list((live.workspace.cache).rglob("*.pdf")))

    live.request("GET", "/deck/example")
    before = built()
    elsewhere = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors"}
    for site in ("cross-site", "same-site"):  # same-site: another server on this computer
        status, _, _ = live.request(
            "GET", "/deck/example?paper=letter", headers={**elsewhere, "Sec-Fetch-Site": site}
        )
        assert status == 403
    assert built() == before  # nothing was built for them
    link = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate"}
    status, _, page = live.request("GET", "/deck/example", headers=link)
    assert status == 200 and "The water cycle" in page


def test_open_to_the_network_it_still_refuses_another_websites_domain_name(tmp_path, monkeypatch):
    root = tmp_path / "class"
    root.mkdir()
    monkeypatch.chdir(root)
    live, finish = start_live(root, tmp_path / "cache", host="0.0.0.0")
    try:
        for host, status in [
            ("evil.example", 421),  # DNS rebinding: the page would read the edit token
            ("127.0.0.1", 200),
            ("192.168.1.20", 200),  # how the other computers on the network reach it
            (socket.gethostname(), 200),
        ]:
            answer = live.request("GET", "/", headers={"Host": f"{host}:{live.port}"})
            assert answer[0] == status, host
    finally:
        finish()


def test_serve_for_the_network_warns_that_other_computers_can_edit(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "decks").mkdir()
    with socket.socket() as busy:  # the port is taken, so serve stops right after the warning
        busy.bind(("0.0.0.0", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        result = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0", "--port", port])
    assert result.exit_code == 1
    assert (
        "Warning: listening on 0.0.0.0: other computers on the network can see and edit these "
        "decks; use it only on a network you trust\n"
    ) in result.output


def test_the_editor_keeps_comments_and_key_order(live):
    deck = live.root / "decks" / "example.yaml"
    text = deck.read_text().replace(
        "    answer: The sun.", "    answer: The sun.  # keep me\n    tags: [energy]\n    lines: 3"
    )
    deck.write_text(text)
    fields = edit_form(live)
    fields.update({"a-0": "Liquid water becoming vapour.", "subject": "Geography 7B"})
    fields.update({"action": "save"})
    status, headers, _ = live.request("POST", "/deck/example/edit", fields)
    assert status == 303 and headers["Location"] == "/deck/example?saved=1"
    new = deck.read_text()
    assert new.splitlines()[:2] == text.splitlines()[:2]  # the comment lines at the top
    assert "    answer: The sun.  # keep me\n    tags: [energy]\n    lines: 3\n" in new
    assert "subject: Geography 7B\n" in new
    loaded = load_deck(Path("decks/example.yaml"))
    assert loaded.cards[0].answer == ("Liquid water becoming vapour.",)
    assert loaded.cards[4].lines == 3
    _, _, page = live.request("GET", "/deck/example?saved=1")
    assert "Saved" in page and "Liquid water becoming vapour." in page  # the preview follows


def test_editing_cards_keeps_the_print_options_chosen_on_the_deck_page(live):
    chosen = "/deck/example?paper=letter&stock=a7&set=font_size%3D12&size=actual&junk=%3Cb%3E"
    _, _, page = live.request("GET", chosen)
    kept = "paper=letter&amp;stock=a7&amp;set=font_size%3D12&amp;size=actual"
    # Only the options travel; whatever else the address held stays behind.
    assert f'href="/deck/example/edit?{kept}"' in page
    assert "junk" not in page.split("deck-problems")[0]
    status, _, editor = live.request("GET", f"/deck/example/edit?{html.unescape(kept)}")
    assert status == 200
    assert f'href="/deck/example?{kept}">Back to the preview</a>' in editor
    fields = hidden_fields(editor)
    assert fields["view"] == html.unescape(kept)

    _, _, added = live.request("POST", "/deck/example/edit", {**fields, "action": "add"})
    assert f'href="/deck/example?{kept}">Back to the preview</a>' in added
    assert hidden_fields(added)["view"] == html.unescape(kept)
    fields = {**fields, "a-0": "Vapour.", "action": "save"}
    status, headers, _ = live.request("POST", "/deck/example/edit", fields)
    assert status == 303
    assert headers["Location"] == f"/deck/example?{html.unescape(kept)}&saved=1"
    _, _, back = live.request("GET", headers["Location"])
    assert "Saved" in back and 'value="letter" selected' in back

    # A view field that tries to smuggle something in gives only what it may.
    fresh = hidden_fields(live.request("GET", "/deck/example/edit")[2])
    fields = {**fresh, "view": "paper=a4&evil=%3Cscript%3E", "action": "save"}
    status, headers, _ = live.request("POST", "/deck/example/edit", fields)
    assert headers["Location"] == "/deck/example?paper=a4&saved=1"


QUIZ_DECK = """\
title: Food words
cards:
  - question: le gâteau
    answer: cake
    wrong: [biscuit, bread roll]  # the two a class mixes up
    marks: 2
  - question: Describe your breakfast.
    answer: Bread and butter.
    lines: 4
  - cloze: "Je mange une {{pomme}}."
"""


def test_the_editor_shows_and_saves_wrong_choices_lines_and_marks(live):
    deck = live.root / "decks" / "food.yaml"
    deck.write_text(QUIZ_DECK)
    _, _, page = live.request("GET", "/deck/food/edit")
    fields = hidden_fields(page)
    assert (fields["wrong-0"], fields["marks-0"], fields["lines-0"]) == (
        "biscuit\nbread roll",
        "2",
        "",
    )
    assert (fields["wrong-1"], fields["marks-1"], fields["lines-1"]) == ("", "", "4")
    assert "wrong-2" not in fields  # a cloze card's choices are its gaps
    assert page.count('<details class="more" open>') == 2  # the cards that use them

    fields.update({"wrong-0": "biscuit\r\ncroissant\r\n", "marks-0": "3", "lines-1": ""})
    fields.update({"wrong-1": "Cereal.", "lines-2": "2", "action": "save"})
    status, _, _ = live.request("POST", "/deck/food/edit", fields)
    assert status == 303
    assert deck.read_text() == (
        "title: Food words\n"
        "cards:\n"
        "  - question: le gâteau\n"
        "    answer: cake\n"
        "    wrong: [biscuit, croissant]   # the two a class mixes up\n"
        "    marks: 3\n"
        "  - question: Describe your breakfast.\n"
        "    answer: Bread and butter.\n"
        "    wrong: [Cereal.]\n"
        '  - cloze: "Je mange une {{pomme}}."\n'
        "    lines: 2\n"
    )
    loaded = load_deck(Path("decks/food.yaml"))
    assert [(c.wrong, c.marks, c.lines) for c in loaded.cards] == [
        (("biscuit", "croissant"), 3, None),
        (("Cereal.",), None, None),
        ((), None, 2),
    ]

    # A number the loader refuses is said as build says it, and nothing is saved.
    fields = {**hidden_fields(live.request("GET", "/deck/food/edit")[2]), "marks-0": "lots"}
    status, _, page = live.request("POST", "/deck/food/edit", {**fields, "action": "save"})
    assert status == 422
    assert "decks/food.yaml:6: " in html.unescape(page) and "marks" in page
    assert "    marks: 3\n" in deck.read_text()


def test_saving_keeps_a_linked_deck_a_link_and_a_private_deck_private(live):
    shared = live.root / "shared"
    shared.mkdir()
    (live.root / "decks" / "example.yaml").rename(shared / "water.yaml")
    (live.root / "decks" / "water.yaml").symlink_to("../shared/water.yaml")
    (shared / "water.yaml").chmod(0o600)
    fields = {**hidden_fields(live.request("GET", "/deck/water/edit")[2]), "a-0": "Vapour."}
    status, _, _ = live.request("POST", "/deck/water/edit", {**fields, "action": "save"})
    assert status == 303
    assert (live.root / "decks" / "water.yaml").is_symlink()
    assert "answer: Vapour.\n" in (shared / "water.yaml").read_text()
    assert (shared / "water.yaml").stat().st_mode & 0o777 == 0o600


def test_a_private_deck_is_never_readable_by_others_even_while_it_is_saved(live, monkeypatch):
    deck = live.root / "decks" / "example.yaml"
    deck.chmod(0o600)
    modes = []
    replace = os.replace

    def watched_replace(source, target):  # the new deck file, as it takes the old one's place
        if Path(target) == deck:
            modes.append(os.stat(source).st_mode & 0o777)
        replace(source, target)

    monkeypatch.setattr(os, "replace", watched_replace)
    fields = {**hidden_fields(live.request("GET", "/deck/example/edit")[2]), "a-0": "Vapour."}
    status, _, _ = live.request("POST", "/deck/example/edit", {**fields, "action": "save"})
    assert status == 303
    assert "answer: Vapour.\n" in deck.read_text()
    assert modes == [0o600]


@pytest.mark.parametrize(
    "source", [REPO / "tests" / "data" / "good-deck.yaml", REPO / "decks" / "science-basics.yaml"]
)
def test_saving_an_unchanged_form_gives_back_the_same_file(live, source):
    deck = live.root / "decks" / source.name
    shutil.copy(source, deck)
    for picture in (REPO / "decks" / "pictures").glob("*"):
        (live.root / "decks" / "pictures").mkdir(exist_ok=True)
        shutil.copy(picture, live.root / "decks" / "pictures")
    _, _, page = live.request("GET", f"/deck/{deck.stem}/edit")
    status, _, _ = live.request(
        "POST", f"/deck/{deck.stem}/edit", {**hidden_fields(page), "action": "save"}
    )
    assert status == 303
    assert deck.read_bytes() == source.read_bytes()


def test_a_deck_named_in_any_language_is_shown_edited_and_downloaded(live):
    (live.root / "decks" / "example.yaml").rename(live.root / "decks" / "Глаголы ü.yaml")
    _, _, home = live.request("GET", "/")
    url = "/deck/" + quote("Глаголы ü")
    assert f'href="{url}"' in home
    _, _, page = live.request("GET", url + "/edit")
    status, headers, _ = live.request(
        "POST", url + "/edit", {**hidden_fields(page), "action": "save"}
    )
    assert status == 303 and headers["Location"] == url + "?saved=1"
    _, _, page = live.request("GET", url)
    pdf = re.search(r'href="(/pdf/[^"?]+)\?download=1"', page).group(1)
    status, headers, _ = live.request("GET", pdf + "?download=1")
    assert status == 200
    assert headers["Content-Disposition"].startswith('attachment; filename="-flashcards.pdf"; ')
    assert headers["Content-Disposition"].endswith(quote("Глаголы ü-flashcards.pdf"))


def test_a_deck_with_a_backslash_in_its_file_name_opens_from_the_list(live):
    (live.root / "decks" / "example.yaml").rename(live.root / "decks" / "maths\\physics.yaml")
    _, _, home = live.request("GET", "/")
    link = re.search(r'href="(/deck/maths[^"]*)"', home).group(1)
    status, _, page = live.request("GET", link)
    assert status == 200 and "The water cycle" in page


def test_a_deck_begun_with_an_empty_cards_line_gets_its_first_card_in_the_form(live):
    deck = live.root / "decks" / "birds.yaml"
    deck.write_text("# Birds for Friday\ntitle: Birds\ncards:\n")
    _, _, page = live.request("GET", "/deck/birds/edit")
    _, _, page = live.request("POST", "/deck/birds/edit", {**hidden_fields(page), "action": "add"})
    fields = {**hidden_fields(page), "q-0": "What is a robin?", "a-0": "A bird.", "action": "save"}
    status, _, _ = live.request("POST", "/deck/birds/edit", fields)
    assert status == 303
    assert deck.read_text() == (
        "# Birds for Friday\ntitle: Birds\ncards:\n  - question: What is a robin?\n    answer: A bird.\n"
    )


def test_cards_are_added_moved_and_deleted_in_the_form_then_saved(live):
    fields = edit_form(live)
    _, _, page = live.request("POST", "/deck/example/edit", {**fields, "action": "down-0"})
    assert "Not saved yet" in page
    fields = hidden_fields(page)
    _, _, page = live.request("POST", "/deck/example/edit", {**fields, "action": "delete-4"})
    _, _, page = live.request(
        "POST", "/deck/example/edit", {**hidden_fields(page), "action": "add"}
    )
    fields = hidden_fields(page)
    assert fields["count"] == "5" and fields["q-4"] == ""
    assert "Card 5 added at the end." in page
    assert re.search(r'<textarea id="q-4"[^>]*autofocus', page)  # the cursor is in the new card
    fields.update({"q-4": "What is a cloud?", "a-4": "tiny drops\nin the air", "list-4": "1"})
    status, _, _ = live.request("POST", "/deck/example/edit", {**fields, "action": "save"})
    assert status == 303
    cards = load_deck(Path("decks/example.yaml")).cards
    assert [c.question for c in cards] == [
        "What is condensation?",
        "What is evaporation?",
        "Name four kinds of precipitation",
        "What happens to rain that soaks into the ground?",
        "What is a cloud?",
    ]
    assert cards[4].answer == ("tiny drops", "in the air") and cards[4].is_list


def test_a_text_with_unicode_line_separators_is_saved_so_the_editor_opens_it_again(live):
    for answer in ("two\nlines", "pasted\u2028from a PDF\r\nand\u2029more"):
        fields = {**edit_form(live), "a-0": answer, "action": "save"}
        assert live.request("POST", "/deck/example/edit", fields)[0] == 303
    assert edit_form(live)["a-0"] == "pasted\nfrom a PDF\nand\nmore"


def test_the_comment_lines_above_a_card_move_with_it_and_none_is_lost(live):
    deck = live.root / "decks" / "example.yaml"
    deck.write_text(
        "title: T\ncards:\n  # Unit 1\n  - question: A\n    answer: a  # short\n"
        "  # about B\n  - question: B\n    answer:\n      - b1  # first\n      - b2\n"
        "  # about C\n  - question: C\n    answer: c\n# the end\n"
    )
    fields = edit_form(live)
    # C moved to the top, A deleted, a new card added at the end.
    fields.update({"count": "3", "action": "save", "src-0": "2", "q-0": "C", "a-0": "c"})
    fields.update({"src-1": "1", "q-1": "B", "a-1": "b1\nb2", "list-1": "1"})
    fields.update({"src-2": "", "q-2": "New", "a-2": "n"})
    assert live.request("POST", "/deck/example/edit", fields)[0] == 303
    assert deck.read_text() == (
        "title: T\ncards:\n  # Unit 1\n  # about C\n  - question: C\n    answer: c\n"
        "  # about B\n  - question: B\n    answer:\n      - b1  # first\n      - b2\n"
        "  - question: New\n    answer: n\n# the end\n"
    )


def test_comments_near_flow_style_cards_keep_their_indentation_when_cards_move(live):
    deck = live.root / "decks" / "example.yaml"
    deck.write_text(
        "title: Mixed\ncards:\n"
        "  - {question: le pain, answer: bread}  # easy\n"
        "  - {question: le lait, answer: milk}\n"
        "  # a longer one\n"
        "  - question: le gâteau\n    answer: cake  # tasty\n"
        "  - {question: l'eau, answer: water}\n"
        "  # about d\n"
        "  - question: d\n    answer: D\n"
    )
    original = edit_form(live)
    fields = {**original, "action": "save"}
    for new, old in enumerate(range(4, -1, -1)):  # every card the other way round
        for name in ("src", "q", "a"):
            fields[f"{name}-{new}"] = original[f"{name}-{old}"]
    assert live.request("POST", "/deck/example/edit", fields)[0] == 303
    assert deck.read_text() == (
        "title: Mixed\ncards:\n"
        "  # about d\n"
        "  - question: d\n    answer: D\n"
        "  - {question: l'eau, answer: water}\n"
        "  # a longer one\n"
        "  - question: le gâteau\n    answer: cake  # tasty\n"
        "  - {question: le lait, answer: milk}\n"
        "  - {question: le pain, answer: bread}  # easy\n"
    )


def test_an_edit_that_would_not_load_is_refused_and_the_file_is_untouched(live):
    deck = live.root / "decks" / "example.yaml"
    before = deck.read_bytes()
    fields = {**edit_form(live), "q-1": "  ", "action": "save"}
    status, _, page = live.request("POST", "/deck/example/edit", fields)
    assert status == 422
    assert re.search(r"decks/example.yaml:\d+: the question of card 2 is blank", page)
    assert deck.read_bytes() == before
    # A file changed on disk meanwhile is not overwritten with the older form either.
    deck.write_text(before.decode() + "\n")
    fields = {**fields, "q-1": "Still here?"}
    status, _, page = live.request("POST", "/deck/example/edit", fields)
    assert status == 422 and "changed on disk" in page
    assert deck.read_bytes() == before + b"\n"


def test_a_saved_deck_is_rebuilt_and_announced_within_two_seconds(tmp_path, monkeypatch):
    root = tmp_path / "class"
    root.mkdir()
    monkeypatch.chdir(root)
    live, finish = start_live(root, tmp_path / "cache", watch=True)
    try:
        connection = http.client.HTTPConnection("127.0.0.1", live.port, timeout=5)
        connection.request("GET", "/events")
        events = connection.getresponse()
        assert events.headers["Content-Type"] == "text/event-stream"
        assert events.readline() == b"retry: 1000\n"
        deck = root / "decks" / "example.yaml"
        saved = time.monotonic()
        deck.write_text(deck.read_text().replace("The sun.", "The Sun, mostly."))
        lines = []
        while not any(line.startswith(b"data:") for line in lines):
            lines.append(events.readline())
        took = time.monotonic() - saved
        assert b"event: rebuilt\n" in lines and b'data: {"deck": "example"}\n' in lines
        assert took < 2, f"the rebuild was announced {took:.1f} s after the save"
        _, _, page = live.request("GET", "/deck/example")
        assert "The Sun, mostly." in page  # in the new flashcards' text
        deck.unlink()  # a deck that is deleted is announced too, and leaves the list
        lines = []
        while not any(line.startswith(b"data:") for line in lines):
            lines.append(events.readline())
        assert b'data: {"deck": "example"}\n' in lines
        assert live.request("GET", "/deck/example")[0] == 404
        connection.close()
    finally:
        finish()


def test_a_workspace_layout_that_cannot_load_is_named_and_the_others_still_show(live):
    (live.root / "layouts" / "broken.py").write_text("raise ValueError('oops')\n")
    _, _, page = live.request("GET", "/deck/example")
    assert "layouts/broken.py:1: this layout failed to load: ValueError: oops" in page
    assert 'id="l-flashcards"' in page and "problem" not in page.split('id="deck-problems"')[1][:60]


def test_a_font_outside_the_workspace_is_never_opened_not_even_to_check_it(live, monkeypatch):
    # Another website can make the browser load /deck/...?set=font=... as a picture; reading
    # a pipe (or /dev/stdin) would stop every build of the server for good.
    home = live.root.parent / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    os.mkfifo(home / "pipe.ttf")
    try:
        for named in (home / "pipe.ttf", "~/pipe.ttf"):
            query = "?set=" + quote(f"font={named}")
            status, _, page = live.request("GET", "/deck/example" + query, timeout=3)
            assert status == 200
            assert f"--set font={named}: the page only uses files inside the workspace" in page
    finally:
        with contextlib.suppress(OSError):  # let a reader that got stuck go
            os.close(os.open(home / "pipe.ttf", os.O_WRONLY | os.O_NONBLOCK))


@pytest.mark.parametrize("number", ["²", "9" * 5000])
def test_a_page_or_card_number_that_is_not_plain_digits_is_answered_not_a_traceback(live, number):
    _, _, page = live.request("GET", "/deck/example")
    picture = re.search(r'<img src="/page/(\w+)/1.png"', page).group(1)
    assert live.request("GET", f"/page/{picture}/{quote(number)}.png")[0] == 404
    fields = {**edit_form(live), "src-0": number, "action": f"delete-{number}"}
    status, _, page = live.request("POST", "/deck/example/edit", fields)
    assert status == 200 and "Cards (5)" in page  # nothing deleted, the form shown again


def test_a_deck_saved_in_a_text_editor_while_the_form_is_being_saved_is_not_overwritten(
    live, monkeypatch
):
    import printkit.serve.editor as editor

    deck = live.root / "decks" / "example.yaml"
    theirs = deck.read_text().replace("The sun.", "The Sun, saved in a text editor.")
    check = editor.parse_deck

    def saved_meanwhile(text, path):  # the author saves while the form's text is being made
        deck.write_text(theirs)
        return check(text, path)

    monkeypatch.setattr(editor, "parse_deck", saved_meanwhile)
    fields = {**edit_form(live), "q-0": "From the form?", "action": "save"}
    status, _, page = live.request("POST", "/deck/example/edit", fields)
    assert status == 422 and "changed on disk" in page
    assert deck.read_text() == theirs


def test_a_client_that_stops_sending_is_let_go_without_a_traceback(live, monkeypatch, capsys):
    from printkit.serve.server import Handler

    assert Handler.timeout is not None and Handler.timeout <= 60  # never held for good
    monkeypatch.setattr(Handler, "timeout", 0.2)  # the same, sooner
    host = f"Host: 127.0.0.1:{live.port}\r\n"
    for begun in (
        f"GET / HTTP/1.1\r\n{host}",  # headers that never end
        f"POST /deck/example/edit HTTP/1.1\r\n{host}Content-Length: 100\r\n\r\ntoken=",
    ):
        with socket.create_connection(("127.0.0.1", live.port), timeout=3) as client:
            client.sendall(begun.encode())
            assert client.recv(1000) == b""  # closed by the server, well before 3 s
    assert "Traceback" not in capsys.readouterr().err
