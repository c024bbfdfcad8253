"""The overview's live panel in a real browser (Debian's Chromium via Playwright): it picks up a new event without
a reload, and the page works with JavaScript off. Skips, saying why, without Chromium or Playwright."""
from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time

import pytest

from newsloom.api import Newsloom
from newsloom.cli import demo_corpus_path

CHROMIUM = os.environ.get("NEWSLOOM_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_live_panel_updates_without_a_reload(tmp_path, monkeypatch):
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed (apt-get install -y chromium; .ci/run does this where apt is available)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")
    uvicorn = pytest.importorskip("uvicorn")
    from newsloom.web import live
    from newsloom.web.app import create_app

    monkeypatch.setattr(live, "REFRESH_SECONDS", 1)
    db = str(tmp_path / "live.db")
    loom = Newsloom(db)
    loom.ingest([demo_corpus_path()], workers=1)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db, warm_comparisons=False), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 60
    while not server.started and time.time() < deadline:
        time.sleep(0.1)
    base = f"http://127.0.0.1:{port}"
    title = "Sturmflut erreicht Nordhafen am Abend"
    try:
        with sync_api.sync_playwright() as pw:
            try:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            except Exception as exc:  # noqa: BLE001
                pytest.skip(f"Chromium at {CHROMIUM} could not be started by Playwright: {exc}")
            page = browser.new_page()
            page.set_default_timeout(30_000)
            errors = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(base + "/")
            assert title not in page.inner_text("#live-panel")
            page.evaluate("window.__notReloaded = true")
            record = {"id": "live-1", "title": title, "outlet": "Nordhafen Rundschau", "date": "2025-11-22T18:00",
                      "text": "Eine schwere Sturmflut hat am Abend den Hafen von Nordhafen erreicht. Die Feuerwehr "
                              "sperrte die Uferstraße, der Fährverkehr wurde eingestellt. Der Pegel stieg auf "
                              "3,2 Meter über dem mittleren Hochwasser, teilte das Hafenamt mit."}
            path = tmp_path / "new.jsonl"
            path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
            loom.ingest([str(path)], workers=1)
            page.wait_for_function("t => document.getElementById('live-panel').innerText.includes(t)", arg=title)
            assert page.evaluate("window.__notReloaded") is True  # the panel changed, the page was not reloaded
            assert errors == []
            # without JavaScript the same page shows the same panel, server-rendered
            plain = browser.new_page(java_script_enabled=False)
            plain.goto(base + "/")
            assert title in plain.inner_text("#live-panel")
            browser.close()
    finally:
        server.should_exit = True
        thread.join(10)
        loom.close()
