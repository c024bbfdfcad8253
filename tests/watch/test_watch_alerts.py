"""Watches and alerts: new events matching a watch, new outlets and claims of watched events, delivery."""
from __future__ import annotations

import json

from feedserver import make_watcher, publish, rss

from newsloom.watch.alerts import add_watch, guess_watch_kind
from newsloom.watch.feeds import FeedSpec


def _kinds(watcher) -> list[tuple[str, str]]:
    return sorted((a.kind, a.detail) for a in watcher.state.alerts())


def test_entity_watch_alerts_on_new_event_then_new_outlet_and_claims(feed_server, test_settings, store_paths,
                                                                     tmp_path):
    jsonl = tmp_path / "alerts.jsonl"
    hook = feed_server.url("/hook")
    a = feed_server.set("/a.xml", rss(publish(feed_server, ["demo-004"])))
    b = feed_server.set("/b.xml", rss([]))
    watcher = make_watcher(store_paths, test_settings, sender_options={"webhook": hook, "jsonl_path": str(jsonl)})
    watcher.sync([FeedSpec(a, "Wirtschaftsfenster"), FeedSpec(b, "Tagesblick")])
    kalmbach = add_watch(watcher.loom, watcher.state, "Kalmbach")
    assert kalmbach.kind == "entity"
    museum = add_watch(watcher.loom, watcher.state, "Goldmünzen gestohlen")
    assert museum.kind == "query"
    report = watcher.poll()
    assert report.stored == 1 and report.alerts == 1
    [alert] = watcher.state.alerts()
    assert (alert.kind, alert.watch_value, alert.outlet) == ("new_event", "Kalmbach", "Wirtschaftsfenster")
    event_id = alert.event_id
    # another outlet reports the same event: a new outlet, and what only it says are new claims
    feed_server.set("/b.xml", rss(publish(feed_server, ["demo-006"])))
    report = watcher.poll(ignore_interval=True)
    assert report.stored == 1
    assert watcher.loom.event_of_article(watcher.loom.articles(outlet="Tagesblick")[0].id) == event_id
    kinds = _kinds(watcher)
    assert ("new_outlet", "Tagesblick") in kinds
    assert any(kind == "new_claim" for kind, _ in kinds)
    assert all(a.event_id == event_id for a in watcher.state.alerts())
    # delivered to the file and the webhook, each alert once
    lines = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    assert sorted(x["id"] for x in lines) == sorted(a.id for a in watcher.state.alerts())
    assert sorted(x["id"] for x in feed_server.posted) == sorted(x["id"] for x in lines)
    assert lines[0]["watch"] == {"id": kalmbach.id, "kind": "entity", "value": "Kalmbach"}
    # a query watch matches a new event by its words (as lemmas: "gestohlen" ~ "Goldmünzen ... gestohlen")
    feed_server.set("/a.xml", rss(publish(feed_server, ["demo-045"])))
    watcher.poll(ignore_interval=True)
    museum_alerts = [x for x in watcher.state.alerts() if x.watch_id == museum.id]
    assert [x.kind for x in museum_alerts] == ["new_event"]
    # nothing is alerted twice: a poll without news adds no alert and delivers nothing again
    before = (watcher.state.alert_count(), len(feed_server.posted))
    watcher.poll(ignore_interval=True)
    assert (watcher.state.alert_count(), len(feed_server.posted)) == before
    watcher.close()


def test_a_failing_webhook_is_retried_later(feed_server, test_settings, store_paths):
    feed_server.hook_status = 500
    feed = feed_server.set("/a.xml", rss(publish(feed_server, ["demo-046"])))
    watcher = make_watcher(store_paths, test_settings, sender_options={"webhook": feed_server.url("/hook")})
    watcher.sync([FeedSpec(feed, "Tagesblick")])
    add_watch(watcher.loom, watcher.state, "Auerbach")  # the museum director
    assert watcher.poll().alerts == 1
    assert feed_server.posted == [] and watcher.state.alerts()[0].attempts == 1
    feed_server.hook_status = 200
    watcher.poll(ignore_interval=True)
    assert [x["kind"] for x in feed_server.posted] == ["new_event"]
    watcher.close()


def test_watch_kinds_and_removal(store_paths):
    from newsloom.api import Newsloom
    from newsloom.store.watch import WatchStore

    loom, state = Newsloom(store_paths), WatchStore(store_paths)
    assert guess_watch_kind(loom, "PER:wladimir putin") == "entity"
    assert guess_watch_kind(loom, "Olaf Scholz") == "entity"
    assert guess_watch_kind(loom, "warnstreik nahverkehr") == "query"
    first = add_watch(loom, state, "  Warnstreik   Nahverkehr ", "query")
    assert first.value == "Warnstreik Nahverkehr"
    assert add_watch(loom, state, "Warnstreik Nahverkehr", "query").id == first.id  # no duplicate watches
    assert [w.value for w in state.watches()] == ["Warnstreik Nahverkehr"]
    assert state.remove_watch(first.id) and not state.remove_watch(first.id)
    assert state.watches() == []
    loom.close()
    state.close()
