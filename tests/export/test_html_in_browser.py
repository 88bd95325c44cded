"""The exported HTML page in a real browser: Debian's chromium driven through its chromedriver.

The driver is the one the system package installs, given by its path: nothing is
downloaded. Where chromium or its driver cannot be installed, these tests say so and skip.
"""

from __future__ import annotations

import base64
import io
import itertools
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SEED_DECK

DRIVER = "/usr/bin/chromedriver"
BROWSERS = ("/usr/bin/chromium", "/usr/bin/chromium-browser")

pytestmark = pytest.mark.xdist_group("chromium")


def _browser() -> str | None:
    return next((b for b in BROWSERS if Path(b).exists()), shutil.which("chromium"))


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    binary = _browser()
    if binary is None or not Path(DRIVER).exists():
        pytest.skip(
            "chromium and chromium-driver are not installed "
            "(apt-get install chromium chromium-driver; .ci/run does it)"
        )
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium')}",
        "--window-size=1200,800",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=DRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("html") / "talk.html"
    from prexterm.cli import main

    assert main(["export", str(SEED_DECK), "-o", str(out), "--notes"]) == 0
    return out


def visible(driver: Any) -> list[str]:
    return list(
        driver.execute_script(
            "return Array.from(document.querySelectorAll('section.page'))"
            ".filter(function (s) { return s.offsetParent !== null; })"
            ".map(function (s) { return s.getAttribute('data-slide'); });"
        )
    )


def test_a_key_moves_to_slide_two_and_the_address_follows(browser: Any, page: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(page.as_uri())
    assert visible(browser) == ["1"]
    body = browser.find_element(By.TAG_NAME, "body")
    shown = body.find_element(By.CSS_SELECTOR, "section.page:not([hidden]) pre").text
    assert "For about a year now, some co-ops" in shown
    body.send_keys(Keys.ARROW_RIGHT)
    WebDriverWait(browser, 5).until(lambda d: visible(d) == ["2"])
    assert browser.current_url.endswith("#2")
    shown = body.find_element(By.CSS_SELECTOR, "section.page:not([hidden]) pre").text
    assert "Made with Prexent | 2/40" in shown
    body.send_keys(Keys.END)
    WebDriverWait(browser, 5).until(lambda d: visible(d) == ["40"])
    body.send_keys("k")
    WebDriverWait(browser, 5).until(lambda d: visible(d) == ["39"])
    body.send_keys(Keys.HOME)
    WebDriverWait(browser, 5).until(lambda d: visible(d) == ["1"])
    body.send_keys("1", "2", Keys.ENTER)
    WebDriverWait(browser, 5).until(lambda d: visible(d) == ["12"])


def test_a_link_with_a_slide_number_opens_that_slide(browser: Any, page: Path) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(page.as_uri() + "#17")
    WebDriverWait(browser, 5).until(lambda d: visible(d) == ["17"])
    assert "17/40" in browser.execute_script(
        "return document.querySelector('section.page:not([hidden])').innerText;"
    )


def test_a_click_on_the_right_half_goes_on_and_s_shows_the_notes(browser: Any, page: Path) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(page.as_uri() + "#1")
    WebDriverWait(browser, 5).until(lambda d: visible(d) == ["1"])
    body = browser.find_element(By.TAG_NAME, "body")
    width = browser.execute_script("return window.innerWidth;")
    ActionChains(browser).move_to_element_with_offset(body, width // 4, 0).click().perform()
    WebDriverWait(browser, 5).until(lambda d: visible(d) == ["2"])
    browser.get(page.as_uri() + "#1")
    WebDriverWait(browser, 5).until(lambda d: visible(d) == ["1"])
    note = browser.find_element(By.CSS_SELECTOR, "section.page:not([hidden]) .notes")
    assert not note.is_displayed()
    browser.find_element(By.TAG_NAME, "body").send_keys("s")
    WebDriverWait(browser, 5).until(lambda d: note.is_displayed())
    assert "Building relationships based on trust" in note.text


def test_printing_gives_one_slide_per_page(browser: Any, page: Path) -> None:
    from pypdf import PdfReader
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(page.as_uri())
    WebDriverWait(browser, 10).until(
        lambda d: (
            d.execute_script(
                "return document.readyState === 'complete'"
                " && document.querySelectorAll('section.page').length;"
            )
            == 40
        )
    )
    printed = browser.execute_cdp_cmd("Page.printToPDF", {"printBackground": True})
    reader = PdfReader(io.BytesIO(base64.b64decode(printed["data"])))
    assert len(reader.pages) == 40
    assert "1/40" in reader.pages[0].extract_text()
    assert "40/40" in reader.pages[39].extract_text()


WIDE_DECK = """\
# 中文 wide

| 名字 | 数量 |
|------|------|
| 苹果 | 3 |
| 香蕉 | 12 |

Party 🎉 done
"""

_BARS = """
var pre = document.querySelector('section.page:not([hidden]) pre');
var walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
var found = [], node;
while ((node = walker.nextNode())) {
  for (var i = 0; i < node.data.length; i++) {
    if ('│┬┼┴╭╮╰╯├┤'.indexOf(node.data[i]) >= 0) {
      var range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      var box = range.getBoundingClientRect();
      found.push([node.data[i], box.left, box.top]);
    }
  }
}
return found;
"""


def test_wide_letters_take_two_cells_so_the_table_lines_up(browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    from prexterm.cli import main

    deck = tmp_path / "wide.md"
    deck.write_text(WIDE_DECK, encoding="utf-8")
    out = tmp_path / "wide.html"
    assert main(["export", str(deck), "-o", str(out), "--size", "60x16"]) == 0
    browser.get(out.as_uri())
    WebDriverWait(browser, 5).until(lambda d: visible(d) == ["1"])
    bars: list[tuple[str, float, float]] = browser.execute_script(_BARS)
    rows: dict[float, list[float]] = {}
    for _, left, top in bars:
        rows.setdefault(round(top, 1), []).append(left)
    # The table's six rows, every one with its three bars or corners at the same places.
    assert len(rows) == 6, rows
    assert all(len(lefts) == 3 for lefts in rows.values()), rows
    for column in zip(*rows.values(), strict=True):
        assert max(column) - min(column) < 0.5, rows
    # The rows are evenly spaced: a wide letter's box makes no row taller.
    tops = sorted(rows)
    gaps = {round(b - a, 1) for a, b in itertools.pairwise(tops)}
    assert max(gaps) - min(gaps) <= 0.2, gaps
    text = browser.execute_script(
        "return document.querySelector('section.page:not([hidden]) pre').innerText;"
    )
    assert "│ 名字 │ 数量 │" in text and "Party 🎉 done" in text
    from prexterm.export.fonts import Fallbacks

    if Fallbacks().face_for("名") is not None:
        # The letters come from a font inside the page, not from the reader's machine.
        assert "'prexterm fallback 1'" in out.read_text(encoding="utf-8")
        WebDriverWait(browser, 5).until(
            lambda d: (
                d.execute_script(
                    "return Array.from(document.fonts).filter(function (f) {"
                    "  return f.family.indexOf('prexterm fallback') >= 0 && f.status === 'loaded';"
                    "}).length;"
                )
                >= 1
            )
        )
