"""newsloom watch against a local feed server: polling, restarts, failures, duplicates, robots.txt."""
from __future__ import annotations

import time

import pytest
from feedserver import atom, demo_articles, make_watcher, publish, rdf, rss

from newsloom.watch.feeds import FeedSpec, read_feed_list


def _stored_ids(watcher) -> list[str]:
    return [a.id for a in watcher.loom.articles(limit=None)]


def test_rss_atom_rdf_items_are_fetched_extracted_and_clustered(feed_server, test_settings, store_paths):
    feeds = [
        FeedSpec(feed_server.set("/rss.xml", rss(publish(feed_server, ["demo-004", "demo-007"])),
                                 content_type="application/rss+xml"), "Wirtschaftsfenster"),
        FeedSpec(feed_server.set("/atom.xml", atom(publish(feed_server, ["demo-005", "demo-008"])),
                                 content_type="application/atom+xml"), "Mitteldeutscher Morgen"),
        FeedSpec(feed_server.set("/rdf.xml", rdf(publish(feed_server, ["demo-006", "demo-009"])),
                                 content_type="application/rdf+xml"), None),
    ]
    watcher = make_watcher(store_paths, test_settings)
    watcher.sync(feeds)
    report = watcher.poll()
    assert (report.feeds_polled, report.feeds_ok, report.feeds_failed) == (3, 3, 0)
    assert report.items_new == 6 and report.stored == 6 and report.items_from_summary == 0, report
    articles = {a.title: a for a in watcher.loom.articles(limit=None, with_text=True)}
    corpus = demo_articles()
    kalmbach = articles[corpus["demo-004"]["title"]]
    assert kalmbach.outlet == "Wirtschaftsfenster"
    assert corpus["demo-004"]["text"].split("\n")[1][:60] in kalmbach.text  # the page's text, not the summary
    assert kalmbach.published.startswith("2025-09-03T09:10")  # the feed's date, wall-clock time as given
    assert articles[corpus["demo-006"]["title"]].outlet == "127.0.0.1"  # no name given: the feed's host
    # the three Kalmbach articles form one event, the three vaccine articles another
    events = watcher.loom.events()
    assert sorted(len(e.articles) for e in events) == [3, 3]
    assert {len(e.outlets) for e in events} == {3}
    watcher.close()


def test_new_items_between_polls_and_nothing_twice_across_restarts(feed_server, test_settings, store_paths):
    first = publish(feed_server, ["demo-015", "demo-016"])
    feed = feed_server.set("/feed.xml", rss(first))
    watcher = make_watcher(store_paths, test_settings)
    watcher.sync([FeedSpec(feed, "Nordhafen Rundschau")])
    assert watcher.poll().stored == 2
    # a new item appears
    feed_server.set("/feed.xml", rss(publish(feed_server, ["demo-017"]) + first))
    report = watcher.poll(ignore_interval=True)
    assert (report.items_new, report.items_known, report.stored) == (1, 2, 1)
    watcher.close()
    # a restart: a new process on the same store fetches no page again and stores nothing twice
    restarted = make_watcher(store_paths, test_settings)
    restarted.sync([FeedSpec(feed, "Nordhafen Rundschau")])
    report = restarted.poll(ignore_interval=True)
    assert (report.items_new, report.items_known, report.stored) == (0, 3, 0)
    assert all(feed_server.hits[f"/a/{i}.html"] == 1 for i in ("demo-015", "demo-016", "demo-017"))
    assert len(_stored_ids(restarted)) == 3
    restarted.close()


def test_polls_share_one_ingest_session_and_the_analysis_memos_stay_bounded(feed_server, test_settings,
                                                                             store_paths):
    import dataclasses

    from newsloom.nlp import memo

    settings = dataclasses.replace(test_settings, flush_items=1, analysis_memo_entries=0)  # one item per chunk
    feed = feed_server.set("/feed.xml", rss(publish(feed_server, ["demo-004", "demo-005"])))
    watcher = make_watcher(store_paths, settings)
    watcher.sync([FeedSpec(feed, "Wirtschaftsfenster")])
    assert watcher.poll().stored == 2
    feed_server.set("/feed.xml", rss(publish(feed_server, ["demo-006", "demo-004", "demo-005"])))
    assert watcher.poll(ignore_interval=True).stored == 1
    assert watcher.session.loads == 1  # three chunks over two polls: the clustering state was loaded once
    assert memo.entries() == 0  # emptied after each chunk (bound 0)
    [event] = watcher.loom.events()
    assert len(event.articles) == 3
    # a user's split between two polls: the next chunk starts from the corrected events
    moved = event.articles[-1].id
    watcher.loom.split_article(moved)
    feed_server.set("/feed.xml", rss(publish(feed_server, ["demo-007", "demo-006", "demo-004", "demo-005"])))
    assert watcher.poll(ignore_interval=True).stored == 1
    assert watcher.session.loads == 2
    assert len(watcher.loom.event(event.id).articles) == 2 and watcher.loom.event_of_article(moved) != event.id
    watcher.close()


