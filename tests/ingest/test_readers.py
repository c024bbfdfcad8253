"""Readers: every format, and bad input that is reported and skipped without losing the good."""
from __future__ import annotations

import gzip
import json

from newsloom.api import Newsloom
from newsloom.errors import InputProblem
from newsloom.ingest.readers import read_paths

BODY = (
    "Die Stadtwerke von Kleinhausen haben am Dienstag eine neue Straßenbahnlinie eröffnet. "
    "Bürgermeisterin Anna Berger sprach von einem großen Tag für die Stadt. "
    "Die Linie verbindet den Bahnhof mit dem Klinikum."
)


def _articles(items):
    return [i for i in items if not isinstance(i, InputProblem)]


def _problems(items):
    return [i for i in items if isinstance(i, InputProblem)]


def test_all_formats(tmp_path):
    (tmp_path / "seed_style.txt").write_text(" date 2025-10 " + BODY, encoding="utf-8")
    (tmp_path / "plain.txt").write_text("Neue Linie in Kleinhausen\n\n" + BODY, encoding="utf-8")
    records = [
        {"id": "j1", "title": "Eins", "text": BODY, "date": "2025-10-14T09:30:00+02:00", "outlet": "Tagesblick"},
        {"maintext": BODY + " Zweiter Text.", "title": "Zwei", "date_publish": "2025-10-14 10:00:00",
         "source_domain": "blick.example", "url": "https://blick.example/2"},
    ]
    (tmp_path / "batch.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    (tmp_path / "array.json").write_text(json.dumps([{"id": "a1", "text": BODY + " Drei.", "date": "2025-10-15"}]), encoding="utf-8")
    (tmp_path / "table.csv").write_text('id,title,text,date,outlet\nc1,Vier,"' + BODY + ' Vier.",2025-10-16,Rundschau\n', encoding="utf-8")
    with gzip.open(tmp_path / "packed.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "g1", "text": BODY + " Fünf.", "date": "2025-10"}) + "\n")
    (tmp_path / "page.html").write_text(
        "<html><head><title>Neue Linie</title><meta property='og:site_name' content='Rundschau'></head><body>"
        "<article><h1>Neue Linie</h1><p>" + BODY + "</p><p>" + BODY.replace("Dienstag", "Mittwoch") + "</p></article></body></html>",
        encoding="utf-8",
    )
    items = list(read_paths([str(tmp_path)]))
    assert not _problems(items), _problems(items)
    by_id = {a.id: a for a in _articles(items)}
    assert set(by_id) >= {"seed_style", "plain", "j1", "a1", "c1", "g1", "page"}
    assert by_id["seed_style"].published.iso() == "2025-10"
    assert by_id["j1"].published.iso() == "2025-10-14T09:30"
    assert by_id["plain"].title == "Neue Linie in Kleinhausen"
    news_please = next(a for a in by_id.values() if a.title == "Zwei")
    assert news_please.outlet == "blick.example" and news_please.url.endswith("/2")
    assert by_id["c1"].outlet == "Rundschau"
    assert by_id["g1"].published.precision.value == "month"
    assert "Straßenbahnlinie" in by_id["page"].text


def test_bad_input_is_reported_and_good_input_stored(tmp_path):
    good = tmp_path / "good"
    good.mkdir()
    for n in range(3):
        (good / f"ok{n}.txt").write_text(f" date 2025-11 Meldung {n}. " + BODY, encoding="utf-8")
    (good / "binary.txt").write_bytes(b"\x00\x01\x02binary\x00" * 50)
    (good / "latin1.txt").write_bytes(("Grüße aus Köln. " + BODY).encode("latin-1"))
    (good / "empty.txt").write_text("", encoding="utf-8")
    lines = [json.dumps({"id": "ok-json", "text": BODY + " JSON."}), '{"id": "broken", "text": "abgeschn', json.dumps({"id": "notext"})]
    (good / "mixed.jsonl").write_text("\n".join(lines), encoding="utf-8")
    (good / "huge.txt").write_text("Wort " * 4_200_000, encoding="utf-8")  # about 21 MB
    loom = Newsloom(str(tmp_path / "store.db"))
    report = loom.ingest([str(good)], workers=1)
    assert report.stored == 4
    reasons = {p.path.rsplit("/", 1)[-1] + (f":{p.line}" if p.line else ""): p for p in report.problems}
    assert set(reasons) == {"binary.txt", "latin1.txt:1", "empty.txt", "mixed.jsonl:2", "mixed.jsonl:3", "huge.txt"}
    assert "UTF-8" in reasons["latin1.txt:1"].reason and reasons["mixed.jsonl:2"].code == "E104"
    again = loom.ingest([str(good)], workers=1)
    assert again.stored == 0 and again.already_stored == 4
    assert loom.db.execute("SELECT count(*) FROM articles").fetchone()[0] == 4
    loom.close()


def test_cli_exit_status_reports_failure(tmp_path, capsys):
    from newsloom.cli import main

    (tmp_path / "ok.txt").write_text(" date 2025-11 " + BODY, encoding="utf-8")
    (tmp_path / "bad.jsonl").write_text("{nope\n", encoding="utf-8")
    status = main(["--db", str(tmp_path / "s.db"), "ingest", str(tmp_path), "--no-progress"])
    captured = capsys.readouterr()
    assert status == 1
    assert "bad.jsonl:1" in captured.err and "stored 1" in captured.out


def test_wire_copies_are_linked(tmp_path):
    text = BODY + " " + BODY.replace("Bahnhof", "Hafen") + " (DNA)"
    records = [
        {"id": "w1", "text": text, "date": "2025-10-14T09:00", "outlet": "Tagesblick"},
        {"id": "w2", "text": text.replace("großen Tag", "großartigen Tag"), "date": "2025-10-14T10:00", "outlet": "Rundschau"},
        {"id": "w3", "text": text, "date": "2025-10-14T11:00", "outlet": "Kurier"},
    ]
    path = tmp_path / "wire.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    loom = Newsloom(str(tmp_path / "s.db"))
    loom.ingest([str(path)], workers=1)
    views = {a.id: a for a in loom.articles()}
    assert views["w1"].duplicate_of is None
    assert views["w2"].duplicate_of == "w1" and views["w2"].duplicate_kind == "near"
    assert views["w3"].duplicate_of == "w1" and views["w3"].duplicate_kind == "exact"
    assert len({views[i].event_id for i in views}) == 1
    loom.close()
