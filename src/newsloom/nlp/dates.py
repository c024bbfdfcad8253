"""Date expressions in German news text, resolved against the publication date.

Three pure functions:

* :func:`find_dates` finds absolute ("14. Februar 2022", "04.02.2022", "Ende Dezember",
  "im Jahr 2022") and relative ("gestern", "am Mittwoch", "vergangene Woche",
  "vor zwei Wochen") expressions and resolves each into a :class:`TimeSpan`.
* :func:`parse_published` reads a publication date of any precision from metadata.
* :func:`find_published_in_text` reads a time stamp the article carries ("Stand: ...").

Rules
-----
* A resolved span is never more precise than its evidence.  A relative expression is at
  most as precise as the publication date: with a day- or minute-precise publication
  "am Mittwoch" is that day; with a month-precise publication the day cannot be pinned,
  so the result is the span of every day it could be (for "am Mittwoch": the publication
  month widened by six days before it) at the publication's precision (MONTH).  Such a
  widened span may start in the previous month; ``TimeSpan.iso()`` then prints both ends
  ("2021-11/2021-12"); use ``midpoint``/``overlaps`` to compare such spans.
* Without a publication date only absolute expressions that name their year resolve.
* A year-less date ("am 14. Februar", "im Dezember") takes the year that puts it nearest
  to the publication date (ties go to the past); "vergangenen/kommenden" force the side.
* A bare weekday is the most recent such day on or before the publication day, unless the
  sentence reads as future (modal/future verbs and no past-tense verb) or the phrase says
  so ("kommenden", "nächsten", "bis", "ab"); "diesen Mittwoch" is the publication's week.
* "Anfang/Mitte/Ende <Monat>" are days 1-10, 11-20, 21-end (DAY precision, several days);
  "Anfang/Mitte/Ende <Jahr>" are Jan-Apr, May-Aug, Sep-Dec (MONTH precision).
* A clock time ("um 14 Uhr") right next to a single resolved day becomes MINUTE precision
  and is reported as one mention with that day; a bare clock time falls on the publication
  day when that is known to the day, and is dropped otherwise.
* Offsets are character offsets into ``text``; the mention text is the whole matched phrase
  including its preposition or modifier ("am Mittwoch", "bis 2030", "im vergangenen Jahr").
  Mentions are sorted and never overlap; of overlapping candidates the longest wins.
* Times with a UTC offset keep their local wall time; the offset is dropped.

All patterns are compiled once at import; there is no mutable module state.
"""
from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from email.utils import parsedate_to_datetime
from typing import Callable

from newsloom.records import DateMention, Precision, TimeSpan

__all__ = ["find_dates", "parse_published", "find_published_in_text"]

_I = re.IGNORECASE
_DAY = dt.timedelta(days=1)

_MONTHS = {
    "januar": 1, "jänner": 1, "jaenner": 1, "jan": 1,
    "februar": 2, "feber": 2, "feb": 2, "febr": 2,
    "märz": 3, "maerz": 3, "mär": 3, "mrz": 3,
    "april": 4, "apr": 4,
    "mai": 5,
    "juni": 6, "jun": 6,
    "juli": 7, "jul": 7,
    "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10,
    "november": 11, "nov": 11,
    "dezember": 12, "dez": 12,
}
_EN_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
}
_WEEKDAYS = {
    "montag": 0, "dienstag": 1, "mittwoch": 2, "donnerstag": 3, "freitag": 4,
    "samstag": 5, "sonnabend": 5, "sonntag": 6,
}
_NUMBERS = {
    "ein": 1, "einen": 1, "einem": 1, "einer": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5,
    "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "elf": 11, "zwölf": 12,
    "fünfzehn": 15, "zwanzig": 20, "dreißig": 30, "vierzig": 40, "fünfzig": 50, "hundert": 100,
}

_M = (
    r"(?:januar|jänner|jaenner|februar|feber|märz|maerz|april|mai|juni|juli|august|september"
    r"|oktober|november|dezember)(?!\w)|(?:jan|febr?|mär|mrz|apr|jun|jul|aug|sept?|okt|nov|dez)\."
)
_W = r"(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonnabend|sonntag)"
_PART = r"(?:früh|morgen|vormittag|mittag|nachmittag|abend|nacht)"
_REL = (
    r"(?:vergangene[nrsm]?|letzte[nrsm]?|vorige[nrsm]?|kommende[nrsm]?|nächste[nrsm]?"
    r"|diese[nrsm]?|laufende[nrsm]?)"
)
_YREL = r"(?:\s+(?P<yrel>(?:des\s+)?(?:dieses|diesen|vergangenen|letzten|vorigen|kommenden|nächsten|laufenden)\s+Jahres))"
# Words after a number that make it a quantity, not a year ("bis 2000 Euro").
_UNITS = (
    r"(?:euro|dollar|franken|pfund|rubel|yen|hrywnja|prozent|menschen|personen|leute|soldaten"
    r"|einwohner|mitarbeiter|beschäftigte|teilnehmer|zuschauer|fans|besucher|kinder|tote|opfer"
    r"|fälle|stimmen|punkte|seiten|stück|mal|meter|kilometer|km|tonnen|kilo|kilogramm|gramm"
    r"|liter|barrel|hektar|quadratmeter|megawatt|gigawatt|fahrzeuge|autos|wohnungen|häuser"
    r"|jahre|jahren|tage|tagen|stunden|minuten|sekunden|uhr|mio|mrd|millionen|milliarden"
    r"|exemplare|patienten|flüchtlinge|schüler|studenten|arbeitsplätze|stellen|betten)\b|[€$%]"
)

