-- newsloom store, schema version 1. Migrations live in newsloom/store/sqlite.py (MIGRATIONS).
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE IF NOT EXISTS articles (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,      -- arrival order
    id TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    published_start TEXT,
    published_end TEXT,
    precision TEXT,
    outlet TEXT NOT NULL,
    outlet_evidence TEXT NOT NULL,
    url TEXT,
    lang TEXT NOT NULL,
    source TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    duplicate_of TEXT,                          -- id of the earlier article this one copies (wire copy)
    duplicate_kind TEXT                         -- "exact" or "near"
);
CREATE INDEX IF NOT EXISTS articles_hash ON articles(text_hash);
CREATE INDEX IF NOT EXISTS articles_published ON articles(published_start);
CREATE INDEX IF NOT EXISTS articles_outlet ON articles(outlet);

CREATE TABLE IF NOT EXISTS signatures (article_id TEXT PRIMARY KEY, sig BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS lsh_buckets (bucket INTEGER NOT NULL, article_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS lsh_bucket_idx ON lsh_buckets(bucket);

CREATE TABLE IF NOT EXISTS entities (
    id TEXT PRIMARY KEY,                        -- canonical key, e.g. "PER:wladimir putin"
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    redirect_to TEXT                            -- set when merged into another entity
);
CREATE TABLE IF NOT EXISTS entity_aliases (alias TEXT PRIMARY KEY, entity_id TEXT NOT NULL);

CREATE TABLE IF NOT EXISTS mentions (
    article_id TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    kind TEXT NOT NULL,
    role TEXT
);
CREATE INDEX IF NOT EXISTS mentions_article ON mentions(article_id);
CREATE INDEX IF NOT EXISTS mentions_entity ON mentions(entity_id);

CREATE TABLE IF NOT EXISTS date_mentions (
    article_id TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    span_start TEXT NOT NULL,
    span_end TEXT NOT NULL,
    precision TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS date_mentions_article ON date_mentions(article_id);

CREATE TABLE IF NOT EXISTS quotes (
    article_id TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    kind TEXT NOT NULL,
    speaker TEXT,
    speaker_key TEXT,
    channel TEXT,
    channel_key TEXT,
    verb TEXT
);
CREATE INDEX IF NOT EXISTS quotes_article ON quotes(article_id);
CREATE INDEX IF NOT EXISTS quotes_speaker ON quotes(speaker_key);

CREATE TABLE IF NOT EXISTS events (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    start TEXT,
    end TEXT,
    precision TEXT,
    storyline_id TEXT,
    redirect_to TEXT,                           -- set when merged into another event
    n_articles INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL                         -- JSON: the clustering profile
);
CREATE INDEX IF NOT EXISTS events_start ON events(start);
CREATE INDEX IF NOT EXISTS events_storyline ON events(storyline_id);

CREATE TABLE IF NOT EXISTS event_articles (
    article_id TEXT PRIMARY KEY,
    event_id TEXT NOT NULL,
    score REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS event_articles_event ON event_articles(event_id);

CREATE TABLE IF NOT EXISTS storylines (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    start TEXT,
    end TEXT,
    state TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS term_stats (term TEXT PRIMARY KEY, df INTEGER NOT NULL);