def test_interval_and_conditional_requests(feed_server, test_settings, store_paths):
    feed = feed_server.set("/etag.xml", rss(publish(feed_server, ["demo-020"])), etag='"v1"')
    now = [1_000_000.0]
    watcher = make_watcher(store_paths, test_settings, clock=lambda: now[0])
    watcher.sync([FeedSpec(feed, "Tagesblick")])
    assert watcher.poll().stored == 1
    assert watcher.poll().feeds_polled == 0  # not due before the interval
    now[0] += test_settings.interval_s + 1
    report = watcher.poll()
    assert (report.feeds_polled, report.feeds_not_modified) == (1, 1)
    assert feed_server.conditional["/etag.xml"] == 1
    state = watcher.state.feed(feed)
    assert state.last_success == now[0] and state.next_poll == now[0] + test_settings.interval_s
    watcher.close()


def test_failing_slow_and_malformed_feeds_never_stop_the_others(feed_server, test_settings, store_paths):
    good = feed_server.set("/good.xml", rss(publish(feed_server, ["demo-045", "demo-046"])))
    broken = feed_server.set("/500.xml", "Internal Server Error", status=500, content_type="text/plain")
    slow = feed_server.set("/slow.xml", rss(publish(feed_server, ["demo-047"])), delay=test_settings.read_timeout_s + 1.5)
    garbage = feed_server.set("/garbage.xml", b"\x00\x01\x02 not a feed <<<<", content_type="application/rss+xml")
    html_page = feed_server.set("/page.xml", "<html><body><p>Kein Feed, nur eine Seite.</p></body></html>")
    broken_xml = feed_server.set("/broken.xml", "<?xml version='1.0'?><rss><channel><title>kaputt</ti")
    missing = feed_server.url("/missing.xml")
    now = [2_000_000.0]
    watcher = make_watcher(store_paths, test_settings, clock=lambda: now[0])
    watcher.sync([FeedSpec(u, None) for u in (broken, slow, garbage, good, html_page, broken_xml, missing)])
    report = watcher.poll(ignore_interval=True)
    assert report.feeds_polled == 7 and report.feeds_failed == 6 and report.stored == 2, report
    status = {f.url: f for f in watcher.state.feeds()}
    assert "HTTP 500" in status[broken].last_error and "E153" in status[broken].last_error
    assert "HTTP 404" in status[missing].last_error
    assert "timed out" in status[slow].last_error and "E152" in status[slow].last_error
    for url in (garbage, html_page, broken_xml):
        assert "E154" in status[url].last_error, status[url].last_error
    assert status[good].failures == 0 and status[good].items == 2
    # back-off: the failing feeds wait (also for --once), the interval doubles with each failure in a row
    assert status[broken].failures == 1 and status[broken].next_poll == now[0] + test_settings.interval_s
    assert watcher.poll(ignore_interval=True).feeds_polled == 1  # only the good feed
    now[0] += test_settings.interval_s + 1
    assert watcher.poll(ignore_interval=True).feeds_failed == 6
    assert watcher.state.feed(broken).failures == 2
    assert watcher.state.feed(broken).next_poll == now[0] + 2 * test_settings.interval_s
    # fixed: retried when due, then back to normal
    feed_server.set("/500.xml", rss(publish(feed_server, ["demo-048"])))
    now[0] += 2 * test_settings.interval_s + 1
    watcher.poll(ignore_interval=True)
    fixed = watcher.state.feed(broken)
    assert fixed.failures == 0 and fixed.items == 1 and fixed.errors == 2
    watcher.close()