_FUTURE_RE = re.compile(
    r"\b(?:wird|werden|will|wollen|soll|sollen|plant|planen|geplant|voraussichtlich|anstehende?n?"
    r"|erwartet|beginnt|startet)\b",
    _I,
)
_PAST_RE = re.compile(
    r"\b(?:war|waren|wurde|wurden|hatte|hatten|hat|haben|sagte|sagten|erklärte|teilte|ist\s+\w+\s+worden"
    r"|gab|kam|kamen|fand|starb|begann|traf|sprach)\b",
    _I,
)

# --------------------------------------------------------------------------- patterns

_P_NUM_DATE = re.compile(
    rf"(?<![\w.])(?:am\s+)?(?:(?P<wd>{_W}){_PART}?,?\s+(?:den\s+)?)?"
    r"(?P<d>\d{1,2})\.\s?(?P<mo>\d{1,2})\.\s?(?P<y>\d{4}|\d{2})(?!\d|[.,]\d)"
    r"(?:,?\s+(?:um\s+)?(?P<th>\d{1,2}):(?P<tm>\d{2})(?!\d)(?:\s*Uhr\b)?)?",
    _I,
)
_P_ISO_DATE = re.compile(
    r"(?<![\w.\-/])(?P<y>(?:19|20)\d{2})-(?P<mo>\d{2})-(?P<d>\d{2})"
    r"(?:[T ](?P<th>\d{2}):(?P<tm>\d{2})(?::\d{2})?)?(?![\w\-])"
)
_P_NUM_NOYEAR = re.compile(
    r"(?<![\w.])(?:(?P<pre>am|vom|bis|zum|ab|seit|den|dem)\s+)?(?P<d>\d{1,2})\.(?P<mo>\d{1,2})\.(?![\d\w])",
    _I,
)
_P_WRITTEN = re.compile(
    rf"(?<![\w.])(?:am\s+)?(?:(?P<wd>{_W}){_PART}?,?\s+(?:den\s+)?)?"
    r"(?P<d>\d{1,2})\.\s*(?:(?:-|–|bis|und)\s*(?P<d2>\d{1,2})\.\s*)?"
    rf"(?P<mon>{_M})(?:\s+(?P<y>\d{{4}})(?![\d\w])|{_YREL})?",
    _I,
)
_P_MONTH = re.compile(
    r"(?<![\w.])(?:(?P<part>anfang|mitte|ende)\s+"
    r"|(?P<prep>im|seit|bis|ab|bis\s+zum|bis\s+in\s+den|seit\s+dem|vom|zum|monat)\s+"
    r"(?:(?P<rel>vergangenen|letzten|vorigen|kommenden|nächsten|laufenden|diesen)\s+)?"
    r"|(?P<rel2>vergangenen|letzten|vorigen|kommenden|nächsten|diesen)\s+)?"
    rf"(?P<mon>{_M})(?:\s+(?P<y>\d{{4}})(?![\d\w])|{_YREL})?",
    _I,
)
_P_YEAR = re.compile(
    r"(?<![\w.])(?:(?:(?:im|ins|des|dem|das)\s+)?(?P<jahr>Jahre?s?)"
    r"|(?P<pre>im|seit|bis|ab|anfang|mitte|ende|jahresende|jahresanfang|jahresbeginn"
    r"|frühjahr|frühling|sommer|herbst|winter))\s+"
    r"(?P<y>19\d{2}|20\d{2}|2100)(?:/(?P<y2>\d{2}))?"
    rf"(?![\d\w]|[.,:]\d|-\w|\s*-?\s*(?:er\b|{_UNITS}))",
    _I,
)
_P_DAYWORD = re.compile(
    rf"(?<![\w.])(?P<w>vorgestern|gestern|heute|übermorgen)(?:\s+{_PART})?(?!\w)", _I
)
_P_MORGEN = re.compile(
    r"(?<![\w.])(?P<w>[mM]orgen)(?:\s+(?:früh|Vormittag|Mittag|Nachmittag|Abend|Nacht))?(?!\w)"
)
_MORNING_BEFORE = re.compile(r"(?:\b(?:am|heute|gestern|jeden|diesen|vom|zum|den|der|am\s+frühen|am\s+späten)\s*)$", _I)
_P_HEUER = re.compile(r"(?<![\w.])heuer(?!\w)", _I)
_P_WEEKDAY = re.compile(
    r"(?<![\w.])(?:(?P<pre>am|an\s+diesem|diesen|vergangenen|letzten|vorigen|kommenden|nächsten"
    r"|am\s+vergangenen|am\s+letzten|am\s+vorigen|am\s+kommenden|am\s+nächsten|seit|bis|ab"
    r"|bis\s+zum|seit\s+dem|vom|zum|für|in\s+der\s+nacht\s+(?:zu|zum|auf|auf\s+den))\s+)?"
    rf"(?P<wd>{_W})(?P<part>{_PART})?(?!\w)",
    _I,
)
_P_WEEKEND = re.compile(
    r"(?<![\w.])(?P<pre>am|zum|übers|über\s+das|an\s+diesem|dieses|am\s+vergangenen|am\s+letzten"
    r"|am\s+kommenden|am\s+nächsten|vergangenes|letztes|kommendes|nächstes|das\s+vergangene"
    r"|das\s+kommende)\s+Wochenende(?!\w)",
    _I,
)
_P_UNIT = re.compile(
    r"(?<![\w.])(?:(?P<part>anfang|mitte|ende)\s+(?:des\s+|der\s+|dieses\s+|dieser\s+)?"
    rf"(?:(?P<prel>{_REL})\s+)?(?P<punit>woche|monats|jahres)(?!\w)"
    r"|(?:(?:im|in\s+der|im\s+laufe\s+de[sr]|in)\s+)?"
    rf"(?P<rel>{_REL})\s+(?P<unit>woche|monats?|jahr(?:es)?)(?!\w))",
    _I,
)
_P_AGO = re.compile(
    r"(?<![\w.])(?P<dir>vor|in)\s+(?P<n>\d{1,3}|einem|einer|zwei|drei|vier|fünf|sechs|sieben|acht"
    r"|neun|zehn|elf|zwölf|fünfzehn|zwanzig|dreißig|vierzig|fünfzig|hundert)\s+"
    r"(?P<unit>tag(?:en)?|woche(?:n)?|monat(?:en)?|jahr(?:en)?)(?!\w)",
    _I,
)
_P_TIME = re.compile(
    r"(?<![\w.:,])(?:(?:um|gegen|ab|bis|seit|kurz\s+vor|kurz\s+nach)\s+)?"
    r"(?P<h>\d{1,2})(?:[:.](?P<mi>\d{2}))?\s*Uhr(?!\w)",
    _I,
)
_GAP_RE = re.compile(r"[\s,]*(?:und\s+)?")

