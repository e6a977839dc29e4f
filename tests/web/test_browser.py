"""The page in a real browser: headless Chromium driven by Selenium against ``derivcheck
serve``. Each test types what a student would and reads what the page shows; each keeps a
screenshot in ``build/screenshots/`` (``DERIVCHECK_SCREENSHOTS`` names another folder),
which CI keeps as its artefacts.

Skipped, saying why, unless Selenium (pip install selenium) and Debian's ``chromium`` and
``chromium-driver`` (which ``.ci/run`` installs) are there.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest

from tests.web.conftest import REPO

SHOTS = Path(os.environ.get("DERIVCHECK_SCREENSHOTS", REPO / "build" / "screenshots"))
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
#: The flags Chromium needs on these machines: no sandbox as root, and no network of its own.
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage")  # fmt: skip

selenium = pytest.importorskip("selenium", reason="Selenium is not installed: pip install selenium")
if CHROMIUM is None or CHROMEDRIVER is None:
    pytest.skip(
        "Chromium and ChromeDriver are not installed (apt-get install chromium chromium-driver)",
        allow_module_level=True,
    )

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import (  # noqa: E402
    NoAlertPresentException,
    StaleElementReferenceException,
)
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

#: Seconds one thing may take to appear, and all the browser tests together (CI has 15
#: minutes for everything: a browser that hangs fails the rest quickly, not one by one).
WAIT = 30
BUDGET = 300
#: Seconds between two looks at a condition (Selenium's default, half a second, was most of
#: the time these tests took: a test waits for a dozen things one after another).
POLL = 0.02
_deadline = [float("inf")]


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    for flag in FLAGS:
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="derivcheck-chromium-")
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument("--window-size=1280,1600")
    options.binary_location = CHROMIUM
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(WAIT)
    driver.set_script_timeout(WAIT)
    _deadline[0] = time.monotonic() + BUDGET
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def page(browser, live_server):
    """The page, opened fresh, in English, with its words loaded."""

    def open_page(query: str = "") -> webdriver.Chrome:
        browser.get(live_server.url + ("?" + query if query else "?lang=en"))
        wait(browser, lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready"))
        browser.execute_script(WATCH_PREVIEW)
        return browser

    return open_page


def wait(driver, condition, seconds: float = WAIT):
    """``condition(driver)``, once it is true; an element the page redrew meanwhile (the
    preview redraws as you type) is looked for again."""
    ignored = (StaleElementReferenceException,)
    seconds = max(1.0, min(seconds, _deadline[0] - time.monotonic()))
    return WebDriverWait(driver, seconds, POLL, ignored_exceptions=ignored).until(condition)


def shot(driver, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SHOTS / f"{name}.png"))


def showing(selector: str, text: str):
    """A condition: an element matching ``selector`` shows ``text``."""
    return lambda d: any(text in e.text for e in d.find_elements(By.CSS_SELECTOR, selector))


PLOT_LOADED = "const i = document.getElementById('explain-plot'); return i && i.naturalWidth > 0"
#: The page's words: its text without mathematics, code, inputs and the raw sources.
WORDS = """const root = document.body.cloneNode(true);
    const skip = '.katex, svg, pre, code, textarea, input, details, noscript';
    root.querySelectorAll(skip).forEach(n => n.remove());
    return root.innerText;"""


def text_of(driver, selector: str) -> str:
    return wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, selector).text)


def no_script_ran(driver) -> None:
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text  # noqa: B018 - reading it is the check


def problems(driver) -> list[str]:
    """What the browser's console said went wrong: script errors, refused by the
    Content-Security-Policy … (the API's answers to bad input are 4xx by design)."""
    return [e["message"] for e in driver.get_log("browser")
            if e["level"] == "SEVERE" and "/api/" not in e["message"].split(" - ")[0]]  # fmt: skip


#: Keeps, in the page, when the formula was last typed into and when its live preview was
#: last redrawn (the page's own code is left as it is).
WATCH_PREVIEW = """const box = document.getElementById('explain-expr');
    const preview = document.getElementById('explain-preview');
    if (box && preview) {
      window.watched = {typed: 0, redrawn: 0};
      box.addEventListener('input', () => { window.watched.typed = performance.now(); });
      new MutationObserver(() => { window.watched.redrawn = performance.now(); })
        .observe(preview, {childList: true, subtree: true});
    }"""
PREVIEW_CAUGHT_UP = "return window.watched.redrawn > window.watched.typed"


def explain_in(driver, expr: str, at: str) -> None:
    """Types ``expr`` (unless the box holds it already) and ``at``, and clicks Explain once
    the live preview has caught up with the formula: it is redrawn 150 ms after the typing
    stops, and what is below it moves (a click just before, where the button had been,
    landed on another field: no request, and the phone test waited for its answer in vain,
    once in 30 runs)."""
    box = driver.find_element(By.ID, "explain-expr")
    if box.get_attribute("value") != expr:
        box.clear()
        box.send_keys(expr)
    point = driver.find_element(By.ID, "explain-at")
    point.clear()
    point.send_keys(at)
    wait(driver, lambda d: d.execute_script(PREVIEW_CAUGHT_UP))
    driver.find_element(By.ID, "explain-go").click()


def test_explain_sin_exp_x_squared_at_one_half(page, live_server):
    driver = page()
    driver.find_element(By.ID, "explain-expr").send_keys("sin(exp(x^2))")
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#explain-preview .katex"))
    explain_in(driver, "sin(exp(x^2))", "0.5")
    wait(driver, lambda d: d.find_elements(By.ID, "explain-value"))
    assert text_of(driver, "#explain-value") == "0.363194914801726"
    steps = driver.find_elements(By.CSS_SELECTOR, "#explain-result .kind-forward .row")
    assert len(steps) == 3  # u1 = x², u2 = e^u1, y = sin(u2)
    assert len(driver.find_elements(By.CSS_SELECTOR, "#explain-result .kind-local .row")) == 3
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#explain-graph svg"))
    wait(driver, lambda d: d.execute_script(PLOT_LOADED))
    assert "expr=sin" in driver.current_url and "at=0.5" in driver.current_url  # shareable
    # every resource came from the server itself: the page works offline
    origins = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => new URL(e.name).origin)"
    )
    assert set(origins) <= {live_server.url.rstrip("/")}
    shot(driver, "explain")
    assert problems(driver) == []


