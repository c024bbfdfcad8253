"""The per-article work that any executor runs: pure functions of their arguments, safe to ship to a worker.

``analyse_chunk`` turns a list of articles into one result per article: an ``Analysis`` with everything the
ingest needs (lead counts, search text, near-duplicate fingerprint), or an ``InputProblem`` naming the
article's file and line when its analysis failed (the rest of the chunk goes on). ``read_and_analyse`` reads a
byte range of a JSON Lines file itself (for workers that reach the input) and analyses what it read.
"""
from __future__ import annotations

import dataclasses
import gc
from collections.abc import Iterator
from dataclasses import dataclass

from newsloom import errors, searchtext, settings
from newsloom.cluster.features import lead_counts
from newsloom.errors import InputProblem
from newsloom.ingest import dedup
from newsloom.ingest.readers import jsonl_lines
from newsloom.nlp.analyze import analyze_many
from newsloom.records import Analysis, Article

Result = Analysis | InputProblem
Pair = tuple[Article | None, Result]


@dataclass(frozen=True)
class Partition:
    """A byte range of an uncompressed JSON Lines file: ``[start, end)``, starting at line ``first_line``."""

    path: str
    start: int
    end: int
    first_line: int


def use_ner_engine(name: str | None) -> None:
    """Make this process tag with ``name`` (a worker process does not see the client's settings)."""
    if name and settings.INGEST.ner_engine != name:
        settings.INGEST = dataclasses.replace(settings.INGEST, ner_engine=name)


def where(article: Article) -> tuple[str, int | None]:
    """(file, line) of an article from its ``source`` ("path:line" or "path")."""
    path, _, tail = article.source.rpartition(":")
    if path and tail.isdigit():
        return path, int(tail)
    return article.source or article.id, None


def finish(article: Article, analysis: Analysis) -> Analysis:
    """Add what the ingest needs beyond ``analyze`` and drop what it does not (sentences: costly to ship)."""
    analysis.lead_counts = lead_counts(analysis)
    analysis.search_text = (
        searchtext.lemma_text(article.title),
        " ".join([t.lemma.casefold() for s in analysis.sentences for t in s.tokens if t.text[:1].isalnum()]),
    )
    analysis.fingerprint = dedup.signature(article.text).tobytes()
    analysis.sentences = []
    return analysis


def failed(article: Article, exc: BaseException) -> InputProblem:
    path, line = where(article)
    reason = f"analysis failed for article {article.id!r}: {type(exc).__name__}: {exc}"
    return InputProblem(errors.E_ANALYSIS, path, line, reason[:500])


_threads_limited: list[bool] = []


def one_thread_per_process() -> None:
    """Numeric libraries in an analysis process use one thread: the processes already fill the cores, and
    OpenBLAS threads fighting over them cost 2x CPU time on the tagger's small matrices (measured)."""
    if not _threads_limited:
        _threads_limited.append(True)
        try:
            from threadpoolctl import threadpool_limits
        except ImportError:
            return
        threadpool_limits(1)


# Container allocations between two young-generation collections in an analysis process (Python's default: 700).
GC_YOUNG_THRESHOLD = 50_000


def fewer_collections() -> None:
    """Let the cyclic garbage collector run less often in an analysis process. The analysis allocates millions of
    small objects per 1,000 articles (tokens, tuples, feature lists), almost none in reference cycles, and with the
    default threshold the collector's repeated scans of everything alive (models and word caches included) cost
    about 2 ms of CPU per article (measured: ``bench/analysis_speed.py``, docs/benchmarks.md, issue 12). Results
    are unchanged; garbage in cycles is still collected, in larger batches."""
    young, middle, old = gc.get_threshold()
    if 0 < young < GC_YOUNG_THRESHOLD:
        gc.set_threshold(GC_YOUNG_THRESHOLD, middle, old)


def analyse_chunk(articles: list[Article], ner_engine: str | None = None) -> list[Result]:
    """One result per article, in order; a failing article becomes an ``InputProblem`` (never raises)."""
    one_thread_per_process()
    fewer_collections()
    use_ner_engine(ner_engine)
    try:
        analyses = analyze_many(articles)
    except Exception:  # noqa: BLE001 -- one bad article in the batch: analyse one by one to find it
        analyses = None
    out: list[Result] = []
    for k, article in enumerate(articles):
        try:
            analysis = analyses[k] if analyses is not None else analyze_many([article])[0]
            out.append(finish(article, analysis))
        except Exception as exc:  # noqa: BLE001 -- reported like any bad input, the rest goes on
            out.append(failed(article, exc))
    return out


def read_partition(part: Partition) -> Iterator[Article | InputProblem]:
    """Articles (or problems) of one byte range of a JSON Lines file, with absolute line numbers."""
    with open(part.path, "rb") as handle:
        handle.seek(part.start)
        data = handle.read(part.end - part.start)
    yield from jsonl_lines(part.path, data.split(b"\n"), part.first_line)


def read_and_analyse(part: Partition, ner_engine: str | None = None, chunk: int = 64) -> list[Pair]:
    """Read one partition and analyse it: ``(article, result)`` per article read, ``(None, problem)`` per line
    that could not be read, in the order of the file."""
    out: list[Pair] = []
    pending: list[Article] = []

    def flush() -> None:
        out.extend(zip(pending, analyse_chunk(pending, ner_engine)))
        pending.clear()

    for item in read_partition(part):
        if isinstance(item, InputProblem):
            flush()
            out.append((None, item))
        else:
            pending.append(item)
            if len(pending) >= chunk:
                flush()
    flush()
    return out


def warm_up() -> None:
    """Load gazetteers and taggers in this process (before forking workers that share them)."""
    analyse_chunk([Article(id="warm-up", title="Probe", published=None,
                           text="Der Präsident Max Muster sagte am Mittwoch in Berlin, man sei bereit.")])
