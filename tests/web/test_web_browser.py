"""End-to-end in a real browser: Debian's Chromium (headless, driven by Playwright) against `newsloom serve`.

Skips, saying why, when Chromium or Playwright is missing (`.ci/run` installs Chromium with apt-get; never
`playwright install`). Writes docs/screenshot.png for the README.
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
        links = page.locator("#comparison a.cmp-link")
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