def test_a_shared_link_opens_the_same_explanation(page):
    driver = page("expr=relu(3x-1)&at=1%2F3")
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#explain-result .badge"))
    badge = driver.find_element(By.CSS_SELECTOR, "#explain-result .badge")
    assert "not_differentiable" in badge.get_attribute("class")
    assert driver.find_elements(By.CSS_SELECTOR, "#explain-result .kind-kinks")


def test_a_link_without_a_point_and_an_order_gives_the_symbolic_derivatives(page):
    driver = page("expr=e%5E(-x%5E2)&order=3")
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#explain-derivative .katex"))
    assert driver.find_element(By.ID, "explain-order").get_attribute("value") == "3"
    kinds = [s.get_attribute("class") for s in driver.find_elements(
        By.CSS_SELECTOR, "#explain-result section")]  # fmt: skip
    assert sum("kind-order" in k for k in kinds) == 3 and any("kind-samples" in k for k in kinds)
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#explain-graph svg"))  # formulas
    assert not driver.find_elements(By.ID, "explain-plot")  # no point: no tangent to draw
    badge = driver.find_element(By.CSS_SELECTOR, "#explain-result .badge")
    assert "agrees" in badge.get_attribute("class")
    shot(driver, "explain-order3")
    assert problems(driver) == []


def test_the_network_gives_dl_dw1_and_moving_w2_changes_the_gradient(page):
    driver = page()
    driver.find_element(By.ID, "tab-network").click()
    wait(driver, lambda d: d.find_elements(By.ID, "net-grad-w1"))
    assert text_of(driver, "#net-grad-w1") == "1.356"
    assert text_of(driver, "#net-grad-w2") == "-2.486"
    nodes = driver.find_elements(By.CSS_SELECTOR, "#net-graph g.node")
    assert {n.get_attribute("data-name") for n in nodes} == {
        "x", "target", "w1", "b1", "w2", "b2", "z1", "h", "y", "L"}  # fmt: skip
    backward = driver.find_elements(By.CSS_SELECTOR, "#net-passes .kind-backward .row")
    assert len(backward) == 7
    shot(driver, "network")
    slider = driver.find_element(By.ID, "net-w2")
    slider.send_keys(Keys.ARROW_RIGHT)  # w2: -0.3 -> -0.25
    wait(driver, lambda d: d.find_element(By.ID, "net-grad-w1").text != "1.356")
    # dL/dw1 = 2(y - target)·w2·relu'(z1)·x with y = w2·h + b2, h = z1 = 1.1:
    w2, h, b2, target, x = -0.25, 1.1, 0.2, 1, 2
    truth = 2 * (w2 * h + b2 - target) * w2 * x
    assert float(text_of(driver, "#net-grad-w1")) == pytest.approx(truth, abs=1e-12)
    assert text_of(driver, "#net-w2-value") == "-0.25"
    shot(driver, "network-w2")


def test_switching_to_chinese_changes_every_word(page):
    from tests.english import english_runs

    driver = page("expr=sin(exp(x%5E2))&at=0.5&lang=en")
    wait(driver, lambda d: d.find_elements(By.ID, "explain-value"))
    driver.find_element(By.CSS_SELECTOR, "button[data-lang=zh]").click()
    wait(driver, lambda d: "处的导数" in d.find_element(By.CSS_SELECTOR, ".headline h2").text)
    assert text_of(driver, "#tab-explain") == "讲解"
    assert text_of(driver, "#tab-network") == "本章的神经网络"
    headings = [h.text for h in driver.find_elements(By.CSS_SELECTOR, "#explain-result h3, h4")]
    assert "链式法则" in headings and "中间变量（前向传播）" in headings
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#explain-graph svg"))
    words = driver.execute_script(WORDS)
    assert english_runs(words) == [], words
    assert "lang=zh" in driver.current_url
    shot(driver, "explain-zh")


