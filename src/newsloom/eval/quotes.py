"""``newsloom eval quotes``: quotes and reported speech against a gold file of real articles.

Gold format (``../shared/data/quotes-dev/quotes_dev.gold.jsonl``): one JSON object per article,
``{"id": ..., "quotes": [{start, end, text, kind, speaker, channel, cue}, ...]}``, offsets into the article's
``text``. Predictions come from running newsloom's ``analyze`` on each gold article (read by id from an
articles JSON Lines file), or from a predictions file of the same format as the gold.

Scoring rule (from the gold's README):

* a predicted item matches a gold item of the same article when their spans overlap by at least half of the
  shorter span; one-to-one, greedy in order: predicted items in order of position, each taking the first
  gold item (in order of position) still free that it overlaps enough;
* precision, recall and F1 over items;
* speaker accuracy over matched pairs: right when the predicted speaker equals the gold name or its last word
  (the surname), case-insensitive; a missing predicted speaker counts as ``UNKNOWN``;
* channel accuracy likewise over the matched pairs whose gold item has a channel.
"""
from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from pathlib import Path

from newsloom.errors import NewsloomError

UNKNOWN = "UNKNOWN"


@dataclass
class QuoteItem:
    start: int
    end: int
    kind: str = ""
    speaker: str | None = None
    channel: str | None = None
    text: str = ""


@dataclass
class QuoteScores:
    n_gold: int = 0
    n_pred: int = 0
    n_matched: int = 0
    speaker_right: int = 0
    n_channel: int = 0
    channel_right: int = 0
    gold_by_kind: dict[str, int] = field(default_factory=dict)
    matched_by_kind: dict[str, int] = field(default_factory=dict)
    errors: list[dict] = field(default_factory=list)

    def add(self, other: "QuoteScores") -> None:
        self.n_gold += other.n_gold
        self.n_pred += other.n_pred
        self.n_matched += other.n_matched
        self.speaker_right += other.speaker_right
        self.n_channel += other.n_channel
        self.channel_right += other.channel_right
        for source, target in ((other.gold_by_kind, self.gold_by_kind), (other.matched_by_kind, self.matched_by_kind)):
            for k, v in source.items():
                target[k] = target.get(k, 0) + v
        self.errors.extend(other.errors)

    def summary(self) -> dict:
        p = self.n_matched / self.n_pred if self.n_pred else 0.0
        r = self.n_matched / self.n_gold if self.n_gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        out = {
            "quote_precision": round(p, 3),
            "quote_recall": round(r, 3),
            "quote_f1": round(f, 3),
            "speaker_accuracy": round(self.speaker_right / self.n_matched, 3) if self.n_matched else 0.0,
            "channel_accuracy": round(self.channel_right / self.n_channel, 3) if self.n_channel else 0.0,
            "n_gold": self.n_gold,
            "n_pred": self.n_pred,
            "n_matched": self.n_matched,
            "n_gold_channel": self.n_channel,
        }
        for kind in sorted(self.gold_by_kind):
            g = self.gold_by_kind[kind]
            out[f"recall_{kind}"] = round(self.matched_by_kind.get(kind, 0) / g, 3) if g else 0.0
        return out


def same_name(pred: str | None, gold: str | None) -> bool:
    """Right when ``pred`` equals the gold name or the gold name's last word, case-insensitive."""
    p = " ".join((pred or UNKNOWN).split()).casefold() or UNKNOWN.casefold()
    g = " ".join((gold or UNKNOWN).split()).casefold() or UNKNOWN.casefold()
    return p == g or p == g.split()[-1]


def match(pred: list[QuoteItem], gold: list[QuoteItem]) -> list[tuple[int, int]]:
    """One-to-one greedy matching in order: (pred index, gold index) pairs."""
    p_order = sorted(range(len(pred)), key=lambda i: (pred[i].start, pred[i].end))
    g_order = sorted(range(len(gold)), key=lambda j: (gold[j].start, gold[j].end))
    used: set[int] = set()
    pairs = []
    for i in p_order:
        p = pred[i]
        for j in g_order:
            if j in used:
                continue
            g = gold[j]
            overlap = min(p.end, g.end) - max(p.start, g.start)
            shorter = min(p.end - p.start, g.end - g.start)
            if overlap > 0 and overlap * 2 >= shorter:
                used.add(j)
                pairs.append((i, j))
                break
    return pairs


