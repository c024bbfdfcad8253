"""All tunable settings in one place."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class IngestSettings:
    max_file_bytes: int = 10_000_000  # a single text/HTML file above this is refused
    max_article_chars: int = 1_000_000  # an article longer than this is refused
    min_article_chars: int = 20
    batch_size: int = 500  # articles per store transaction
    near_duplicate_jaccard: float = 0.8  # shingle overlap above which two texts are copies
    shingle_size: int = 5
    # named-entity tagger over each article's lead (``newsloom.nlp.ner_model.ENGINES``): "crf" keeps the whole
    # 41,075-article benchmark ingest near its 10-minute bound on 2 cores (18.6 ms of analysis per article);
    # "ensemble" is the most accurate (GermEval dev F1 0.788 against 0.753) at 32.4 ms (bench/ner_engines.py)
    ner_engine: str = "crf"


@dataclass(frozen=True)
class ClusterSettings:
    # an article joins the best candidate event when the score clears this threshold
    join_threshold: float = 0.2
    # events further apart than this (days between their time spans) are never candidates
    max_gap_days: float = 2.5
    # events that ended longer ago than this (before the newest article) leave memory; they stay in the store
    event_memory_days: float = 10.0
    # how many recent events the candidate index keeps per term
    postings_per_term: int = 64
    # terms looked up per article
    query_terms: int = 25
    # storylines
    storyline_threshold: float = 0.14
    storyline_max_gap_days: float = 75.0
    # an event's entity/term profile keeps at most this many entries
    profile_size: int = 300
    # an article that fits several events merges those whose profiles agree this much (cosine of centroids)
    merge_threshold: float = 0.5
    merge_candidates: int = 5


@dataclass(frozen=True)
class EngineSettings:
    """Where the per-article analysis runs (``newsloom.engine``): the local pool or a Dask cluster."""

    chunk_articles: int = 32  # articles per task (one batch of NER over their sentences)
    partition_bytes: int = 4_000_000  # byte range of an uncompressed JSON Lines file that one worker reads itself
    connect_timeout_s: float = 10.0  # a Dask scheduler that does not answer within this is an error
    no_workers_timeout_s: float = 30.0  # a scheduler without any worker for this long is an error
    tasks_per_worker: int = 3  # tasks in flight per worker (results come back in order)


INGEST = IngestSettings()
ENGINE = EngineSettings()
CLUSTER = ClusterSettings()
