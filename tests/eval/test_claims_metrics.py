"""``newsloom eval claims`` scoring against hand-computed examples (texts written for this test)."""
from __future__ import annotations

import json

import pytest

from newsloom.errors import NewsloomError
from newsloom.eval.claims import Item, PredictedDisagreement, pooled, read_articles, read_gold, score_event

TEXT_A = "Die Stadt baut eine Brücke. Sie kostet zehn Millionen Euro. Der Bürgermeister ist zufrieden."
TEXT_B = "Eine neue Brücke wird gebaut. Die Kosten liegen bei zwölf Millionen Euro. Anwohner protestieren."


def _gold(tmp_path):
    data = {
        "event": "bruecke",
        "articles": {"a": "Blatt A", "b": "Blatt B"},
        "claims": [
            {"claim_id": "c1", "kind": "action", "evidence": [
                {"article": "a", "sentence": "Die Stadt baut eine Brücke."},
                {"article": "b", "sentence": "Eine neue Brücke wird gebaut."}]},
            {"claim_id": "c2", "kind": "number", "conflict": "10 vs 12 Mio", "evidence": [
                {"article": "a", "sentence": "Sie kostet zehn Millionen Euro."},
                {"article": "b", "sentence": "Die Kosten liegen bei zwölf Millionen Euro."}]},
            {"claim_id": "c3", "kind": "statement", "evidence": [
                {"article": "a", "sentence": "Der Bürgermeister ist zufrieden."}]},
            {"claim_id": "c4", "kind": "action", "evidence": [
                {"article": "b", "sentence": "Anwohner protestieren."}]},
            {"claim_id": "c5", "kind": "background", "evidence": [
                {"article": "b", "sentence": "Ein Satz, der nur im Titel steht."}]},
        ],
    }
    path = tmp_path / "bruecke.claims.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return read_gold(path, {"a": TEXT_A, "b": TEXT_B})


def span(text: str, sentence: str) -> tuple[int, int]:
    start = text.index(sentence)
    return start, start + len(sentence)


def test_gold_spans_are_resolved_and_missing_sentences_counted(tmp_path):
    gold = _gold(tmp_path)
    c3 = next(c for c in gold.claims if c.claim_id == "c3")
    ev = c3.evidence[0]
    assert TEXT_A[ev.start:ev.end] == "Der Bürgermeister ist zufrieden."
    assert gold.unresolved == 1  # c5's sentence is not in the text
    assert [c.claim_id for c in gold.claims if c.one_article] == ["c3", "c4", "c5"]


def test_hand_computed_scores(tmp_path):
    gold = _gold(tmp_path)
    items = [
        Item("a", *span(TEXT_A, "Der Bürgermeister ist zufrieden.")),  # right: c3 is only in a
        Item("a", *span(TEXT_A, "Der Bürgermeister ist")),  # a second item on c3: right, no new recall
        Item("b", *span(TEXT_B, "Die Kosten liegen bei zwölf Millionen Euro.")),  # wrong: c2 is shared
        Item("b", 0, 3),  # wrong: overlaps c1's evidence in b (shared)
        Item("c", *span(TEXT_B, "Anwohner protestieren.")),  # wrong: c4's span, but of another article
    ]
    s = score_event(gold, items).figures()
    # 5 items, 2 right; 1 of 3 one-article claims hit; 2 of 2 shared claims called unique
    assert s["n_items"] == 5 and s["correct_items"] == 2
    assert s["only_precision"] == 0.4
    assert s["only_recall"] == round(1 / 3, 3)
    assert s["only_f1"] == round(2 * 0.4 * (1 / 3) / (0.4 + 1 / 3), 3)
    assert s["n_gold_shared"] == 2 and s["shared_called_unique"] == 2
    assert s["shared_called_unique_rate"] == 1.0