# --------------------------------------------------------------------------- helpers


def _month_no(word: str) -> int:
    return _MONTHS[word.lower().rstrip(".")]


def _date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _add_months(moment: dt.datetime, n: int) -> dt.datetime:
    idx = moment.year * 12 + moment.month - 1 + n
    y, m = divmod(idx, 12)
    day = min(moment.day, calendar.monthrange(y, m + 1)[1])
    return moment.replace(year=y, month=m + 1, day=day)


def _fine(pub: TimeSpan) -> bool:
    """Whether the publication date is known at least to the day."""
    return pub.precision.rank >= Precision.DAY.rank


def _pub_day(pub: TimeSpan) -> dt.date:
    return pub.start.date()


def _rel_days(pub: TimeSpan, lo: int, hi: int) -> TimeSpan:
    """Days ``lo``..``hi`` (inclusive) after the publication day, as honest as ``pub`` allows."""
    if _fine(pub):
        day = _pub_day(pub)
        return TimeSpan.days(day + dt.timedelta(days=lo), day + dt.timedelta(days=hi))
    return TimeSpan(pub.start + dt.timedelta(days=lo), pub.end + dt.timedelta(days=hi), pub.precision)


def _rel_months(pub: TimeSpan, k: int) -> TimeSpan:
    if pub.precision is Precision.YEAR:
        return TimeSpan(_add_months(pub.start, k), _add_months(pub.end, k), Precision.YEAR)
    moved = _add_months(pub.start.replace(day=1), k)
    return TimeSpan.month(moved.year, moved.month)


def _year_of(y: str, pub: TimeSpan | None) -> int:
    n = int(y)
    if len(y) == 4:
        return n
    if pub is not None:  # the century that puts it nearest to the publication year
        base = pub.start.year - pub.start.year % 100
        return min((base - 100 + n, base + n, base + 100 + n), key=lambda c: abs(c - pub.start.year))
    return 2000 + n if n < 50 else 1900 + n


def _nearest_year_day(pub: TimeSpan, month: int, day: int) -> int | None:
    if pub.precision is Precision.YEAR:
        return pub.start.year if _date(pub.start.year, month, day) else None
    ref = pub.midpoint
    best = None
    for y in (pub.start.year - 1, pub.start.year, pub.start.year + 1):
        cand = _date(y, month, day)
        if cand is None:
            continue
        dist = (dt.datetime(y, month, day, 12) - ref).total_seconds()
        key = (abs(dist), dist > 0)
        if best is None or key < best[0]:
            best = (key, y)
    return best[1] if best else None


