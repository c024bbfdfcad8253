"""Feeds at scale: ``newsloom watch`` against a local server with FEEDS feeds x ITEMS items (default 200 x 50).

A server process (127.0.0.1, started here) serves RSS feeds and article pages generated on the fly: invented
German news about a few hundred made-up happenings (people, places, organisations, figures), each reported by
many feeds on neighbouring days, so that events form as the items arrive. This process runs one watch round
(the real ``Watcher`` with the default settings except the politeness gap, which would make one local host take
hours) and prints one JSON line: time to the first event, items per second, events formed (and their BCubed
precision/recall/F1 against the generated happenings), and the resident memory of the watch process after every
1,000 items (flat = not growing with the items).

    .venv/bin/python bench/watch_feeds.py [--feeds 200] [--items 50] [--db /tmp/newsloom-watch-bench.db]
"""
from __future__ import annotations

import argparse
import datetime
import dataclasses
import hashlib
import html
import json
import os
import random
import resource
import subprocess
import sys
import time
import urllib.request

FIRST = ["Anna", "Bernd", "Clara", "Dieter", "Elif", "Frank", "Greta", "Hakan", "Ilse", "Jonas", "Katrin", "Lukas",
         "Marta", "Nils", "Olga", "Paul", "Ruth", "Stefan", "Tanja", "Uwe"]
LAST = ["Albrecht", "Brandner", "Corvin", "Dallmann", "Eberling", "Falkner", "Gerlach", "Hambrecht", "Imhof",
        "Jessen", "Kolbe", "Lindqvist", "Marschall", "Nowotny", "Ostermann", "Pfister", "Quandt", "Reuter"]
PLACES = ["Weilingen", "Brunnstadt", "Hohenfels", "Halvern", "Nordhafen", "Kesselbach", "Lindau am Moor",
          "Ostersund", "Rabenau", "Seligenthal", "Tannhausen", "Uhlstedt", "Valdorf", "Wendelin", "Zarnow"]
ORGS = ["Stadtwerke", "Landesbank", "Verkehrsbetriebe", "Klinikum", "Hafenbehörde", "Bauverband",
        "Feuerwehr", "Universität", "Landesamt", "Energieversorger", "Gewerkschaft GNS", "Handelskammer"]
VERBS = ["teilte mit", "erklärte", "sagte am Vormittag", "bestätigte", "kündigte an", "warnte", "betonte",
         "räumte ein", "berichtete", "kritisierte"]
NOUNS = ("Abwasser Akten Altbau Ampel Anleihe Antrag Archiv Arztpraxis Aufsicht Ausbau Bahnhof Baustelle Behörde "
         "Bergbau Betriebsrat Bibliothek Bilanz Biogas Bürgerbegehren Bunker Chemiepark Datenleck Deich Denkmal "
         "Depot Dieselpreis Drohne Eisenbahn Erbpacht Fähre Fahrradweg Fernwärme Festival Flughafen Fördergeld "
         "Forstamt Freibad Friedhof Gasleitung Gebühren Gefängnis Gemeinderat Gericht Gesamtschule Getreide Gleis "
         "Grundsteuer Gutachter Hafen Hallenbad Hebamme Heizung Hospiz Hotel Impfzentrum Jugendamt Kaserne Kita "
         "Kläranlage Kraftwerk Krankenhaus Kreisel Kunsthalle Landarzt Lärmschutz Lieferkette Marktplatz Messe "
         "Mietspiegel Milchpreis Mobilfunk Moor Museum Netzagentur Notaufnahme Obdach Oper Parkhaus Pflegeheim "
         "Photovoltaik Polizeiwache Postfiliale Radweg Rathaus Rechenzentrum Reederei Rettungsdienst Saatgut "
         "Schleuse Schwimmbad Seilbahn Sparkasse Sportplatz Stadion Stahlwerk Stausee Steinbruch Straßenbahn "
         "Tagebau Theater Tierheim Tunnel Turnhalle Umspannwerk Viadukt Wahlkreis Waldbrand Wasserwerk Weinberg "
         "Werft Windpark Wohnheim Zollamt Zoo").split()
PHRASES = ["nach monatelangem Streit", "trotz heftiger Kritik", "überraschend schnell", "unter strengen Auflagen",
           "gegen den Willen der Anwohner", "nach einer Sondersitzung", "zum ersten Mal seit Jahren",
           "mit knapper Mehrheit", "nach Hinweisen aus der Bevölkerung", "auf Druck des Landes"]


@dataclasses.dataclass
class Story:
    number: int
    person: str
    place: str
    org: str
    words: list[str]  # what this happening is about
    figure: int
    day: int  # days after the start


