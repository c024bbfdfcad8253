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
    # an event never takes an article this many days after its first one (a happening lasts a few days;
    # a subject that grows for weeks is a storyline)
    max_event_days: float = 4.0
    # candidates (best first-stage scores) that the learned event model ranks per article
    rank_candidates: int = 20
    # with the model, in a store of fewer than ``small_store_articles`` articles (too few to weigh terms by; the
    # model learnt on streams of thousands), an article still joins an event whose first-stage score reaches
    # ``confident_join`` (the join threshold without the model), never active in the labelled windows' streams
    confident_join: float = 0.2
    small_store_articles: int = 1000


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


@dataclass(frozen=True)
class WatchSettings:
    """``newsloom watch``: polling feeds (newsloom.watch)."""

    interval_s: float = 900.0  # a feed is polled this often while it works
    max_backoff_s: float = 6 * 3600.0  # a failing feed waits interval * 2**(failures-1), at most this long
    host_delay_s: float = 1.0  # polite gap between two requests to one host (robots.txt Crawl-delay may raise it)
    max_host_delay_s: float = 30.0  # a Crawl-delay above this is capped
    connect_timeout_s: float = 10.0
    read_timeout_s: float = 20.0
    total_timeout_s: float = 40.0  # a whole request, however slowly the bytes trickle in
    max_feed_bytes: int = 10_000_000
    max_page_bytes: int = 5_000_000
    max_redirects: int = 5
    workers: int = 8  # requests in flight (different hosts in parallel; one host is rate-limited)
    max_items_per_feed: int = 300  # newest entries read from one feed document
    flush_items: int = 50  # fetched items handed to the ingest together
    flush_seconds: float = 10.0  # ... or after this long
    robots_ttl_s: float = 3600.0  # robots.txt is re-read after this long
    robots_retry_s: float = 300.0  # an unreachable robots.txt (5xx, network) disallows the host for this long
    min_page_chars: int = 200  # a page whose extracted text is shorter than this falls back to the feed summary
    webhook_timeout_s: float = 10.0
    alert_attempts: int = 5  # a webhook that keeps failing is given up on after this many tries per alert
    max_claim_alerts: int = 5  # new-claim alerts per event and ingest flush
    # the analysis's per-word memos (newsloom.nlp.memo) are emptied after an ingest chunk once they hold more results
    # than this (about 250 bytes each): months of new words do not fill them to their bounds (millions)
    analysis_memo_entries: int = 50_000
    user_agent: str = "newsloom-watch/0.1 (news feed reader; respects robots.txt)"


WATCH = WatchSettings()