def score_article(pred: list[QuoteItem], gold: list[QuoteItem], article_id: str = "") -> QuoteScores:
    s = QuoteScores(n_gold=len(gold), n_pred=len(pred))
    for g in gold:
        s.gold_by_kind[g.kind] = s.gold_by_kind.get(g.kind, 0) + 1
    for i, j in match(pred, gold):
        p, g = pred[i], gold[j]
        s.n_matched += 1
        s.matched_by_kind[g.kind] = s.matched_by_kind.get(g.kind, 0) + 1
        if same_name(p.speaker, g.speaker):
            s.speaker_right += 1
        else:
            s.errors.append({"id": article_id, "start": g.start, "gold": g.speaker, "pred": p.speaker,
                             "what": "speaker"})
        if g.channel:
            s.n_channel += 1
            if same_name(p.channel, g.channel):
                s.channel_right += 1
    return s


def score(pred: dict[str, list[QuoteItem]], gold: dict[str, list[QuoteItem]]) -> QuoteScores:
    """Scores over all gold articles (predictions for articles not in the gold are ignored)."""
    total = QuoteScores()
    for article_id in gold:
        total.add(score_article(pred.get(article_id, []), gold[article_id], article_id))
    return total


def _open(path: str):
    if str(path).endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8")
    return open(path, encoding="utf-8")


def read_items_file(path: str) -> dict[str, list[QuoteItem]]:
    """A gold or predictions file: one ``{"id", "quotes": [...]}`` object per line."""
    out: dict[str, list[QuoteItem]] = {}
    try:
        handle = _open(path)
    except OSError as exc:
        raise NewsloomError(f"{path}: cannot read quotes file ({exc.strerror or exc})") from exc
    with handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                items = [QuoteItem(int(q["start"]), int(q["end"]), q.get("kind") or "", q.get("speaker"),
                                   q.get("channel"), q.get("text") or "") for q in record["quotes"]]
                out[str(record["id"])] = items
            except (ValueError, KeyError, TypeError) as exc:
                raise NewsloomError(f"{path}:{number}: not a quotes record ({exc})") from exc
    return out


def read_articles(path: str, ids: set[str]) -> dict[str, dict]:
    """The records of ``ids`` from a JSON Lines file (gzip allowed); stops once all are found."""
    found: dict[str, dict] = {}
    try:
        handle = _open(path)
    except OSError as exc:
        raise NewsloomError(f"{path}: cannot read articles ({exc.strerror or exc})") from exc
    with handle:
        for line in handle:
            if not line.strip():
                continue
            # cheap test before parsing the whole line
            head = line[:200]
            if '"id"' in head and not any(f'"{i}"' in head for i in ids):
                continue
            try:
                record = json.loads(line)
            except ValueError:
                continue
            article_id = str(record.get("id", ""))
            if article_id in ids:
                found[article_id] = record
                if len(found) == len(ids):
                    break
    return found


def predict(records: dict[str, dict]) -> dict[str, list[QuoteItem]]:
    """Run newsloom's per-article analysis on each record and keep its quotes."""
    from dataclasses import replace

    from newsloom.ingest.readers import build_article
    from newsloom.nlp.analyze import analyze
    from newsloom.records import Article

    out = {}
    for article_id, record in records.items():
        article = build_article(record, path=article_id, line=None)
        if not isinstance(article, Article):
            raise NewsloomError(f"article {article_id}: {article.reason}")
        # the gold's offsets are into the record's own text: analyse exactly that text
        text = record.get("text")
        if isinstance(text, str) and text != article.text:
            article = replace(article, text=text)
        analysis = analyze(article)
        out[article_id] = [QuoteItem(q.start, q.end, q.kind, q.speaker, q.channel, q.text) for q in analysis.quotes]
    return out


def evaluate_quotes(gold_path: str, articles_path: str | None = None, predictions_path: str | None = None,
                    keep_errors: bool = False) -> dict:
    gold = read_items_file(gold_path)
    if predictions_path:
        pred = read_items_file(predictions_path)
    else:
        if articles_path is None:
            articles_path = str(default_articles_path())
        records = read_articles(articles_path, set(gold))
        missing = sorted(set(gold) - set(records))
        if missing:
            raise NewsloomError(f"{articles_path}: {len(missing)} gold article(s) not found, e.g. {missing[0]}")
        pred = predict(records)
    scores = score(pred, gold)
    out = scores.summary()
    out["n_articles"] = len(gold)
    if keep_errors:
        out["errors"] = scores.errors
    return out


def default_articles_path() -> Path:
    """``../shared/data/fang-covid/articles.jsonl.gz`` beside the working directory's repository."""
    here = Path.cwd()
    for base in (here, *here.parents):
        candidate = base.parent / "shared" / "data" / "fang-covid" / "articles.jsonl.gz"
        if (base / "pyproject.toml").exists() and candidate.exists():
            return candidate
    return Path("..") / "shared" / "data" / "fang-covid" / "articles.jsonl.gz"
