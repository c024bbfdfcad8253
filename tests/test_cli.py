"""The command line as a new user meets it: --db anywhere, counts checked, missing stores refused, empty results
explained, readable article and search output, binary export kept off the terminal, serve on a busy port."""
from __future__ import annotations

import io
import json
import os
import socket
import sys

import pytest

from newsloom.cli import build_parser, main
from newsloom.cli_args import require_store
from newsloom.errors import StoreError


def _commands() -> dict:
    return build_parser().commands


# positional arguments each command needs (parsing only)
NEEDS = {"ingest": ["x.jsonl"], "event": ["ev-1"], "storyline": ["st-1"], "entity": ["Putin"],
         "article": ["a1"], "search": ["Streik"], "compare": ["ev-1"], "watch": ["feeds.txt"], "watch-list": ["list"]}


# -- --db before or after the subcommand ---------------------------------------------------------------------
def test_db_after_the_subcommand_for_every_command():
    parser = build_parser()
    for name, sub in _commands().items():
        if name == "eval":  # a group of subcommands that make their own temporary stores
            continue
        assert "--db" in sub.format_help(), name
        args = parser.parse_args([name, *NEEDS.get(name, []), "--db", "after.db"])
        assert args.db == "after.db", name
    assert parser.parse_args(["--db", "before.db", "events"]).db == "before.db"
    assert parser.parse_args(["--db", "before.db", "events", "--db", "after.db"]).db == "after.db"
    assert parser.parse_args(["events"]).db is None  # resolved by run(): $NEWSLOOM_DB or newsloom.db


def test_ingest_with_db_after_the_subcommand(tmp_path, capsys):
    (tmp_path / "a.jsonl").write_text(json.dumps(
        {"id": "x1", "title": "Gipfel in Genf", "text": "Die Minister trafen sich am Montag in Genf zu Gesprächen.",
         "date": "2025-11-20", "outlet": "Tagesblick"}) + "\n", encoding="utf-8")
    db = tmp_path / "s.db"
    assert main(["ingest", str(tmp_path / "a.jsonl"), "--db", str(db), "--no-progress"]) == 0
    assert db.exists()
    capsys.readouterr()
    assert main(["articles", "--db", str(db), "--json"]) == 0
    assert [a["id"] for a in json.loads(capsys.readouterr().out)] == ["x1"]


# -- counts ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("option", ["--limit", "--offset"])
def test_negative_counts_are_refused_by_every_command(option, capsys):
    checked = []
    for name, sub in _commands().items():
        if option not in sub.format_help():
            continue
        with pytest.raises(SystemExit) as stop:
            build_parser().parse_args([name, *NEEDS.get(name, []), option, "-1"])
        assert stop.value.code == 2
        err = capsys.readouterr().err
        assert f"argument {option}: must be 0" in err and "not -1" in err, (name, err)
        checked.append(name)
    assert {"events", "storylines", "entities", "articles", "quotes", "search"} <= set(checked)


def test_workers_and_port_must_be_positive(capsys):
    for argv in (["ingest", "x", "--workers", "0"], ["serve", "--port", "0"], ["serve", "--port", "70000"],
                 ["events", "--limit", "many"]):
        with pytest.raises(SystemExit):
            build_parser().parse_args(argv)
        assert "error: argument" in capsys.readouterr().err