def _nearest_year_month(pub: TimeSpan, month: int, side: int = 0) -> int | None:
    """Year for a year-less month: nearest (side 0), strictly before (-1) or after (+1)."""
    py, pm = pub.start.year, pub.start.month
    if pub.precision is Precision.YEAR:
        return py if side == 0 else None
    here = py * 12 + pm - 1
    options = []
    for y in (py - 1, py, py + 1):
        diff = y * 12 + month - 1 - here
        if side < 0 and diff >= 0 or side > 0 and diff <= 0:
            continue
        options.append(((abs(diff), diff > 0), y))
    return min(options)[1] if options else None


def _yrel_year(phrase: str, pub: TimeSpan | None) -> int | None:
    if pub is None:
        return None
    p = phrase.lower()
    if "vergangen" in p or "letzt" in p or "vorig" in p:
        return pub.start.year - 1
    if "kommend" in p or "nächst" in p:
        return pub.start.year + 1
    return pub.start.year


def _rel_k(word: str) -> int:
    w = word.lower()
    if w.startswith(("vergangen", "letzt", "vorig")):
        return -1
    if w.startswith(("kommend", "nächst")):
        return 1
    return 0


def _part_days(y: int, m: int, part: str) -> TimeSpan:
    p = part.lower()
    last = calendar.monthrange(y, m)[1]
    lo, hi = {"anfang": (1, 10), "mitte": (11, 20)}.get(p, (21, last))
    return TimeSpan.days(dt.date(y, m, lo), dt.date(y, m, hi))


def _part_year(y: int, part: str) -> TimeSpan:
    first = {"anfang": 1, "jahresanfang": 1, "jahresbeginn": 1, "mitte": 5}.get(part.lower(), 9)
    end = dt.datetime(y, first + 4, 1) if first < 9 else dt.datetime(y + 1, 1, 1)
    return TimeSpan(dt.datetime(y, first, 1), end, Precision.MONTH)


def _future_context(text: str, start: int, end: int) -> bool:
    """Whether the sentence around [start, end) reads as future (and not as past)."""
    lo = max(0, start - 200)
    cut = max(text.rfind(".", lo, start), text.rfind("!", lo, start), text.rfind("?", lo, start))
    lo = cut + 1 if cut >= 0 else lo
    hi = min(len(text), end + 200)
    m = _SENT_END.search(text, end, hi)
    hi = m.start() if m else hi
    window = text[lo:hi]
    return bool(_FUTURE_RE.search(window)) and not _PAST_RE.search(window)


_SENT_END = re.compile(r"[.!?](?:\s|$)")

# --------------------------------------------------------------------------- resolvers
# Each takes (match, text, pub) and returns a TimeSpan or None.


def _r_num_date(m: re.Match, text: str, pub: TimeSpan | None) -> TimeSpan | None:
    day = _date(_year_of(m["y"], pub), int(m["mo"]), int(m["d"]))
    if day is None or not 1900 <= day.year <= 2100:
        return None
    if m["th"] is not None:
        return _with_time(day, int(m["th"]), int(m["tm"])) or TimeSpan.day(day)
    return TimeSpan.day(day)


def _r_num_noyear(m: re.Match, text: str, pub: TimeSpan | None) -> TimeSpan | None:
    if pub is None:
        return None
    if m["pre"] is None and not (len(m["d"]) == 2 and len(m["mo"]) == 2):
        return None  # "3.5." alone is too often something else
    mo, d = int(m["mo"]), int(m["d"])
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    y = _nearest_year_day(pub, mo, d)
    return TimeSpan.day(dt.date(y, mo, d)) if y else None


def _r_written(m: re.Match, text: str, pub: TimeSpan | None) -> TimeSpan | None:
    mo, d = _month_no(m["mon"]), int(m["d"])
    if m["y"]:
        y = int(m["y"])
    elif m["yrel"]:
        y = _yrel_year(m["yrel"], pub)
    elif pub is not None:
        y = _nearest_year_day(pub, mo, d)
    else:
        y = None
    if y is None or _date(y, mo, d) is None:
        return None
    if m["d2"]:
        last = _date(y, mo, int(m["d2"]))
        if last is None or last.day <= d:
            return None
        return TimeSpan.days(dt.date(y, mo, d), last)
    return TimeSpan.day(dt.date(y, mo, d))


def _r_month(m: re.Match, text: str, pub: TimeSpan | None) -> TimeSpan | None:
    mo = _month_no(m["mon"])
    rel = m["rel"] or m["rel2"]
    if m["y"]:
        y = int(m["y"])
    elif m["yrel"]:
        y = _yrel_year(m["yrel"], pub)
    elif m["part"] is None and m["prep"] is None and rel is None:
        return None  # a bare month name ("August Bebel") is not a date
    elif pub is None:
        return None
    else:
        side = _rel_k(rel) if rel and rel.lower() not in ("diesen", "laufenden") else 0
        if rel and side == 0:
            y = pub.start.year
        else:
            y = _nearest_year_month(pub, mo, side)
    if y is None or not 1900 <= y <= 2100:
        return None
    if m["part"]:
        return _part_days(y, mo, m["part"])
    return TimeSpan.month(y, mo)


