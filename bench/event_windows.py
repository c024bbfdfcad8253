"""The three labelled FANG-COVID windows, each inside a stream: the window's two days with the 21 days before them.

Shared by ``bench/eval_gate.py`` (events part), ``bench/events_windows.py`` and ``scripts/train_event_model.py``.
One pass over the corpus writes the three stream files; each stream is analysed once (cached under /tmp by
file name and modification time); clustering runs the ingest's own ``Ingestor`` over the analysed articles.

    .venv/bin/python bench/event_windows.py [--shared ../shared] [--context-days 21]
"""
from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import pickle
import tempfile
from dataclasses import dataclass
from pathlib import Path

from newsloom.eval.clustering import clustering_scores, read_gold

REPO = Path(__file__).resolve().parents[1]
CONTEXT_DAYS = 21


@dataclass(frozen=True)
class Window:
    name: str  # short label used in reports and pins
    first: str  # first labelled day
    last: str  # last labelled day
    gold_file: str

    def stream_first(self, context_days: int = CONTEXT_DAYS) -> str:
        return (dt.date.fromisoformat(self.first) - dt.timedelta(days=context_days)).isoformat()


WINDOWS = (
    Window("2020-04-15_16", "2020-04-15", "2020-04-16", "events_dev_2020-04-15_16.tsv"),
    Window("2020-10-28_29", "2020-10-28", "2020-10-29", "events_dev_2020-10-28_29.tsv"),
    Window("2021-02-10_11", "2021-02-10", "2021-02-11", "events_dev_2021-02-10_11.tsv"),
)


def corpus_path(shared: Path) -> Path:
    return Path(shared) / "data" / "fang-covid" / "articles.jsonl.gz"


def gold_of(shared: Path, window: Window) -> dict[str, str]:
    return read_gold(str(Path(shared) / "data" / "fang-covid" / window.gold_file))


def write_streams(shared: Path, folder: Path, context_days: int = CONTEXT_DAYS,
                  windows=WINDOWS) -> dict[str, Path]:
    """One pass over the corpus: ``{window name: JSON Lines file of its stream}`` (kept when already written)."""
    folder.mkdir(parents=True, exist_ok=True)
    targets = {w.name: folder / f"stream_{w.name}_{context_days}d.jsonl" for w in windows}
    if all(p.exists() for p in targets.values()):
        return targets
    ranges = [(w.stream_first(context_days), w.last, w.name) for w in windows]
    sinks = {name: open(str(targets[name]) + ".part", "w", encoding="utf-8") for *_, name in ranges}
    try:
        with gzip.open(corpus_path(shared), "rt", encoding="utf-8") as source:
            for line in source:
                day = json.loads(line).get("date", "")[:10]
                for first, last, name in ranges:
                    if first <= day <= last:
                        sinks[name].write(line)
    finally:
        for sink in sinks.values():
            sink.close()
    for name, target in targets.items():
        os.replace(str(target) + ".part", target)
    return targets