PLACE_HEADS = ["Ober", "Nieder", "Alt", "Neu", "Groß", "Klein", "Hohen", "Rosen", "Eich", "Linden", "Buch", "Stein",
               "Wald", "Mühl", "Kirch", "Berg", "Sand", "Ahrens", "Fried", "Hasel"]
PLACE_TAILS = ["feld", "bach", "dorf", "hausen", "heim", "burg", "stedt", "au", "tal", "rode", "hagen", "brück"]


def story(number: int) -> Story:
    """A happening: its own place, person, organisation and subject (compound nouns that no other story shares
    in the same combination)."""
    rng = random.Random(number)
    place = rng.choice(PLACES) if number < len(PLACES) else rng.choice(PLACE_HEADS) + rng.choice(PLACE_TAILS)
    words = []
    for _ in range(6):
        first, second = rng.sample(NOUNS, 2)
        words.append(first + second.lower())
    return Story(number, f"{rng.choice(FIRST)} {rng.choice(LAST)}", place, f"{rng.choice(ORGS)} {place}",
                 words, rng.randrange(12, 2400), 0)


def story_of(feed: int, item: int, stories: int, feeds: int, days: int) -> tuple[int, int, random.Random]:
    """Which happening item ``item`` of feed ``feed`` reports, and on which day. Time runs with the feeds (the
    watcher reads them in order): feed f reports the happenings of day f * days / feeds (or the next one), so a
    long run sees the news move on and old events leave the clustering's memory, as in a live process."""
    seed = int(hashlib.sha1(f"{feed}/{item}".encode()).hexdigest()[:12], 16)
    rng = random.Random(seed)
    per_day = max(1, stories // days)
    day = min(days - 1, feed * days // feeds + rng.randrange(0, 2))
    return day * per_day + seed % per_day, day, rng


def article(feed: int, item: int, stories: int, feeds: int, days: int) -> dict:
    """Item ``item`` of feed ``feed``: a report on one of ``stories`` happenings, in the feed's own words."""
    number, day, rng = story_of(feed, item, stories, feeds, days)
    s = story(number)
    surname = s.person.split()[-1]

    def w() -> str:
        return rng.choice(s.words)

    def other() -> str:
        return rng.choice(NOUNS)

    templates = [
        lambda: f"Die {s.org} in {s.place} {rng.choice(VERBS)}, {w()} und {w()} seien {rng.choice(PHRASES)} betroffen.",
        lambda: f"{s.person} von der {s.org} sagte, beim Thema {w()} gehe es um {s.figure} Menschen.",
        lambda: f"Nach Angaben von {surname} wird über {w()} und {other()} seit {rng.randrange(2, 30)} Tagen verhandelt.",
        lambda: f"Im Landtag forderte die Opposition Aufklärung über {w()} in {s.place}.",
        lambda: f"Wie die {s.org} weiter {rng.choice(VERBS)}, soll {rng.choice(PHRASES)} über {w()} entschieden werden.",
        lambda: f"Anwohner in {s.place} zeigten sich besorgt über {w()}, manche auch über {other()}.",
        lambda: f"{surname} kündigte für {rng.choice(['den Nachmittag', 'Freitag', 'die kommende Woche'])} "
                f"eine Erklärung zu {w()} an.",
        lambda: f"Rund {s.figure + rng.randrange(-9, 10)} Betroffene warten auf eine Lösung beim {w()}.",
        lambda: f"Die Landesregierung will sich zu {w()} und {other()} in {s.place} äußern.",
        lambda: f"Schon im Vorjahr hatte es in {s.place} Ärger um {other()} und {w()} gegeben.",
        lambda: f"Kritiker halten die Pläne für {w()} für {rng.choice(['überhastet', 'zu teuer', 'unausgegoren'])}.",
        lambda: f"Ein Sprecher der Stadt {s.place} verwies auf die Zuständigkeit für {other()}.",
    ]
    first = f"{s.place} – {templates[0]()}"
    body = [first] + [t() for t in rng.sample(templates[1:], rng.randrange(5, 9))]
    hour, minute = rng.randrange(6, 23), rng.randrange(0, 60)
    moment = datetime.datetime(2026, 1, 1, hour, minute) + datetime.timedelta(days=day)
    title = f"{s.words[0]} in {s.place}: {rng.choice([s.org, surname])} {rng.choice(['reagiert', 'unter Druck', 'legt nach', 'meldet Zahlen', 'in der Kritik'])}"
    return {"title": title, "text": "\n".join(body), "date": moment.isoformat() + "+01:00",
            "summary": body[0]}


# -- the server process ----------------------------------------------------------------------------------------
def serve(port: int, feeds: int, items: int, stories: int, days: int) -> None:
    import email.utils
    import datetime as dt
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):  # noqa: N802
            parts = self.path.strip("/").split("/")
            if parts[0] == "feed" and len(parts) == 2:
                body = self.feed(int(parts[1].removesuffix(".xml")))
                return self.send(200, body, "application/rss+xml; charset=utf-8")
            if parts[0] == "a" and len(parts) == 3:
                a = article(int(parts[1]), int(parts[2].removesuffix(".html")), stories, feeds, days)
                paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in a["text"].split("\n"))
                body = (f"<!doctype html><html lang='de'><head><meta charset='utf-8'><title>{html.escape(a['title'])}"
                        f"</title></head><body><nav><a href='/'>Start</a></nav><main><article><h1>"
                        f"{html.escape(a['title'])}</h1>{paragraphs}</article></main><footer>Impressum</footer>"
                        f"</body></html>")
                return self.send(200, body.encode(), "text/html; charset=utf-8")
            return self.send(404, b"not found", "text/plain")

        def feed(self, number: int) -> bytes:
            out = [f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Blatt {number}</title>"
                   f"<link>http://127.0.0.1:{port}/</link><description>Bench</description><language>de</language>"]
            for item in range(items):
                a = article(number, item, stories, feeds, days)
                stamp = email.utils.format_datetime(dt.datetime.fromisoformat(a["date"]))
                link = f"http://127.0.0.1:{port}/a/{number}/{item}.html"
                out.append(f"<item><title>{html.escape(a['title'])}</title><link>{link}</link><guid>{link}</guid>"
                           f"<description>{html.escape(a['summary'])}</description><pubDate>{stamp}</pubDate></item>")
            out.append("</channel></rss>")
            return "".join(out).encode("utf-8")

        def send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


