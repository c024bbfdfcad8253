"""End-to-end in a real browser: Debian's Chromium (headless, driven by Playwright) against `newsloom serve`.

Skips, saying why, when Chromium or Playwright is missing (`.ci/run` installs Chromium with apt-get; never
`playwright install`). Writes docs/screenshot.png, docs/coverage.png and docs/storyline.png for the README.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("NEWSLOOM_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def _need_browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed (apt-get install -y chromium; .ci/run does this where apt is available)")
    return pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(demo_store):
    _need_browser()
    port = _free_port()
    env = {**os.environ, "NEWSLOOM_API_TOKEN": ""}
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsloom", "--db", demo_store.store.path, "serve", "--host", "127.0.0.1",
         "--port", str(port), "--no-warm"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/api/v1/outlets", timeout=2).read()
            break
        except OSError:
            if proc.poll() is not None or time.time() > deadline:
                proc.kill()
                out = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
                pytest.fail(f"newsloom serve did not start: {out[-2000:]}")
            time.sleep(0.3)
    yield base
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="module")
def browser(server):
    sync_api = _need_browser()
    with sync_api.sync_playwright() as pw:
        try:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        except Exception as exc:  # noqa: BLE001
            pytest.skip(f"Chromium at {CHROMIUM} could not be started by Playwright: {exc}")
        yield browser
        browser.close()


def test_overview_storyline_event_comparison_search(server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    page.set_default_timeout(60_000)
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(server + "/")
    assert page.title().startswith("Overview")
    import json as _json
    from urllib.request import urlopen

    with urlopen(server + "/api/v1/events?limit=100") as response:
        n_events = len(_json.load(response)["items"])
    assert page.locator("ol.events li.event").count() == min(20, n_events) > 0
    assert page.locator("ol.storylines li").count() >= 3
    (REPO / "docs").mkdir(exist_ok=True)
    page.screenshot(path=str(REPO / "docs" / "screenshot.png"))

    # follow a storyline to one of its events
    with page.expect_navigation():
        page.locator("ol.storylines li a").first.click()
    assert "/storylines/" in page.url
    assert page.locator("svg.timeline circle").count() >= 2
    with page.expect_navigation():
        page.locator("ol.steps li a.title").nth(1).click()
    assert "/events/" in page.url
    assert page.locator("#articles h3.outlet").count() >= 1
    assert page.locator("#entities a.ent").count() >= 1

    # the coverage comparison, when this installation has it
    from newsloom.web import queries

    if queries.comparison_module() is not None:
        assert page.locator("#comparison").count() == 1
        page.locator("nav.toc a[href='#comparison']").click()
        assert page.locator("#comparison").is_visible()
        links = page.locator("#comparison table.matrix a.cell-link")
        if links.count():
            with page.expect_navigation():
                links.first.click()
            assert "/articles/" in page.url and page.locator("mark#hl").count() == 1

    # search for an inflected form: the lemma finds the base form and marks it
    page.goto(server + "/")
    page.fill("header input[name=q]", "Warnstreiks")
    with page.expect_navigation():
        page.press("header input[name=q]", "Enter")
    assert "/search" in page.url
    assert page.locator("ol.hits li").count() >= 1
    marked = page.locator("ol.hits mark").all_inner_texts()
    assert any(m.lower().startswith("warnstreik") for m in marked), marked

    # an article with highlighted entities and quotes
    with page.expect_navigation():
        page.locator("ol.hits li a.title").first.click()
    assert page.locator(".text a.ent").count() >= 1
    assert not errors


def test_hostile_query_in_the_browser(server, browser):
    page = browser.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(server + "/search?q=" + urllib.request.quote('"NATO OR ( <script>alert(1)</script>'))
    assert page.locator("h1").inner_text() == "Search"
    assert not dialogs


def _event_with_disagreement(server) -> str | None:
    import json as _json
    from urllib.request import urlopen

    with urlopen(server + "/api/v1/events?limit=100") as response:
        events = _json.load(response)["items"]
    for e in sorted(events, key=lambda e: -len(e["outlets"])):
        with urlopen(server + f"/api/v1/events/{e['id']}/comparison") as response:
            if _json.load(response)["disagreements"]:
                return e["id"]
    return None


def test_coverage_page_without_javascript(server, browser):
    from newsloom.web import queries

    if queries.comparison_module() is None:
        pytest.skip("newsloom.compare is not installed")
    import json as _json
    from urllib.request import urlopen

    page = browser.new_page(viewport={"width": 1280, "height": 1000}, java_script_enabled=False)
    page.set_default_timeout(60_000)
    event = _event_with_disagreement(server)
    assert event, "the demo corpus has an event whose outlets give different figures"
    page.goto(server + f"/events/{event}#comparison")
    coverage = page.locator("#comparison")
    assert coverage.locator("h2").inner_text() == "How each outlet covered it"
    matrix = coverage.locator("table.matrix").first
    assert matrix.is_visible()
    columns = matrix.locator("thead th.outlet").count()
    assert columns >= 3
    rows = matrix.locator("tbody tr")
    assert rows.count() >= 1
    assert rows.first.locator("td").count() == columns
    # the screenshot for the README: the section from its top, "only here" folded
    page.set_viewport_size({"width": 1280, "height": 1700})
    page.goto(server + f"/events/{event}#comparison")
    (REPO / "docs").mkdir(exist_ok=True)
    page.screenshot(path=str(REPO / "docs" / "coverage.png"))
    page.set_viewport_size({"width": 1280, "height": 1000})
    # the "only here" rows open without JavaScript (<details>)
    only = coverage.locator("details.only-here")
    if only.count():
        assert not only.locator("table.matrix").is_visible()
        only.locator("summary").click()
        assert only.locator("table.matrix").is_visible()
    # disagreements side by side: the values in one row
    block = coverage.locator(".disagreement").first
    figures = block.locator("figure.value")
    assert figures.count() >= 2
    boxes = [figures.nth(i).bounding_box() for i in range(2)]
    assert abs(boxes[0]["y"] - boxes[1]["y"]) < 5 and boxes[1]["x"] > boxes[0]["x"]
    # per outlet: whom it quotes and what it alone reports
    cards = coverage.locator(".outlet-card")
    assert cards.count() == columns
    assert coverage.locator("table.speakers").count() >= 1
    # a cell leads to its sentence, highlighted in the article
    cell = matrix.locator("a.cell-link").first
    href = cell.get_attribute("href")
    article_id, span = href.split("/articles/", 1)[1].split("#")[0].split("?hl=")
    start, end = (int(x) for x in span.split("-"))
    with urlopen(server + "/api/v1/articles/" + article_id) as response:
        claim = _json.load(response)["text"][start:end]
    with page.expect_navigation():
        cell.click()
    assert "/articles/" in page.url
    mark = page.locator("mark#hl")
    assert mark.count() == 1 and " ".join(mark.inner_text().split()) == " ".join(claim.split())
    # the figures of a disagreement lead to their sentences too
    page.goto(server + f"/events/{event}#disagreements")
    with page.expect_navigation():
        page.locator(".disagreement blockquote a").first.click()
    assert page.locator("mark#hl mark, mark#hl").count() >= 1


def test_storyline_changes_without_javascript(server, browser):
    from newsloom.web import queries

    if queries.comparison_module() is None:
        pytest.skip("newsloom.compare is not installed")
    import json as _json
    from urllib.request import urlopen

    with urlopen(server + "/api/v1/storylines?limit=100") as response:
        lines = _json.load(response)["items"]
    line = max(lines, key=lambda s: s["events"])
    page = browser.new_page(viewport={"width": 1280, "height": 1400}, java_script_enabled=False)
    page.set_default_timeout(60_000)
    page.goto(server + f"/storylines/{line['id']}")
    steps = page.locator("ol.steps > li")
    assert steps.count() == line["events"]
    changes = page.locator(".claim-changes")
    assert changes.count() == line["events"] - 1
    first = changes.first
    counts = first.locator(".counts").inner_text()
    assert "new" in counts and "dropped" in counts and "kept" in counts
    assert first.locator(".claims-new, .claims-dropped, .claims-kept").count() == 3
    assert first.locator(".claims-new h4").is_visible()
    assert "-1 days" not in page.content()
    page.goto(server + f"/storylines/{line['id']}#changes")
    page.screenshot(path=str(REPO / "docs" / "storyline.png"))
    link = first.locator(".step-claims a[href*='hl=']").first
    with page.expect_navigation():
        link.click()
    assert "/articles/" in page.url and page.locator("mark#hl").count() == 1


def test_api_docs_page(server, browser):
    page = browser.new_page(java_script_enabled=False)
    page.goto(server + "/")
    with page.expect_navigation():
        page.locator("header nav a", has_text="API").click()
    assert page.url.endswith("/docs")
    assert page.locator("article.endpoint").count() >= 10
    assert page.locator("h1").inner_text().startswith("JSON API")