def _r_year(m: re.Match, text: str, pub: TimeSpan | None) -> TimeSpan | None:
    y = int(m["y"])
    pre = (m["pre"] or "").lower()
    if m["y2"]:
        if pre != "winter" or int(m["y2"]) != (y + 1) % 100:
            return TimeSpan.year(y) if not pre or pre in ("im", "seit", "bis", "ab") else None
        return TimeSpan(dt.datetime(y, 12, 1), dt.datetime(y + 1, 3, 1), Precision.MONTH)
    if pre in ("anfang", "mitte", "ende", "jahresende", "jahresanfang", "jahresbeginn"):
        return _part_year(y, pre)
    seasons = {"frühjahr": 3, "frühling": 3, "sommer": 6, "herbst": 9}
    if pre in seasons:
        first = seasons[pre]
        return TimeSpan(dt.datetime(y, first, 1), dt.datetime(y, first + 3, 1), Precision.MONTH)
    return TimeSpan.year(y)


def _r_dayword(m: re.Match, text: str, pub: TimeSpan | None) -> TimeSpan | None:
    if pub is None:
        return None
    off = {"vorgestern": -2, "gestern": -1, "heute": 0, "übermorgen": 2}[m["w"].lower()]
    return _rel_days(pub, off, off)


def _r_morgen(m: re.Match, text: str, pub: TimeSpan | None) -> TimeSpan | None:
    """Lower-case "morgen" is tomorrow; "Morgen" only at a sentence start ("Morgen wird ...")."""
    if pub is None:
        return None
    before = text[max(0, m.start() - 20) : m.start()].rstrip()
    if m["w"] == "Morgen" and before and before[-1] not in ".!?:\"„“»«":
        return None
    if _MORNING_BEFORE.search(before):  # "am Morgen", "heute morgen": the morning, not tomorrow
        return None
    return _rel_days(pub, 1, 1)


def _r_heuer(m: re.Match, text: str, pub: TimeSpan | None) -> TimeSpan | None:
    return None if pub is None else TimeSpan.year(pub.start.year)


def _weekday_span(pub: TimeSpan, wd: int, mode: str) -> TimeSpan:
    """mode: past (on/before), strict_past, future (on/after), strict_future, week (same week)."""
    if not _fine(pub):
        lo, hi = {"past": (-6, 0), "strict_past": (-7, -1), "future": (0, 6),
                  "strict_future": (1, 7), "week": (-6, 6)}[mode]
        return _rel_days(pub, lo, hi)
    day = _pub_day(pub)
    pw = day.weekday()
    if mode == "past":
        off = -((pw - wd) % 7)
    elif mode == "strict_past":
        off = -((pw - wd - 1) % 7 + 1)
    elif mode == "future":
        off = (wd - pw) % 7
    elif mode == "strict_future":
        off = (wd - pw - 1) % 7 + 1
    else:
        off = wd - pw
    return TimeSpan.day(day + dt.timedelta(days=off))


def _r_weekday(m: re.Match, text: str, pub: TimeSpan | None) -> TimeSpan | None:
    if pub is None:
        return None
    pre = re.sub(r"\s+", " ", (m["pre"] or "").lower())
    wd = _WEEKDAYS[m["wd"].lower()]
    if pre.startswith(("in der nacht", "seit", "vom")):
        mode = "past"
    elif "kommend" in pre or "nächst" in pre:
        mode = "strict_future"
    elif "vergangen" in pre or "letzt" in pre or "vorig" in pre:
        mode = "strict_past"
    elif pre in ("diesen", "an diesem"):
        mode = "week"
    elif pre in ("bis", "ab", "bis zum", "zum", "für"):
        mode = "future"
    else:
        mode = "future" if _future_context(text, m.start(), m.end()) else "past"
    return _weekday_span(pub, wd, mode)


def _r_weekend(m: re.Match, text: str, pub: TimeSpan | None) -> TimeSpan | None:
    if pub is None:
        return None
    pre = m["pre"].lower()
    if "vergangen" in pre or "letzt" in pre:
        mode = "strict_past"
    elif "kommend" in pre or "nächst" in pre:
        mode = "strict_future"
    elif pre in ("zum", "übers", "über das") or _future_context(text, m.start(), m.end()):
        mode = "future"
    else:
        mode = "past"
    if not _fine(pub):
        lo, hi = {"past": (-6, 0), "strict_past": (-7, -1), "future": (0, 7), "strict_future": (1, 8)}[mode]
        return _rel_days(pub, lo, hi)
    sat = _weekday_span(pub, 5, mode).start.date()
    if mode == "past" and _pub_day(pub).weekday() == 6:
        sat = _pub_day(pub) - _DAY
    return TimeSpan.days(sat, sat + _DAY)