def test_duplicate_items_count_once_and_nothing_predicted_scores_zero(tmp_path):
    gold = _gold(tmp_path)
    item = Item("b", *span(TEXT_B, "Anwohner protestieren."))
    s = score_event(gold, [item, item]).figures()
    assert (s["n_items"], s["correct_items"], s["hit_gold_unique"]) == (1, 1, 1)
    empty = score_event(gold, []).figures()
    assert empty["only_precision"] == 0.0 and empty["only_recall"] == 0.0 and empty["shared_called_unique"] == 0


def test_disagreements_found_and_false(tmp_path):
    gold = _gold(tmp_path)
    right = PredictedDisagreement("number", [Item("a", *span(TEXT_A, "Sie kostet zehn Millionen Euro.")),
                                             Item("b", *span(TEXT_B, "Die Kosten liegen bei zwölf Millionen Euro."))])
    wrong = PredictedDisagreement("date", [Item("a", *span(TEXT_A, "Die Stadt baut eine Brücke.")),
                                           Item("b", *span(TEXT_B, "Anwohner protestieren."))])
    one_side = PredictedDisagreement("number", [Item("a", *span(TEXT_A, "Sie kostet zehn Millionen Euro."))])
    s = score_event(gold, [], [right, wrong, one_side]).figures()
    assert s["n_gold_conflicts"] == 1 and s["conflicts_found"] == 1
    assert s["n_disagreements"] == 3 and s["false_disagreements"] == 2


def test_pooled_sums_counts_not_ratios(tmp_path):
    gold = _gold(tmp_path)
    s1 = score_event(gold, [Item("a", *span(TEXT_A, "Der Bürgermeister ist zufrieden."))])
    s2 = score_event(gold, [Item("b", 0, 3), Item("b", *span(TEXT_B, "Anwohner protestieren."))])
    total = pooled([s1, s2]).figures()
    assert total["n_items"] == 3 and total["correct_items"] == 2
    assert total["only_precision"] == round(2 / 3, 3)
    assert total["n_gold_unique"] == 6 and total["hit_gold_unique"] == 2
    assert total["shared_called_unique"] == 1 and total["n_gold_shared"] == 4


def test_bad_gold_and_missing_articles_are_clear_errors(tmp_path):
    bad = tmp_path / "bad.claims.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(NewsloomError, match="bad.claims.json"):
        read_gold(bad, {})
    wrong = tmp_path / "wrong.claims.json"
    wrong.write_text(json.dumps({"claims": []}), encoding="utf-8")
    with pytest.raises(NewsloomError, match="not a claims gold"):
        read_gold(wrong, {})
    articles = tmp_path / "articles.jsonl"
    articles.write_text(json.dumps({"id": "a", "text": TEXT_A}) + "\n{broken\n", encoding="utf-8")
    assert set(read_articles(articles, ["a"])) == {"a"}  # stops once everything wanted is found
    with pytest.raises(NewsloomError, match="articles.jsonl:2"):
        read_articles(articles, ["a", "zz"])


def test_cli_eval_claims_last_line_is_json(tmp_path, capsys):
    from newsloom.cli import main

    articles = tmp_path / "articles.jsonl"
    records = [
        {"id": "a", "outlet": "Blatt A", "date": "2024-03-05", "title": "Brücke", "text": TEXT_A},
        {"id": "b", "outlet": "Blatt B", "date": "2024-03-05", "title": "Brücke", "text": TEXT_B},
    ]
    articles.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    _gold(tmp_path)
    gold = tmp_path / "bruecke.claims.json"
    assert main(["eval", "claims", str(gold), "--articles", str(articles)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    result = json.loads(lines[-1])
    assert result["mode"] == "gold_event" and result["n_gold_unique"] == 3 and result["n_gold_shared"] == 2
    assert "bruecke" in result["per_event"] and any("pooled" in line for line in lines)
    missing = tmp_path / "none.jsonl"
    missing.write_text(json.dumps(records[0]) + "\n", encoding="utf-8")
    assert main(["eval", "claims", str(gold), "--articles", str(missing)]) != 0
    assert "not found: b" in capsys.readouterr().err
