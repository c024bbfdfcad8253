"""``newsloom eval quotes``: the scoring rule on hand-computed examples (self-written gold and predictions)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsloom.cli import main
from newsloom.eval.quotes import QuoteItem, evaluate_quotes, match, same_name, score

REPO = Path(__file__).resolve().parents[2]
DEV_GOLD = REPO.parent / "shared" / "data" / "quotes-dev" / "quotes_dev.gold.jsonl"


def test_same_name_full_or_surname_case_insensitive():
    assert same_name("Jens Spahn", "Jens Spahn")
    assert same_name("spahn", "Jens Spahn")
    assert same_name("  JENS   spahn ", "Jens Spahn")
    assert not same_name("Jens", "Jens Spahn")  # the first name is not enough
    assert not same_name("Jens Spahn", "Spahn")  # only the gold's last word counts, not the prediction's
    assert not same_name("er", "Jens Spahn")
    assert not same_name(None, "Jens Spahn")
    assert same_name(None, "UNKNOWN") and same_name("unknown", "UNKNOWN")
    assert same_name("Institut", "Robert Koch-Institut") is False
    assert same_name("Koch-Institut", "Robert Koch-Institut")


def test_match_half_of_shorter_span_one_to_one_greedy_in_order():
    gold = [QuoteItem(0, 100), QuoteItem(10, 20), QuoteItem(200, 210)]
    pred = [
        QuoteItem(5, 60),     # overlaps gold 0 by 55 of 55 -> gold 0 (first in order)
        QuoteItem(12, 30),    # gold 0 taken; gold 1: overlap 8 of shorter 10 -> match
        QuoteItem(205, 300),  # overlap 5 of shorter 10 = exactly half -> match
        QuoteItem(206, 300),  # gold 2 taken -> no match
    ]
    assert match(pred, gold) == [(0, 0), (1, 1), (2, 2)]
    # just below half of the shorter span: no match
    assert match([QuoteItem(0, 10)], [QuoteItem(6, 100)]) == []
    assert match([QuoteItem(0, 10)], [QuoteItem(5, 100)]) == [(0, 0)]
    # predictions are taken in order of position, whatever order they are given in
    assert match([QuoteItem(12, 30), QuoteItem(5, 60)], gold) == [(1, 0), (0, 1)]


def test_scores_hand_computed():
    gold = {
        "a": [QuoteItem(0, 50, "direct", "Anna Berger", None),
              QuoteItem(60, 120, "reported", "Anna Berger", "Tass"),
              QuoteItem(130, 160, "reported", "Karl Hofmann", "Xinhua")],
        "b": [QuoteItem(0, 40, "direct", "Bundesamt für Statistik", None)],
    }
    pred = {
        "a": [QuoteItem(0, 48, "direct", "Berger", None),          # match, speaker right (surname)
              QuoteItem(62, 118, "reported", "er", "tass"),         # match, speaker wrong, channel right
              QuoteItem(300, 320, "direct", "Hofmann", None)],      # no match
        "b": [QuoteItem(0, 40, "direct", "Bundesamt", None)],       # match, speaker wrong (not the last word)
        "c": [QuoteItem(0, 10, "direct", "X", None)],               # article not in the gold: ignored
    }
    s = score(pred, gold)
    summary = s.summary()
    # 3 of 4 predicted (in gold articles) match; 3 of 4 gold found
    assert (s.n_pred, s.n_gold, s.n_matched) == (4, 4, 3)
    assert summary["quote_precision"] == 0.75 and summary["quote_recall"] == 0.75 and summary["quote_f1"] == 0.75
    assert summary["speaker_accuracy"] == round(1 / 3, 3)
    # channel: only the matched pair whose gold has a channel (1 of them), and it is right
    assert summary["n_gold_channel"] == 1 and summary["channel_accuracy"] == 1.0
    assert summary["recall_direct"] == 1.0 and summary["recall_reported"] == 0.5
    assert [e["pred"] for e in s.errors] == ["er", "Bundesamt"]


def _write_jsonl(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def test_cli_scores_predictions_file_last_line_json(tmp_path, capsys):
    gold = tmp_path / "gold.jsonl"
    pred = tmp_path / "pred.jsonl"
    _write_jsonl(gold, [{"id": "x1", "quotes": [
        {"start": 0, "end": 10, "kind": "direct", "speaker": "Lena Vogt", "channel": None},
        {"start": 20, "end": 30, "kind": "reported", "speaker": "Lena Vogt", "channel": "Xinhua"}]}])
    _write_jsonl(pred, [{"id": "x1", "quotes": [
        {"start": 0, "end": 10, "kind": "direct", "speaker": "Vogt", "channel": None},
        {"start": 22, "end": 30, "kind": "reported", "speaker": "Vogt", "channel": None}]}])
    assert main(["eval", "quotes", str(gold), "--predictions", str(pred)]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert result["quote_f1"] == 1.0 and result["speaker_accuracy"] == 1.0
    assert result["channel_accuracy"] == 0.0 and result["n_gold_channel"] == 1


def test_cli_runs_newsloom_on_articles_read_by_id(tmp_path, capsys):
    text = ("Die Ministerin Anna Berger hat am Montag neue Regeln angekündigt. "
            "„Wir werden die Schulen offen halten“, sagte Berger in Berlin.")
    start = text.index("Wir werden")
    end = text.index("“, sagte")
    articles = tmp_path / "articles.jsonl"
    _write_jsonl(articles, [{"id": "other", "text": "Ein anderer Text ohne Zitat, der hier nur steht."},
                            {"id": "x1", "text": text, "date": "2021-02-01"}])
    gold = tmp_path / "gold.jsonl"
    _write_jsonl(gold, [{"id": "x1", "quotes": [
        {"start": start, "end": end, "text": text[start:end], "kind": "direct", "speaker": "Anna Berger",
         "channel": None}]}])
    assert main(["eval", "quotes", str(gold), "--articles", str(articles)]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert result["n_gold"] == 1 and result["n_matched"] == 1
    assert result["speaker_accuracy"] == 1.0


def test_bad_files_are_named(tmp_path, capsys):
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"id": "x1", "quotes": [{"start": 0}]}\n', encoding="utf-8")
    assert main(["eval", "quotes", str(gold), "--predictions", str(gold)]) == 2
    assert "gold.jsonl:1" in capsys.readouterr().err
    good = tmp_path / "good.jsonl"
    _write_jsonl(good, [{"id": "missing", "quotes": []}])
    articles = tmp_path / "articles.jsonl"
    _write_jsonl(articles, [{"id": "x1", "text": "Ein Text, der lang genug ist, um gelesen zu werden."}])
    assert main(["eval", "quotes", str(good), "--articles", str(articles)]) == 2
    err = capsys.readouterr().err
    assert "articles.jsonl" in err and "not found" in err


@pytest.mark.skipif(not DEV_GOLD.exists(), reason="../shared/data/quotes-dev is not beside the repository")
def test_dev_gold_is_readable_and_self_consistent():
    from newsloom.eval.quotes import read_items_file

    gold = read_items_file(str(DEV_GOLD))
    assert len(gold) == 20
    result = evaluate_quotes(str(DEV_GOLD), predictions_path=str(DEV_GOLD))
    assert result["quote_f1"] == 1.0 and result["speaker_accuracy"] == 1.0 and result["channel_accuracy"] == 1.0
