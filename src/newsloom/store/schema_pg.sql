-- newsloom store on PostgreSQL, at schema version 5 (the SQLite store's schema.sql plus its migrations 2-5).
-- Text columns compare byte by byte (COLLATE "C"), as SQLite does, so that both stores sort alike.
CREATE TABLE IF NOT EXISTS meta (key TEXT COLLATE "C" PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE IF NOT EXISTS articles (
    seq BIGSERIAL PRIMARY KEY,
    id TEXT COLLATE "C" NOT NULL UNIQUE,
    title TEXT COLLATE "C" NOT NULL,
    text TEXT COLLATE "C" NOT NULL,
    published_start TEXT COLLATE "C",
    published_end TEXT COLLATE "C",
    precision TEXT COLLATE "C",
    outlet TEXT COLLATE "C" NOT NULL,
    outlet_evidence TEXT COLLATE "C" NOT NULL,
    url TEXT COLLATE "C",
    lang TEXT COLLATE "C" NOT NULL,
    source TEXT COLLATE "C" NOT NULL,
    text_hash TEXT COLLATE "C" NOT NULL,
    duplicate_of TEXT COLLATE "C",
    duplicate_kind TEXT COLLATE "C"
);
CREATE INDEX IF NOT EXISTS articles_hash ON articles(text_hash);
CREATE INDEX IF NOT EXISTS articles_published ON articles(published_start);
CREATE INDEX IF NOT EXISTS articles_duplicate_of ON articles(duplicate_of);
CREATE INDEX IF NOT EXISTS articles_id_meta ON articles(id, seq, outlet, published_start, published_end);
CREATE INDEX IF NOT EXISTS articles_outlet_span ON articles(outlet, published_start, published_end, id);

CREATE TABLE IF NOT EXISTS signatures (article_id TEXT COLLATE "C" PRIMARY KEY, sig BYTEA NOT NULL);
CREATE TABLE IF NOT EXISTS lsh_buckets (bucket BIGINT NOT NULL, article_id TEXT COLLATE "C" NOT NULL);
CREATE INDEX IF NOT EXISTS lsh_bucket_idx ON lsh_buckets(bucket);

CREATE TABLE IF NOT EXISTS entities (
    id TEXT COLLATE "C" PRIMARY KEY,
    name TEXT COLLATE "C" NOT NULL,
    type TEXT COLLATE "C" NOT NULL,
    redirect_to TEXT COLLATE "C"
);
CREATE INDEX IF NOT EXISTS entities_lower_name ON entities(lower(name));
CREATE TABLE IF NOT EXISTS entity_aliases (alias TEXT COLLATE "C" PRIMARY KEY, entity_id TEXT COLLATE "C" NOT NULL);
CREATE INDEX IF NOT EXISTS entity_aliases_entity ON entity_aliases(entity_id);

CREATE TABLE IF NOT EXISTS mentions (
    article_id TEXT COLLATE "C" NOT NULL,
    entity_id TEXT COLLATE "C" NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT COLLATE "C" NOT NULL,
    kind TEXT COLLATE "C" NOT NULL,
    role TEXT COLLATE "C"
);
CREATE INDEX IF NOT EXISTS mentions_article ON mentions(article_id);
CREATE INDEX IF NOT EXISTS mentions_entity_article ON mentions(entity_id, article_id, text);

CREATE TABLE IF NOT EXISTS date_mentions (
    article_id TEXT COLLATE "C" NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT COLLATE "C" NOT NULL,
    span_start TEXT COLLATE "C" NOT NULL,
    span_end TEXT COLLATE "C" NOT NULL,
    precision TEXT COLLATE "C" NOT NULL
);
CREATE INDEX IF NOT EXISTS date_mentions_span ON date_mentions(article_id, span_start);

CREATE TABLE IF NOT EXISTS quotes (
    article_id TEXT COLLATE "C" NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT COLLATE "C" NOT NULL,
    kind TEXT COLLATE "C" NOT NULL,
    speaker TEXT COLLATE "C",
    speaker_key TEXT COLLATE "C",
    channel TEXT COLLATE "C",
    channel_key TEXT COLLATE "C",
    verb TEXT COLLATE "C"
);
CREATE INDEX IF NOT EXISTS quotes_article ON quotes(article_id);
CREATE INDEX IF NOT EXISTS quotes_speaker ON quotes(speaker_key);
CREATE INDEX IF NOT EXISTS quotes_channel ON quotes(channel_key);

CREATE TABLE IF NOT EXISTS events (
    id TEXT COLLATE "C" PRIMARY KEY,
    title TEXT COLLATE "C" NOT NULL,
    start TEXT COLLATE "C",
    "end" TEXT COLLATE "C",
    precision TEXT COLLATE "C",
    storyline_id TEXT COLLATE "C",
    redirect_to TEXT COLLATE "C",
    n_articles INTEGER NOT NULL DEFAULT 0,
    state TEXT COLLATE "C" NOT NULL
);
CREATE INDEX IF NOT EXISTS events_start ON events(start);
CREATE INDEX IF NOT EXISTS events_live_start ON events(redirect_to, start);
CREATE INDEX IF NOT EXISTS events_storyline_live ON events(storyline_id, redirect_to, start, "end");

CREATE TABLE IF NOT EXISTS event_articles (
    article_id TEXT COLLATE "C" PRIMARY KEY,
    event_id TEXT COLLATE "C" NOT NULL,
    score DOUBLE PRECISION NOT NULL
);
CREATE INDEX IF NOT EXISTS event_articles_event_article ON event_articles(event_id, article_id);

CREATE TABLE IF NOT EXISTS storylines (
    id TEXT COLLATE "C" PRIMARY KEY,
    title TEXT COLLATE "C" NOT NULL,
    start TEXT COLLATE "C",
    "end" TEXT COLLATE "C",
    state TEXT COLLATE "C" NOT NULL
);

CREATE TABLE IF NOT EXISTS term_stats (term TEXT COLLATE "C" PRIMARY KEY, df INTEGER NOT NULL);

CREATE TABLE IF NOT EXISTS comparison_cache (
    event_id TEXT COLLATE "C" PRIMARY KEY, n_articles INTEGER NOT NULL, version INTEGER NOT NULL,
    json TEXT COLLATE "C" NOT NULL);

CREATE TABLE IF NOT EXISTS entity_stats (
    entity_id TEXT COLLATE "C" PRIMARY KEY, mentions INTEGER NOT NULL, articles INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS entity_outlets (
    entity_id TEXT COLLATE "C" NOT NULL, outlet TEXT COLLATE "C" NOT NULL, articles INTEGER NOT NULL,
    PRIMARY KEY (entity_id, outlet));

CREATE TABLE IF NOT EXISTS cluster_state (id INTEGER PRIMARY KEY CHECK (id = 1), state BYTEA NOT NULL);
ALTER TABLE cluster_state ALTER COLUMN state SET STORAGE EXTERNAL;  -- compressed already (zlib)

-- full-text search: each article's lemma title (weight A) and lemma text (weight D), as newsloom lemmatised them
CREATE TABLE IF NOT EXISTS article_search (seq BIGINT PRIMARY KEY, doc TSVECTOR NOT NULL);
CREATE INDEX IF NOT EXISTS article_search_doc ON article_search USING GIN (doc)