def test_redirected_page_and_duplicate_items_under_new_addresses(feed_server, test_settings, store_paths):
    corpus = demo_articles()
    [item] = publish(feed_server, ["demo-031"])
    feed_server.set("/r/31", location=item["link"], status=301)
    redirected = dict(item, link=feed_server.url("/r/31"))
    feed = feed_server.set("/feed.xml", rss([redirected]))
    watcher = make_watcher(store_paths, test_settings)
    watcher.sync([FeedSpec(feed, "Tagesblick")])
    assert watcher.poll().stored == 1
    [article] = watcher.loom.articles(limit=None, with_text=True)
    assert article.url == item["link"]  # the final address
    assert corpus["demo-031"]["text"].split("\n")[1][:50] in article.text

    copies = [
        # the final address itself, with tracking parameters and a fragment, under a new GUID
        dict(item, guid="urn:other:1", link=item["link"] + "?utm_source=rss&utm_medium=feed#top"),
        # the same entry (title and summary) under a new address and GUID
        dict(item, guid="urn:other:2", link=feed_server.url("/moved/31.html")),
    ]
    # the same page text under a new title and address: fetched, then recognised by its text
    feed_server.page("/copy/31.html", corpus["demo-031"])
    copies.append(dict(item, guid="urn:other:3", title="Neu betitelt: Botschafter zurückgerufen",
                       summary="Eine andere Zusammenfassung des gleichen Artikels, lang genug für einen Schlüssel.",
                       link=feed_server.url("/copy/31.html")))
    feed_server.set("/feed.xml", rss([redirected, *copies]))
    report = watcher.poll(ignore_interval=True)
    assert (report.items_known, report.items_new, report.items_duplicate, report.stored) == (3, 1, 1, 0), report
    assert feed_server.hits["/moved/31.html"] == 0 and feed_server.hits["/copy/31.html"] == 1
    assert len(_stored_ids(watcher)) == 1
    watcher.close()


def test_unavailable_page_falls_back_to_the_feed_summary(feed_server, test_settings, store_paths):
    corpus = demo_articles()
    items = publish(feed_server, ["demo-033", "demo-034"])
    feed_server.set("/a/demo-033.html", "Service Unavailable", status=503, content_type="text/plain")
    feed_server.set("/a/demo-034.html", "<html><body><nav>Menü</nav></body></html>")  # no article text
    items[0]["summary"] = corpus["demo-033"]["text"][:400]
    feed = feed_server.set("/feed.xml", rss(items))
    watcher = make_watcher(store_paths, test_settings)
    watcher.sync([FeedSpec(feed, "Mitteldeutscher Morgen")])
    report = watcher.poll()
    assert report.items_from_summary == 2 and report.stored == 2, report
    texts = {a.title: a.text for a in watcher.loom.articles(limit=None, with_text=True)}
    assert texts[corpus["demo-033"]["title"]] == " ".join(corpus["demo-033"]["text"][:400].split())
    watcher.close()