def analysis_version() -> str:
    """A digest of the code that analyses articles, so that a cached analysis never outlives a change to it."""
    import hashlib

    import newsloom

    root = Path(newsloom.__file__).parent
    digest = hashlib.sha1()
    for path in sorted([*root.glob("nlp/*.py"), *root.glob("ingest/*.py"), *root.glob("models/ner*"),
                        root / "records.py", root / "pipeline.py"]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def analyse_pairs(articles: list) -> list:
    """``[(Article, Analysis)]`` for one chunk, by the ingest's own per-article work (batched tagging)."""
    from newsloom.engine.work import analyse_chunk
    from newsloom.errors import InputProblem

    results = analyse_chunk(articles)
    bad = [r for r in results if isinstance(r, InputProblem)]
    if bad:
        raise RuntimeError(f"analysis failed: {bad[0]}")
    return list(zip(articles, results))


def analysed(path: Path, workers: int = 2, cache: bool = True):
    """``[(Article, Analysis)]`` in arrival (publication) order, exactly as the ingest analyses them
    (cached under /tmp by stream file and analysis code digest)."""
    from newsloom.ingest.readers import day_key, read_paths
    from newsloom.engine.work import warm_up
    from newsloom.records import Article

    path = Path(path)
    cached = Path(tempfile.gettempdir()) / f"newsloom-analysed-{path.name}-{path.stat().st_size}-{analysis_version()}.pkl"
    if cache and cached.exists():
        with open(cached, "rb") as handle:
            return pickle.load(handle)
    articles = [a for a in read_paths([str(path)]) if isinstance(a, Article)]
    articles.sort(key=lambda a: (day_key(a), a.id))
    chunks = [articles[k:k + 32] for k in range(0, len(articles), 32)]
    if workers > 1:
        from multiprocessing import get_context

        warm_up()
        with get_context("fork").Pool(workers) as pool:
            pairs = [pair for done in pool.map(analyse_pairs, chunks) for pair in done]
    else:
        pairs = [pair for chunk in chunks for pair in analyse_pairs(chunk)]
    if cache:
        with open(str(cached) + ".part", "wb") as handle:
            pickle.dump(pairs, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(str(cached) + ".part", cached)
    return pairs


def cluster_stream(pairs, cluster_settings=None, model="default") -> dict[str, str]:
    """article id -> event id after the ingest's clustering of ``pairs`` (store writes included).

    ``model``: an ``EventModel``, None (first-stage score and join threshold only) or "default" (shipped)."""
    from newsloom.pipeline import IngestReport, Ingestor
    from newsloom.store.sqlite import Store

    with tempfile.TemporaryDirectory() as folder:
        store = Store(os.path.join(folder, "t.db"))
        ingestor = Ingestor(store)
        if cluster_settings is not None:
            ingestor.clusterer.settings = cluster_settings
            ingestor.linker.settings = cluster_settings
        if model != "default":
            ingestor.clusterer.model = model
        report = IngestReport()
        for i in range(0, len(pairs), 500):
            ingestor.process_batch(pairs[i: i + 500], report)
        pred = {}
        for article_id, event_id in store.all_assignments().items():
            pred[article_id] = ingestor.clusterer.resolve(event_id)
        store.close()
    return pred


def in_window(pairs, window: Window):
    return [(a, x) for a, x in pairs if a.published is not None
            and window.first <= a.published.start.date().isoformat() <= window.last]


def baseline(pairs, threshold: float = 0.8) -> dict[str, str]:
    """TF-IDF over lemmas (+ title lemmas) and average-linkage agglomerative clustering on cosine distance."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = [" ".join(" ".join([term] * count) for term, count in analysis.lemma_counts.items()) + " "
            + " ".join(analysis.title_lemmas) for _, analysis in pairs]
    matrix = TfidfVectorizer(token_pattern=r"\S+", sublinear_tf=True).fit_transform(docs).toarray()
    labels = AgglomerativeClustering(
        n_clusters=None, distance_threshold=threshold, metric="cosine", linkage="average",
    ).fit_predict(matrix)
    return {article.id: f"c{label}" for (article, _), label in zip(pairs, labels)}


FIGURES = ("bcubed_f1", "pairwise_f1", "bcubed_p", "bcubed_r", "pairwise_p", "pairwise_r")


def mean_row(rows: list[dict]) -> dict:
    return {f: round(sum(r[f] for r in rows) / len(rows), 4) for f in FIGURES}


def evaluate(shared: Path, streams: dict[str, Path], *, model="default", cluster_settings=None, alone: bool = True,
             with_baseline: bool = True, baseline_threshold: float = 0.8, workers: int = 2,
             cache: bool = True, windows=WINDOWS) -> dict:
    """Per window: newsloom inside its stream (and alone), the baseline on the window; plus the means."""
    result: dict = {}
    for window in windows:
        pairs = analysed(streams[window.name], workers=workers, cache=cache)
        gold = gold_of(shared, window)
        row = {"stream_articles": len(pairs)}
        row["stream"] = clustering_scores(cluster_stream(pairs, cluster_settings, model), gold)
        own = in_window(pairs, window)
        if alone:
            row["alone"] = clustering_scores(cluster_stream(own, cluster_settings, model), gold)
        if with_baseline:
            row["baseline"] = clustering_scores(baseline(own, baseline_threshold), gold)
        result[window.name] = row
    for part in ("stream", "alone", "baseline"):
        rows = [result[w.name][part] for w in windows if part in result[w.name]]
        if rows:
            result.setdefault("mean", {})[part] = mean_row(rows)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=str(REPO.parent / "shared"))
    parser.add_argument("--folder", default=os.path.join(tempfile.gettempdir(), "newsloom-event-streams"))
    parser.add_argument("--context-days", type=int, default=CONTEXT_DAYS)
    parser.add_argument("--no-alone", action="store_true")
    args = parser.parse_args()
    streams = write_streams(Path(args.shared), Path(args.folder), args.context_days)
    result = evaluate(Path(args.shared), streams, alone=not args.no_alone)
    for name, row in result.items():
        for part, scores in row.items():
            if isinstance(scores, dict):
                print(f"{name:<14} {part:<8} BCubed {scores['bcubed_f1']:.3f}  pairwise {scores['pairwise_f1']:.3f}"
                      f"  (P {scores['pairwise_p']:.3f} R {scores['pairwise_r']:.3f})")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