def test_quotes_limit_zero_means_all(demo_store, capsys):
    db = demo_store.store.path
    total = len(demo_store.quotes())
    assert total > 5
    assert main(["--db", db, "quotes", "--limit", "0", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == total
    assert main(["--db", db, "quotes", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == total
    assert main(["--db", db, "quotes", "--limit", "3", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 3
    assert main(["--db", db, "quotes", "--speaker", "Niemand Unbekannt"]) == 0
    out, err = capsys.readouterr()
    assert out == "" and "no quotes for --speaker Niemand Unbekannt" in err


# -- the store must exist for every command but ingest ----------------------------------------------------------
@pytest.mark.parametrize("argv", [["events"], ["storylines"], ["entities"], ["articles"], ["event", "ev-1"],
                                  ["article", "a1"], ["entity", "Putin"], ["storyline", "st-1"], ["export"],
                                  ["search", "Streik"], ["quotes"], ["compare", "ev-1"], ["serve"]])
def test_a_missing_store_is_refused_and_not_created(tmp_path, argv, capsys):
    db = tmp_path / "mistyped.db"
    assert main(["--db", str(db), *argv]) == 2
    err = capsys.readouterr().err
    assert f"no store at {db}" in err and "ingest" in err
    assert not db.exists() and not list(tmp_path.iterdir())


def test_require_store_passes_urls_through_and_names_folders(tmp_path):
    require_store("postgresql://user@localhost/news")  # the backend reports an unreachable server itself
    with pytest.raises(StoreError, match="is a folder"):
        require_store(str(tmp_path))
    with pytest.raises(StoreError, match="no store at"):
        require_store(str(tmp_path / "none.db"))


# -- empty results say why ------------------------------------------------------------------------------------
def test_an_unknown_entity_filter_says_so(demo_store, capsys):
    db = demo_store.store.path
    for command in ("events", "articles", "storylines"):
        assert main(["--db", db, command, "--entity", "Niemand Unbekannt"]) == 0
        out, err = capsys.readouterr()
        assert out == ""
        assert "no entity matches 'Niemand Unbekannt'" in err
    assert main(["--db", db, "events", "--entity", "Niemand Unbekannt", "--json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out) == [] and "no entity matches" in err


def test_a_known_entity_with_no_results_names_the_filters(demo_store, capsys):
    db = demo_store.store.path
    assert main(["--db", db, "events", "--entity", "Sabine Krüger", "--since", "2030"]) == 0
    out, err = capsys.readouterr()
    assert out == "" and "no events for --since 2030 --entity Sabine Krüger" in err
    assert main(["--db", db, "events", "--entity", "Sabine Krüger"]) == 0
    out, err = capsys.readouterr()
    assert "ev-" in out and err == ""


# -- article, search, export ----------------------------------------------------------------------------------
def test_article_shows_a_readable_header_then_the_text(demo_store, capsys):
    db = demo_store.store.path
    article = next(a for a in demo_store.articles(limit=None) if demo_store.quotes(article=a.id))
    view = demo_store.article(article.id)
    assert main(["--db", db, "article", article.id]) == 0
    out = capsys.readouterr().out
    head, _, body = out.partition("\n\n")
    assert head.splitlines()[0] == view.title
    assert f"outlet: {view.outlet}" in head and f"published: {view.published}" in head
    assert f"event: {view.event_id}" in head
    assert "entities: " in head and "quotes (" in head
    assert body.strip() == view.text.strip()


def test_search_command_matches_the_web_search(demo_store, capsys):
    db = demo_store.store.path
    web = demo_store.search("Streik", limit=20)  # the api facade over the search the web runs
    assert web.total > 2
    assert main(["--db", db, "search", "Streik", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [h["id"] for h in data["hits"]] == [h.id for h in web.hits]
    assert data["total"] == web.total
    assert main(["search", "Streik", "--db", db, "--limit", "2"]) == 0
    out = capsys.readouterr().out
    assert f"{web.total} articles match 'Streik'" in out
    assert web.hits[0].id in out and web.hits[2].id not in out
    assert "<mark>" not in out
    assert main(["--db", db, "search", "Streik", "--limit", "0", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["hits"]) == web.total
    assert main(["--db", db, "search", "Xylophonorchester"]) == 0
    out, err = capsys.readouterr()
    assert out == "" and "Nothing found" in err


class _Terminal(io.StringIO):
    def __init__(self):
        super().__init__()
        self.buffer = io.BytesIO()

    def isatty(self) -> bool:
        return True


def test_parquet_is_not_written_to_a_terminal(demo_store, tmp_path, monkeypatch, capsys):
    db = demo_store.store.path
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    assert main(["--db", db, "export", "--format", "parquet"]) == 2
    assert terminal.buffer.getvalue() == b"" and terminal.getvalue() == ""
    assert "-o FILE" in capsys.readouterr().err
    out = tmp_path / "news.parquet"
    assert main(["--db", db, "export", "--format", "parquet", "-o", str(out)]) == 0
    assert out.read_bytes()[:4] == b"PAR1"
    assert main(["--db", db, "export", "--format", "csv"]) == 0  # text formats still go to the terminal
    assert terminal.buffer.getvalue().startswith(b"id,") or b"," in terminal.buffer.getvalue()[:200]


# -- serve ----------------------------------------------------------------------------------------------------
def test_serve_on_a_busy_port_is_one_clear_error(demo_store, capsys):
    pytest.importorskip("uvicorn")
    db = demo_store.store.path
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        assert main(["--db", db, "serve", "--port", str(port), "--no-warm"]) == 2
    err = capsys.readouterr().err
    assert "port is in use" in err and str(port) in err
    assert "serving on" not in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_bind_returns_a_listening_socket():
    pytest.importorskip("uvicorn")
    from newsloom.web.commands import bind

    sock = bind("127.0.0.1", _free_port())
    try:
        with socket.create_connection(sock.getsockname()[:2], timeout=5):
            pass
    finally:
        sock.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- demo -----------------------------------------------------------------------------------------------------
def test_demo_keeps_a_stable_store_and_ends_with_a_readable_summary(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    db = os.path.join(".newsloom-demo", "demo.db")
    assert os.path.exists(db)
    assert not any(line.lstrip().startswith("{") for line in out.splitlines())  # no raw JSON
    assert "events      F1 " in out and "storylines  F1 " in out
    last = out.strip().splitlines()
    assert any(line.strip().endswith(f"--db {db} serve") for line in last[-5:])
    # run again: the same store, rebuilt (not doubled)
    assert main(["--db", db, "demo"]) == 0
    assert "stored 67, already stored 0" in capsys.readouterr().out


def test_demo_refuses_to_replace_a_store_that_is_not_a_demo(tmp_path, capsys):
    (tmp_path / "a.jsonl").write_text(json.dumps(
        {"id": "mine-1", "title": "Eigener Text", "text": "Ein eigener Artikel über den Hafen von Kiel.",
         "date": "2024-05-01", "outlet": "Kieler Blatt"}) + "\n", encoding="utf-8")
    db = tmp_path / "mine.db"
    assert main(["--db", str(db), "ingest", str(tmp_path / "a.jsonl"), "--no-progress"]) == 0
    assert main(["--db", str(db), "demo"]) == 2
    assert "not from the demo corpus" in capsys.readouterr().err
    assert main(["--db", str(db), "articles", "--json"]) == 0
    assert [a["id"] for a in json.loads(capsys.readouterr().out)] == ["mine-1"]