def _r_unit(m: re.Match, text: str, pub: TimeSpan | None) -> TimeSpan | None:
    if pub is None:
        return None
    part = (m["part"] or "").lower()
    unit = (m["punit"] or m["unit"]).lower()
    k = _rel_k(m["prel"] or m["rel"] or "")
    if unit.startswith("woche"):
        a, b = {"anfang": (0, 1), "mitte": (1, 3), "ende": (4, 6)}.get(part, (0, 6))
        if _fine(pub):
            monday = _pub_day(pub) - dt.timedelta(days=_pub_day(pub).weekday() - 7 * k)
            return TimeSpan.days(monday + dt.timedelta(days=a), monday + dt.timedelta(days=b))
        return _rel_days(pub, 7 * k + a - 6, 7 * k + b)
    if unit.startswith("monat"):
        span = _rel_months(pub, k)
        if part and span.precision is Precision.MONTH:
            return _part_days(span.start.year, span.start.month, part)
        return span
    y = pub.start.year + k
    return _part_year(y, part) if part else TimeSpan.year(y)


def _r_ago(m: re.Match, text: str, pub: TimeSpan | None) -> TimeSpan | None:
    if pub is None:
        return None
    raw = m["n"].lower()
    n = int(raw) if raw.isdigit() else _NUMBERS[raw]
    unit = m["unit"].lower()
    if n == 0 or (raw.isdigit() and unit.startswith("tag") and n > 400):
        return None
    sign = -1 if m["dir"].lower() == "vor" else 1
    if unit.startswith("tag"):
        return _rel_days(pub, sign * n, sign * n)
    if unit.startswith("woche"):
        return _rel_days(pub, sign * 7 * n - 3, sign * 7 * n + 3)
    if unit.startswith("monat"):
        return _rel_months(pub, sign * n)
    y = pub.start.year + sign * n
    return TimeSpan.year(y) if 1 <= y <= 9998 else None


_MONTH_KEYS = ("jan", "feb", "mär", "maer", "mrz", "apr", "mai", "jun", "jul", "aug", "sep", "okt", "nov", "dez")
_WEEKDAY_KEYS = ("montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonnabend", "sonntag")
# Necessary conditions: fast patterns that every match of a slow pattern contains. "4.2." of "4.2.2022" and
# "4. 2. 2022" (numeric dates, with or without year); "4. Februar", "4. bis 6. Mai" (written dates: a day, then a
# month or a range); " 2021" (a year after "im", "seit", "Jahr" ...: always after whitespace). Each starts with a
# digit or a space, which the regex engine skips to in C. (A month name at a word start as the month pattern's
# gate costs as much as it saves: measured.)
_GATE_NUMERIC = re.compile(r"\d\.\s?\d{1,2}\.")
_GATE_WRITTEN = re.compile(rf"\d\.\s*(?:[-–]|bis|und|{_M})", _I)
_GATE_YEAR = re.compile(r"\s(?:19\d\d|20\d\d|2100)")
# (pattern, resolver, keys, gate): the pattern is only run when the lower-cased text holds one of the keys
# (a cheap substring test that skips most passes on a typical article; None means always) and, where a gate is
# given, the gate is found in the text.
_RESOLVERS: tuple[tuple[re.Pattern, Callable, tuple[str, ...] | None, re.Pattern | None], ...] = (
    (_P_NUM_DATE, _r_num_date, None, _GATE_NUMERIC),
    (_P_ISO_DATE, _r_num_date, ("-",), None),
    (_P_NUM_NOYEAR, _r_num_noyear, None, _GATE_NUMERIC),
    (_P_WRITTEN, _r_written, _MONTH_KEYS, _GATE_WRITTEN),
    (_P_MONTH, _r_month, _MONTH_KEYS, None),
    (_P_YEAR, _r_year, ("19", "20", "2100"), _GATE_YEAR),
    (_P_DAYWORD, _r_dayword, ("gestern", "heute", "übermorgen"), None),
    (_P_MORGEN, _r_morgen, ("morgen",), None),
    (_P_HEUER, _r_heuer, ("heuer",), None),
    (_P_WEEKDAY, _r_weekday, _WEEKDAY_KEYS, None),
    (_P_WEEKEND, _r_weekend, ("wochenende",), None),
    (_P_UNIT, _r_unit, ("woche", "monat", "jahr"), None),
    (_P_AGO, _r_ago, ("tag", "woche", "monat", "jahr"), None),
)


def _with_time(day: dt.date, h: int, mi: int) -> TimeSpan | None:
    if not (0 <= h <= 24 and 0 <= mi <= 59) or (h == 24 and mi):
        return None
    return TimeSpan.minute(dt.datetime(day.year, day.month, day.day) + dt.timedelta(hours=h, minutes=mi))