def test_code_and_markup_typed_in_are_a_clean_error_and_no_script_runs(page):
    driver = page()
    box = driver.find_element(By.ID, "explain-expr")
    for attempt, text in enumerate(["__import__('os')", "<img src=x onerror=alert(1)>"]):
        box.clear()
        box.send_keys(text)
        preview = "#explain-preview .error pre"
        wait(driver, showing(preview, text))
        message = text_of(driver, preview)  # shown as text, with the caret under the problem
        assert message.splitlines()[-1].strip() == "^"
        explain_in(driver, text, "1")
        wait(driver, showing("#explain-result .error pre", text))
        shot(driver, f"hostile-{attempt + 1}")
        no_script_ran(driver)
        images = driver.execute_script(
            "return [...document.querySelectorAll('img')].map(i => i.getAttribute('src'))"
        )
        assert "x" not in images
    assert problems(driver) == []


def test_check_my_answer_gives_the_diagnosis_and_the_derivation_on_request(page):
    driver = page()
    driver.find_element(By.ID, "tab-check").click()
    driver.find_element(By.ID, "check-function").send_keys("(2x+1)^3")
    driver.find_element(By.ID, "check-answer").send_keys("3(2x+1)^2" + Keys.ENTER)
    wait(driver, lambda d: d.find_elements(By.ID, "check-verdict"))
    assert driver.find_element(By.ID, "check-verdict").get_attribute("data-verdict") == "incorrect"
    mistake = driver.find_element(By.ID, "check-mistake")
    assert mistake.get_attribute("data-diagnosis") == "missing-inner-derivative"
    assert "(2x + 1)′ = 2" in text_of(driver, "#check-hint")
    assert driver.find_element(By.ID, "check-solution").text == ""  # not before it is asked
    driver.find_element(By.ID, "check-reveal").click()
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#check-solution .kind-result"))
    shot(driver, "check")


def test_check_a_second_derivative_and_reveal_each_order(page):
    driver = page()
    driver.find_element(By.ID, "tab-check").click()
    driver.find_element(By.ID, "check-function").send_keys("sin(x^2)")
    order = driver.find_element(By.ID, "check-order")
    order.clear()
    order.send_keys("2")
    driver.find_element(By.ID, "check-answer").send_keys("2x cos(x^2)" + Keys.ENTER)  # f′
    wait(driver, lambda d: d.find_elements(By.ID, "check-verdict"))
    assert driver.find_element(By.ID, "check-verdict").get_attribute("data-verdict") == "incorrect"
    assert "f″" in text_of(driver, "#check-hint")
    driver.find_element(By.ID, "check-reveal").click()
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#check-solution .kind-order2"))
    assert "order=2" in driver.current_url
    assert problems(driver) == []


def test_the_teacher_uploads_a_class_and_filters_the_report(page):
    driver = page()
    driver.find_element(By.ID, "tab-teacher").click()
    driver.find_element(By.ID, "teacher-file").send_keys(str(REPO / "examples" / "answers.csv"))
    driver.find_element(By.ID, "teacher-go").click()
    wait(driver, lambda d: d.find_element(By.ID, "teacher-summary").text)
    report = json.loads((REPO / "examples" / "answers_report.json").read_text(encoding="utf-8"))
    summary = report["summary"]
    rows = driver.find_elements(By.CSS_SELECTOR, "#teacher-table tbody tr")
    assert len(rows) == summary["answers"]
    driver.find_element(By.CSS_SELECTOR, "#teacher-verdict option[value=incorrect]").click()
    rows = driver.find_elements(By.CSS_SELECTOR, "#teacher-table tbody tr")
    assert len(rows) == summary["incorrect"]
    assert {r.get_attribute("data-verdict") for r in rows} == {"incorrect"}
    shot(driver, "teacher")


def test_the_tabs_work_from_the_keyboard_and_the_page_fits_a_phone(page):
    driver = page()
    tab = driver.find_element(By.ID, "tab-explain")
    tab.click()
    tab.send_keys(Keys.ARROW_RIGHT)
    assert driver.switch_to.active_element.get_attribute("id") == "tab-check"
    assert driver.find_element(By.ID, "tab-check").get_attribute("aria-selected") == "true"
    driver.set_window_size(390, 844)
    try:
        driver.find_element(By.ID, "tab-explain").click()
        explain_in(driver, "z1 = w1*x + b1; h = relu(z1); y = w2*h + b2; L = (y - target)^2",
                   "x=2, target=1, w1=0.5, b1=0.1, w2=-0.3, b2=0.2")  # fmt: skip
        wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#explain-gradient output"))
        wide = driver.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert wide <= 0  # nothing sticks out sideways: wide formulas scroll in their box
        shot(driver, "phone")
    finally:
        driver.set_window_size(1280, 1600)
