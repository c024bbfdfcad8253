"""The commands: watch --once, watch-list, feeds, alerts; and a real kill -9 of a watch process mid-run."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

from feedserver import publish, rss

from newsloom.cli import main

DEMO_IDS = [f"demo-{i:03d}" for i in range(1, 37)]


def test_watch_once_watch_list_feeds_and_alerts(feed_server, tmp_path, capsys):
    db = str(tmp_path / "cli.db")
    feeds = tmp_path / "feeds.txt"
    good = feed_server.set("/a.xml", rss(publish(feed_server, ["demo-003", "demo-004"])))
    feeds.write_text(f"# test feeds\n{good} Alpenland Echo\n", encoding="utf-8")
    assert main(["--db", db, "watch-list", "add", "Kalmbach"]) == 0
    assert "entity 'Kalmbach'" in capsys.readouterr().out
    assert main(["--db", db, "watch-list", "add", "--query", "Werk", "schließt"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "watch-list", "list", "--json"]) == 0
    assert [w["value"] for w in json.loads(capsys.readouterr().out)] == ["Kalmbach", "Werk schließt"]
    alerts_file = tmp_path / "alerts.jsonl"
    code = main(["--db", db, "watch", str(feeds), "--once", "--host-delay", "0", "--json",
                 "--alerts-file", str(alerts_file)])
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert code == 0 and report["stored"] == 2 and report["feeds_failed"] == 0 and report["alerts"] >= 1
    assert main(["--db", db, "feeds", "--json"]) == 0
    [feed] = json.loads(capsys.readouterr().out)
    assert (feed["url"], feed["outlet"], feed["items"], feed["failures"]) == (good, "Alpenland Echo", 2, 0)
    assert main(["--db", db, "alerts", "--json"]) == 0
    alerts = json.loads(capsys.readouterr().out)
    assert {a["watch"]["value"] for a in alerts} >= {"Kalmbach"}
    assert len(alerts_file.read_text(encoding="utf-8").splitlines()) == len(alerts)
    # again: nothing new, nothing stored twice
    assert main(["--db", db, "watch", str(feeds), "--once", "--host-delay", "0", "--json"]) == 0
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert (report["items_known"], report["stored"]) == (2, 0)
    assert main(["--db", db, "watch-list", "remove", "1"]) == 0
    assert main(["--db", db, "watch-list", "remove", "1"]) == 2
    assert "E301" in capsys.readouterr().err


def test_watch_reports_bad_feeds_files_and_failing_feeds(feed_server, tmp_path, capsys):
    db = str(tmp_path / "cli.db")
    empty = tmp_path / "none.txt"
    empty.write_text("not a url\n", encoding="utf-8")
    assert main(["--db", db, "watch", str(empty), "--once"]) == 2
    err = capsys.readouterr().err
    assert f"{empty}:1" in err and "E151" in err and "no usable feed address" in err
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"{feed_server.set('/x.xml', 'kaputt', status=500)}\n"
                     f"{feed_server.set('/ok.xml', rss(publish(feed_server, ['demo-021'])))}\n", encoding="utf-8")
    assert main(["--db", db, "watch", str(feeds), "--once", "--host-delay", "0"]) == 1  # some feed failed
    out, err = capsys.readouterr()
    assert "stored 1" in out and "HTTP 500" in err


def test_kill_9_mid_run_then_restart_stores_everything_once(feed_server, tmp_path):
    db = str(tmp_path / "kill.db")
    items = publish(feed_server, DEMO_IDS)
    for path in list(feed_server.routes):
        feed_server.routes[path].delay = 0.1  # pages answer slowly enough to kill the run half-way
    feeds = tmp_path / "feeds.txt"
    feeds.write_text("\n".join(f"{feed_server.set(f'/f{i}.xml', rss(items[i::3]))} Blatt {i}" for i in range(3)),
                     encoding="utf-8")
    command = [sys.executable, "-m", "newsloom", "--db", db, "watch", str(feeds), "--once", "--host-delay", "0",
               "--workers", "2"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    recorded = 0
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.2)
        try:
            with sqlite3.connect(db, timeout=5) as con:
                recorded = con.execute("SELECT count(*) FROM watch_items").fetchone()[0]
        except sqlite3.Error:
            continue
        if recorded >= 12:
            break
    assert proc.poll() is None, "the run finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)
    assert 12 <= recorded <= len(DEMO_IDS)
    fetched_before = sum(feed_server.hits[f"/a/{i}.html"] for i in DEMO_IDS)
    rerun = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    with sqlite3.connect(db) as con:
        stored = con.execute("SELECT count(*), count(DISTINCT url) FROM articles").fetchone()
        states = dict(con.execute("SELECT state, count(*) FROM watch_items GROUP BY state").fetchall())
    assert stored == (len(DEMO_IDS), len(DEMO_IDS))
    assert states == {"stored": len(DEMO_IDS)}
    # pages recorded before the kill were not fetched again (only those in flight at the kill may be)
    fetched = sum(feed_server.hits[f"/a/{i}.html"] for i in DEMO_IDS)
    assert fetched - fetched_before <= len(DEMO_IDS) - recorded + 4
    assert max(feed_server.hits[f"/a/{i}.html"] for i in DEMO_IDS) <= 2