def _single_day(span: TimeSpan) -> bool:
    return span.precision is Precision.DAY and span.end - span.start == _DAY


# --------------------------------------------------------------------------- public API


def find_dates(text: str, published: TimeSpan | None) -> list[DateMention]:
    """All date expressions in ``text``, resolved against ``published``; sorted, non-overlapping."""
    cands: list[tuple[int, int, object]] = []
    lowered = text.lower()
    gates: dict[re.Pattern, bool] = {}
    for pattern, resolve, keys, gate in _RESOLVERS:
        if keys is not None and not any(k in lowered for k in keys):
            continue
        if gate is not None:
            if gate not in gates:
                gates[gate] = gate.search(text) is not None
            if not gates[gate]:
                continue
        for m in pattern.finditer(text):
            span = resolve(m, text, published)
            if span is not None:
                cands.append((m.start(), m.end(), span))
    for m in _P_TIME.finditer(text) if "uhr" in lowered else ():
        h, mi = int(m["h"]), int(m["mi"] or 0)
        if 0 <= h <= 24 and 0 <= mi <= 59 and not (h == 24 and mi):
            cands.append((m.start(), m.end(), (h, mi)))
    if not cands:
        return []

    # Longest candidate wins; ties go to the earlier one.
    cands.sort(key=lambda c: (c[0] - c[1], c[0]))
    starts: list[int] = []
    chosen: list[tuple[int, int, object]] = []
    for c in cands:
        i = bisect.bisect_left(starts, c[0])
        if i > 0 and chosen[i - 1][1] > c[0]:
            continue
        if i < len(chosen) and chosen[i][0] < c[1]:
            continue
        starts.insert(i, c[0])
        chosen.insert(i, c)

    out: list[list] = []  # [start, end, span, whether a time may still attach]
    i = 0
    while i < len(chosen):
        s, e, val = chosen[i]
        if not isinstance(val, tuple):
            out.append([s, e, val, True])
            i += 1
            continue
        h, mi = val
        prev = out[-1] if out else None
        nxt = chosen[i + 1] if i + 1 < len(chosen) else None
        if prev is not None and prev[3] and _GAP_RE.fullmatch(text, prev[1], s):
            if _single_day(prev[2]):
                prev[2] = _with_time(prev[2].start.date(), h, mi) or prev[2]
            prev[1] = e
            prev[3] = False
        elif (nxt is not None and not isinstance(nxt[2], tuple) and _GAP_RE.fullmatch(text, e, nxt[0])):
            span = nxt[2]
            if _single_day(span):
                span = _with_time(span.start.date(), h, mi) or span
            out.append([s, nxt[1], span, False])
            i += 1
        elif published is not None and _fine(published):
            span = _with_time(_pub_day(published), h, mi)
            if span is not None:
                out.append([s, e, span, False])
        i += 1
    return [DateMention(s, e, text[s:e], span) for s, e, span, _ in out]


# --------------------------------------------------------------------------- publication dates

_ISO_FULL = re.compile(
    r"(?P<y>\d{4})(?:[-/](?P<mo>\d{1,2})(?:[-/](?P<d>\d{1,2})"
    r"(?:[T ]\s*(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,]\d+)?)?"
    r"\s*(?:Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?)?)?)?"
)
_GERMAN_TIME = r"(?:\s*[,|\-–]?\s*(?:um\s+)?(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?::\d{2})?(?!\d)(?:\s*Uhr)?)?"
_GERMAN_STAMP = re.compile(
    rf"(?<![\w.])(?:(?:{_W}|[A-Z][a-z]{{1,2}}\.?),?\s+(?:den\s+)?)?"
    r"(?:(?P<d>\d{1,2})\.\s?(?P<mo>\d{1,2})\.\s?(?P<y>\d{4}|\d{2})(?!\d)"
    r"|(?P<d2>\d{1,2})\.?\s*(?P<mon>[A-Za-zÄÖÜäöü]{3,9}\.?)\s+(?P<y2>\d{4})(?!\d)"
    r"|(?P<mon3>[A-Za-zÄÖÜäöü]{3,9}\.?)\s+(?P<d3>\d{1,2}),?\s+(?P<y3>\d{4})(?!\d))"
    + _GERMAN_TIME,
    _I,
)
_MONTH_YEAR = re.compile(r"(?<![\w.])(?P<mon>[A-Za-zÄÖÜäöü]{3,9}\.?)\s+(?P<y>\d{4})(?!\d)")
_STAMP_LABEL = re.compile(
    r"(?P<label>veröffentlicht|erstellt|publiziert|erschienen|datum|stand|zuletzt\s+aktualisiert"
    r"|aktualisiert|update)\s*(?:am|vom)?\s*:?\s*",
    _I,
)
_LABEL_RANK = {"veröffentlicht": 0, "erstellt": 0, "publiziert": 0, "erschienen": 0, "datum": 0, "stand": 1}


def _any_month(word: str) -> int | None:
    w = word.lower().rstrip(".")
    return _MONTHS.get(w) or _EN_MONTHS.get(w) or (_EN_MONTHS_ABBR.get(w))


