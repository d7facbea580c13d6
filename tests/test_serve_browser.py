"""`printkit serve` in a real browser: Debian's chromium, driven by selenium through
chromium-driver (.ci/run installs both). Skipped, saying why, where they are missing."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from serve_helpers import start_live

from printkit.deck import load_deck

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver") or shutil.which("chromium-driver")
webdriver = pytest.importorskip(
    "selenium.webdriver", reason="selenium is not installed (pip install -e '.[test]')"
)
if not (CHROMIUM and DRIVER):
    pytest.skip(
        "chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)",
        allow_module_level=True,
    )

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,900"):
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(DRIVER))
    yield driver
    driver.quit()


@pytest.fixture
def live(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    root = tmp_path / "class"
    root.mkdir()
    monkeypatch.chdir(root)
    server, finish = start_live(root, tmp_path / "cache", watch=True)
    yield server
    finish()


def flashcard_pictures(browser) -> list[str]:
    # In one script, so a page being swapped in meanwhile cannot leave a stale element.
    return browser.execute_script(
        "return [...document.querySelectorAll(\"section[aria-labelledby='l-flashcards'] img\")]"
        ".map(img => img.src)"
    )


def test_edit_a_card_through_the_form_and_see_the_preview_change(browser, live):
    browser.get(f"{live.url}/deck/example")
    assert browser.find_element(By.TAG_NAME, "h1").text == "The water cycle"
    before = flashcard_pictures(browser)
    first = browser.find_element(By.CSS_SELECTOR, "section[aria-labelledby='l-flashcards'] img")
    WebDriverWait(browser, 5).until(  # the picture of the first sheet loads
        lambda b: b.execute_script("return arguments[0].naturalWidth", first) > 0
    )

    browser.find_element(By.LINK_TEXT, "Edit cards").click()
    answer = browser.find_element(By.ID, "a-0")
    answer.clear()
    answer.send_keys("Water warmed by the sun rising as vapour")
    browser.find_element(By.CSS_SELECTOR, "button[value='save']").click()

    WebDriverWait(browser, 5).until(lambda b: "saved=1" in b.current_url)
    assert "Saved" in browser.find_element(By.CSS_SELECTOR, "p.notice").text
    assert flashcard_pictures(browser) != before  # new pictures of the new PDF
    back = browser.find_elements(By.CSS_SELECTOR, "section[aria-labelledby='l-flashcards'] figure")[
        1
    ]
    assert "Water warmed by the sun rising" in back.get_attribute("textContent")
    assert load_deck(Path("decks/example.yaml")).cards[0].answer == (
        "Water warmed by the sun rising as vapour",
    )
    assert "# An example deck" in Path("decks/example.yaml").read_text()  # comments kept


def test_the_open_page_follows_a_deck_saved_in_another_editor(browser, live):
    browser.get(f"{live.url}/deck/example")
    before = flashcard_pictures(browser)
    WebDriverWait(browser, 5).until(
        lambda b: b.execute_script("return document.readyState") == "complete"
    )
    time.sleep(0.3)  # the page's event stream connects after it has loaded
    deck = live.root / "decks" / "example.yaml"
    saved = time.monotonic()
    deck.write_text(deck.read_text().replace("Geography", "Physical geography"))
    WebDriverWait(browser, 2.5, poll_frequency=0.05).until(
        lambda b: flashcard_pictures(b)[0] != before[0]
    )
    assert time.monotonic() - saved < 2.5
    assert "Updated example" in browser.find_element(By.ID, "status").text


def test_a_print_option_applies_in_place_and_shows_its_command(browser, live):
    from selenium.webdriver.support.ui import Select

    browser.get(f"{live.url}/deck/example")
    browser.execute_script("document.body.dataset.samePage = 'yes'")  # gone if the page reloads
    Select(browser.find_element(By.ID, "sw-paper")).select_by_value("letter")
    command = "return document.getElementById('command').textContent"
    WebDriverWait(browser, 5).until(lambda b: "--paper letter" in b.execute_script(command))
    assert browser.execute_script(command) == "printkit build decks/example.yaml --paper letter"
    first = browser.find_element(By.CSS_SELECTOR, "#deck-pages img")
    assert (first.get_dom_attribute("width"), first.get_dom_attribute("height")) == ("816", "1056")
    assert browser.execute_script("return document.body.dataset.samePage") == "yes"
    assert browser.current_url.endswith("/deck/example?paper=letter")
    # Editing cards and coming back keeps the paper chosen.
    browser.find_element(By.LINK_TEXT, "Edit cards").click()
    WebDriverWait(browser, 5).until(lambda b: "/edit?paper=letter" in b.current_url)
    browser.find_element(By.LINK_TEXT, "Back to the preview").click()
    WebDriverWait(browser, 5).until(lambda b: b.current_url.endswith("/deck/example?paper=letter"))
    selected = Select(browser.find_element(By.ID, "sw-paper")).first_selected_option
    assert selected.get_attribute("value") == "letter"


FIRST_SHEET = """
const sheet = document.querySelector("#deck-pages .sheet.pair");
const [front, back] = sheet.querySelectorAll("img");
const [f, b] = [front.getBoundingClientRect(), back.getBoundingClientRect()];
return {width: f.width, gap: b.left - f.right, top: b.top - f.top, right: b.right,
        window: document.documentElement.clientWidth, page: document.documentElement.scrollWidth,
        sheet: sheet.scrollWidth - sheet.clientWidth};
"""


def test_actual_size_shows_an_a4_page_at_its_print_width_and_fit_keeps_it_in_the_window(
    browser, live
):
    from selenium.webdriver.common.keys import Keys

    browser.get(f"{live.url}/deck/example")
    WebDriverWait(browser, 5).until(
        lambda b: b.execute_script("return document.readyState") == "complete"
    )
    fit = browser.execute_script(FIRST_SHEET)
    # Front and back fit side by side in the 1280 px window: each page scaled down.
    assert fit["right"] <= fit["window"] and fit["width"] < 700 and fit["sheet"] == 0
    assert fit["gap"] > 0 and fit["top"] == 0
    browser.execute_script("document.body.dataset.samePage = 'yes'")

    browser.find_element(By.ID, "sw-size-fit").send_keys(Keys.ARROW_RIGHT)  # keyboard alone
    WebDriverWait(browser, 5).until(lambda b: b.current_url.endswith("/deck/example?size=actual"))
    actual = browser.execute_script(FIRST_SHEET)
    assert abs(actual["width"] - 794) <= 2  # A4 is 210 mm wide: 794 CSS px at 96 to the inch
    # Still side by side, not overlapping: the sheet (1608 px) scrolls sideways, the page does not.
    assert actual["gap"] > 0 and actual["top"] == 0
    assert actual["sheet"] > 0 and actual["page"] <= actual["window"]
    assert browser.execute_script("return document.body.dataset.samePage") == "yes"

    live.server.deck_changed("example")  # a rebuild fetches the page again: still actual size
    WebDriverWait(browser, 5).until(
        lambda b: "Updated example" in b.find_element(By.ID, "status").text
    )
    assert abs(browser.execute_script(FIRST_SHEET)["width"] - 794) <= 2