def rss_mb() -> float:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--stories", type=int, default=400, help="happenings the items report on")
    parser.add_argument("--days", type=int, default=30, help="days the happenings are spread over")
    parser.add_argument("--db", default="/tmp/newsloom-watch-bench.db")
    parser.add_argument("--serve", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.feeds, args.items, args.stories, args.days)
        return 0

    import socket

    from newsloom.api import Newsloom
    from newsloom.settings import WATCH
    from newsloom.store.watch import WatchStore
    from newsloom.watch.feeds import FeedSpec
    from newsloom.watch.poller import Watcher

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen([sys.executable, __file__, "--serve", str(port), "--feeds", str(args.feeds),
                               "--items", str(args.items), "--stories", str(args.stories), "--days", str(args.days)])
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/feed/0.xml", timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(args.db + suffix):
                os.remove(args.db + suffix)
        settings = dataclasses.replace(WATCH, host_delay_s=0.0)
        loom, state = Newsloom(args.db), WatchStore(args.db)
        memory: list[tuple[int, float]] = []
        first_event: list[float] = []
        started = time.perf_counter()
        next_mark = [1000]

        def on_flush(report) -> None:
            done = report.stored + report.already_stored + report.refused
            if report.events_created and not first_event:
                first_event.append(time.perf_counter() - started)
            while done >= next_mark[0]:
                memory.append((next_mark[0], round(rss_mb(), 1)))
                print(f"{done:>6} items  {time.perf_counter() - started:7.1f} s  rss {rss_mb():.0f} MB",
                      file=sys.stderr, flush=True)
                next_mark[0] += 1000

        watcher = Watcher(loom, state, settings=settings, on_flush=on_flush, trust_env=False,
                          log=lambda message: None)
        watcher.sync([FeedSpec(f"http://127.0.0.1:{port}/feed/{n}.xml", f"Blatt {n}") for n in range(args.feeds)])
        report = watcher.poll()
        seconds = time.perf_counter() - started
        events = len(loom.events())
        # how well the events match the generated happenings (each item's story is known from its address)
        from newsloom.eval.clustering import bcubed

        pred, gold = {}, {}
        for a in loom.articles(limit=None):
            parts = (a.url or "").removesuffix(".html").split("/")[-2:]
            if len(parts) == 2 and all(p.isdigit() for p in parts):
                number = story_of(int(parts[0]), int(parts[1]), args.stories, args.feeds, args.days)[0]
                pred[a.id], gold[a.id] = a.event_id, str(number)
        quality = [round(x, 3) for x in bcubed(pred, gold)]
        watcher.close()
        loom.close()
        state.close()
    finally:
        server.terminate()
        server.wait(10)
    items = report.stored + report.already_stored + report.refused
    print(json.dumps({
        "feeds": args.feeds, "items_per_feed": args.items, "items_stored": report.stored,
        "items_refused": report.refused, "duplicates": report.duplicates, "feeds_failed": report.feeds_failed,
        "events": events, "stories": args.stories, "days": args.days, "events_bcubed_p_r_f1": quality, "seconds": round(seconds, 1),
        "time_to_first_event_s": round(first_event[0], 2) if first_event else None,
        "items_per_s": round(items / seconds, 1) if seconds else None,
        "rss_mb_per_1000_items": memory,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