_EN_MONTHS_ABBR = {k[:3]: v for k, v in _EN_MONTHS.items()} | {"oct": 10, "dec": 12, "may": 5}


def _stamp_span(m: re.Match) -> TimeSpan | None:
    if m["d"]:
        y, mo, d = _year_of(m["y"], None), int(m["mo"]), int(m["d"])
    elif m["d2"]:
        mo = _any_month(m["mon"])
        y, d = int(m["y2"]), int(m["d2"])
    else:
        mo = _any_month(m["mon3"])
        y, d = int(m["y3"]), int(m["d3"])
    day = _date(y, mo, d) if mo else None
    if day is None or not 1900 <= day.year <= 2100:
        return None
    if m["h"] is not None:
        return _with_time(day, int(m["h"]), int(m["mi"])) or TimeSpan.day(day)
    return TimeSpan.day(day)


def parse_published(value: str) -> TimeSpan | None:
    """A publication date of any precision, or None.

    Accepts ISO forms ("2021", "2021-12", "2021-12-08", "2021-12-08T14:30",
    "2021-12-08T14:30:00+01:00", "2021-12-08 14:30:00"), RFC 2822 ("Wed, 08 Dec 2021 14:30:00 +0100"),
    and German forms ("08.12.2021", "8. Dezember 2021", "Dezember 2021", "Stand: 04.02.2022 11:39 Uhr").
    A month alone is the whole month.  A UTC offset is dropped and the local wall time kept
    ("14:30:00+01:00" -> 14:30).  An ISO time of exactly midnight ("T00:00:00") is read as a
    date-only placeholder (DAY precision).  The Unix epoch day 1970-01-01 is treated as a
    placeholder and gives None, as does anything outside 1900-2100 or unparseable.
    """
    if not isinstance(value, str):
        return None
    s = value.strip()
    if not s or len(s) > 200:
        return None
    span = _parse_published(s)
    if span is None or not 1900 <= span.start.year <= 2100:
        return None
    if span.start.date() == dt.date(1970, 1, 1) and span.precision.rank >= Precision.DAY.rank:
        return None
    return span


def _parse_published(s: str) -> TimeSpan | None:
    m = _ISO_FULL.fullmatch(s)
    if m:
        y = int(m["y"])
        if m["mo"] is None:
            return TimeSpan.year(y)
        mo = int(m["mo"])
        if not 1 <= mo <= 12:
            return None
        if m["d"] is None:
            return TimeSpan.month(y, mo)
        day = _date(y, mo, int(m["d"]))
        if day is None:
            return None
        if m["h"] is None or (int(m["h"]) == 0 and int(m["mi"]) == 0 and int(m["s"] or 0) == 0):
            return TimeSpan.day(day)
        return _with_time(day, int(m["h"]), int(m["mi"]))
    if re.match(r"[A-Za-z]{3},?\s+\d{1,2}\s+[A-Za-z]{3}\s+\d{4}", s):
        try:
            moment = parsedate_to_datetime(s)
        except (TypeError, ValueError, IndexError):
            moment = None
        if moment is not None:
            return TimeSpan.minute(moment)
    m = _GERMAN_STAMP.search(s)
    if m:
        return _stamp_span(m)
    m = _MONTH_YEAR.search(s)
    if m:
        mo = _any_month(m["mon"])
        if mo:
            return TimeSpan.month(int(m["y"]), mo)
    return None


def find_published_in_text(text: str, window: int = 600) -> TimeSpan | None:
    """A publication/update stamp carried by the article near its start or end, or None.

    Looks for a labelled stamp ("Stand: 04.02.2022 11:39 Uhr", "Veröffentlicht am 4. Februar
    2022, 11:39", "Aktualisiert: ...") in the first and last ``window`` characters; a stamp that
    states a time gives MINUTE precision, one without gives DAY.  Publication labels win over
    "Stand", which wins over "Aktualisiert"; then the earliest.  An unlabelled date with a time
    on the article's first line also counts.
    """
    if not text:
        return None
    regions = [(0, min(len(text), window))]
    if len(text) > window:
        regions.append((max(window, len(text) - window), len(text)))
    best = None
    for lo, hi in regions:
        for lab in _STAMP_LABEL.finditer(text, lo, hi):
            m = _GERMAN_STAMP.match(text, lab.end(), min(len(text), lab.end() + 80))
            if not m:
                continue
            span = _stamp_span(m)
            if span is None:
                continue
            label = re.sub(r"\s+", " ", lab["label"].lower())
            key = (_LABEL_RANK.get(label, 2), lab.start())
            if best is None or key < best[0]:
                best = (key, span)
    if best is not None:
        return best[1]
    first_line = text[: min(len(text), 200)].lstrip().split("\n", 1)[0]
    m = _GERMAN_STAMP.match(first_line)
    if m and m["h"] is not None:
        return _stamp_span(m)
    return None