def test_robots_txt_is_respected(feed_server, test_settings, store_paths):
    feed_server.set("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    corpus = demo_articles()
    items = publish(feed_server, ["demo-063"]) + publish(feed_server, ["demo-064"], prefix="/private/")
    items[1]["summary"] = corpus["demo-064"]["text"][:300]
    open_feed = feed_server.set("/feed.xml", rss(items))
    private_feed = feed_server.set("/private/feed.xml", rss(items))
    watcher = make_watcher(store_paths, test_settings)
    watcher.sync([FeedSpec(open_feed, "Tagesblick"), FeedSpec(private_feed, "Tagesblick")])
    report = watcher.poll()
    assert report.feeds_failed == 1 and "E155" in watcher.state.feed(private_feed).last_error
    assert feed_server.hits["/private/feed.xml"] == 0 and feed_server.hits["/private/demo-064.html"] == 0
    assert report.stored == 2 and report.items_from_summary == 1
    assert feed_server.hits["/robots.txt"] == 1  # read once per host
    watcher.close()


def test_a_kill_before_the_ingest_loses_nothing_and_fetches_nothing_again(feed_server, test_settings, store_paths,
                                                                          monkeypatch):
    from newsloom.watch.poller import Watcher

    feed = feed_server.set("/feed.xml", rss(publish(feed_server, ["demo-055", "demo-056", "demo-057"])))
    watcher = make_watcher(store_paths, test_settings)
    watcher.sync([FeedSpec(feed, "Wirtschaftsfenster")])
    monkeypatch.setattr(Watcher, "flush", lambda self, report: None)  # killed before any ingest
    watcher.poll()
    assert watcher.state.pending_count() == 3 and _stored_ids(watcher) == []
    watcher.close()
    monkeypatch.undo()
    restarted = make_watcher(store_paths, test_settings)
    report = restarted.poll(ignore_interval=True)
    assert report.stored == 3 and report.items_new == 0
    assert all(feed_server.hits[f"/a/demo-05{i}.html"] == 1 for i in (5, 6, 7))
    restarted.close()


def test_a_kill_after_the_ingest_stores_nothing_twice(feed_server, test_settings, store_paths, monkeypatch):
    from newsloom.store.watch import WatchStore

    feed = feed_server.set("/feed.xml", rss(publish(feed_server, ["demo-058", "demo-059"])))
    watcher = make_watcher(store_paths, test_settings)
    watcher.sync([FeedSpec(feed, "Tagesblick")])

    def killed(self, ids, now=None):
        raise KeyboardInterrupt  # the process dies between the ingest's commit and marking the items stored

    monkeypatch.setattr(WatchStore, "mark_stored", killed)
    with pytest.raises(KeyboardInterrupt):
        watcher.poll()
    watcher.close()
    monkeypatch.undo()
    restarted = make_watcher(store_paths, test_settings)
    stored_before = len(_stored_ids(restarted))
    assert stored_before >= 1 and restarted.state.pending_count() >= stored_before
    report = restarted.poll(ignore_interval=True)
    assert report.already_stored == stored_before and report.stored == 2 - stored_before
    assert restarted.state.pending_count() == 0 and len(_stored_ids(restarted)) == 2
    # only a page still in flight at the kill (never recorded) is fetched again
    assert feed_server.hits["/a/demo-058.html"] + feed_server.hits["/a/demo-059.html"] <= 2 + (2 - stored_before)
    restarted.close()


def test_feeds_file_and_opml(tmp_path):
    listing = tmp_path / "feeds.txt"
    listing.write_text("# German outlets\nhttps://example.org/rss.xml Beispiel Zeitung\n\n"
                       "ftp://example.org/x\nhttp://example.org/atom\tAtom Blatt\nnot-a-url\n"
                       "https://example.org/rss.xml Doppelt\n", encoding="utf-8")
    specs, problems = read_feed_list(str(listing))
    assert specs == [FeedSpec("https://example.org/rss.xml", "Beispiel Zeitung"),
                     FeedSpec("http://example.org/atom", "Atom Blatt")]
    assert [(p.code, p.line) for p in problems] == [("E151", 4), ("E151", 6)]
    assert str(listing) in str(problems[0])
    opml = tmp_path / "feeds.opml"
    opml.write_text("<?xml version='1.0'?><opml version='2.0'><head><title>x</title></head><body>"
                    "<outline text='News'><outline type='rss' text='Eins' title='Blatt Eins' "
                    "xmlUrl='https://example.org/1.xml'/><outline text='Zwei' xmlUrl='https://example.org/2.xml'/>"
                    "</outline><outline text='kaputt' xmlUrl='javascript:alert(1)'/></body></opml>", encoding="utf-8")
    specs, problems = read_feed_list(str(opml))
    assert specs == [FeedSpec("https://example.org/1.xml", "Blatt Eins"), FeedSpec("https://example.org/2.xml", "Zwei")]
    assert len(problems) == 1 and "xmlUrl" in problems[0].reason
    bad = tmp_path / "bad.opml"
    bad.write_text("<opml><body><outline xmlUrl='https://example.org/1.xml'", encoding="utf-8")
    specs, problems = read_feed_list(str(bad))
    assert specs == [] and problems[0].code == "E151" and "malformed OPML" in problems[0].reason


def test_host_limiter_spaces_requests_to_one_host():
    from newsloom.watch.fetch import HostLimiter

    limiter = HostLimiter(0.05)
    started = []
    for _ in range(3):
        limiter.wait("http://a")
        started.append(time.monotonic())
    limiter.wait("http://b")  # another host does not wait for the first
    gaps = [b - a for a, b in zip(started, started[1:])]
    assert all(gap >= 0.04 for gap in gaps)
