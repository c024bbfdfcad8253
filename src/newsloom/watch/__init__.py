"""Following feeds as news happens: ``newsloom watch FEEDS``.

- ``feeds``: the feeds file (one URL a line, optional outlet name) or OPML -> ``FeedSpec``s
- ``fetch``: HTTP with connection pooling, per-host politeness, robots.txt, conditional requests, timeouts
- ``items``: a feed document -> ``FeedItem``s (feedparser); an article page -> text (trafilatura)
- ``poller``: the polling loop; fetched items go into the same ingest as files (``Newsloom.ingest``)
- ``alerts``: watches (entities, queries) matched against new and changed events; webhook / JSON Lines delivery
"""
