"""How each outlet covered one event: pure functions over a list of ``(Article, Analysis)``.

``compare_articles(items)`` splits the articles into claims, groups the claims that say the same thing,
and returns a ``Comparison``: the shared core, what only some outlets report, figures and dates that
disagree, whom each outlet cites, all linked to article ids and character spans.
``diff_comparisons(before, after)`` tells, for a storyline, which claims are new and which were dropped.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from newsloom.compare.claims import Claim, outlet_label, split_claims
from newsloom.compare.group import THRESHOLD, group_claims, similarity_matrix
from newsloom.compare.uniqueness import ONLY_MODEL, Closest, OnlyModel, only_features
from newsloom.records import Analysis, Article, MentionKind

COMPARISON_FORMAT_VERSION = 1

_OFFICIAL = re.compile(
    r"präsident|minister|kanzler|sprecher|regierung|kreml|präsidialamt|ministerium|bürgermeister|rathaus|behörde|"
    r"polizei|staatsanwalt|botschaft|senat|stadtverwaltung|amt\b|staatschef|berater|außenamt|weißes haus",
    re.IGNORECASE,
)


@dataclass
class ClaimGroup:
    id: str
    label: str  # the text of the group's most central claim
    claims: list[Claim]
    outlets: list[str]
    status: str = "unique"  # "core" (most outlets), "partial" (several, not most), "unique" (one outlet)
    # for one-outlet groups: the calibrated "only here" decision (``uniqueness``), its probability and the
    # closest claim of another outlet as evidence
    only_here: bool = False
    only_score: float | None = None
    closest: Closest | None = None

    def to_json(self) -> dict:
        return {"id": self.id, "label": self.label, "status": self.status, "outlets": self.outlets,
                "n_outlets": len(self.outlets), "claims": [c.ref() for c in self.claims],
                "only_here": self.only_here,
                "only_score": round(self.only_score, 3) if self.only_score is not None else None,
                "closest": self.closest.to_json() if self.closest is not None else None}


@dataclass
class Disagreement:
    kind: str  # "number" or "date"
    group_id: str
    quantity: str  # the unit ("=beschäftigte", "prozent") or "date"
    values: list[dict]  # {value, text, outlet, article_id, start, end, sentence, sentence_start, sentence_end}

    def to_json(self) -> dict:
        return {"kind": self.kind, "group": self.group_id, "quantity": self.quantity, "values": self.values}


@dataclass
class Citation:
    name: str
    key: str | None
    count: int
    side: str | None
    official: bool
    quotes: list[dict]  # {article_id, start, end, text, kind, channel}

    def to_json(self) -> dict:
        return {"name": self.name, "key": self.key, "count": self.count, "side": self.side,
                "official": self.official, "quotes": self.quotes}


@dataclass
class OutletCoverage:
    outlet: str
    articles: list[str]
    n_claims: int
    only: list[str]  # ids of groups no other outlet carries (the calibrated decision says so)
    some: list[str]  # ids of groups carried by several but not most outlets
    missing_core: list[str]  # core groups this outlet does not carry
    speakers: list[Citation] = field(default_factory=list)
    channels: list[dict] = field(default_factory=list)  # {name, count}
    sides: list[str] = field(default_factory=list)
    one_sided: bool = False
    officials_only: bool = False
    maybe_only: list[str] = field(default_factory=list)  # one-outlet groups with a close claim elsewhere

    def to_json(self) -> dict:
        return {"outlet": self.outlet, "articles": self.articles, "n_claims": self.n_claims, "only": self.only,
                "some": self.some, "missing_core": self.missing_core, "maybe_only": self.maybe_only,
                "citations": {"speakers": [s.to_json() for s in self.speakers], "channels": self.channels,
                              "sides": self.sides, "one_sided": self.one_sided,
                              "officials_only": self.officials_only}}


@dataclass
class Comparison:
    event_id: str | None
    title: str
    outlets: list[OutletCoverage]
    groups: list[ClaimGroup]
    core: list[str]
    disagreements: list[Disagreement]
    sides: list[str]
    articles_total: int | None = None  # when set, the event has more articles than were compared

    def group(self, group_id: str) -> ClaimGroup:
        return next(g for g in self.groups if g.id == group_id)

    def outlet(self, name: str) -> OutletCoverage:
        return next(o for o in self.outlets if o.outlet == name)

    def only(self, outlet: str) -> list[ClaimGroup]:
        return [self.group(g) for g in self.outlet(outlet).only]

    def to_json(self) -> dict:
        return {
            "schema": COMPARISON_FORMAT_VERSION, "event_id": self.event_id, "title": self.title,
            "outlets": [o.to_json() for o in self.outlets],
            "core": self.core, "groups": [g.to_json() for g in self.groups],
            "disagreements": [d.to_json() for d in self.disagreements], "sides": self.sides,
            "articles_compared": sum(len(o.articles) for o in self.outlets),
            "articles_total": self.articles_total if self.articles_total is not None
            else sum(len(o.articles) for o in self.outlets),
        }


# --------------------------------------------------------------------------------------------------------
MAX_CLAIMS_PER_ARTICLE = 40  # news puts what it reports first; essays of hundreds of sentences are cut here


def claims_of(items: list[tuple[Article, Analysis]]) -> list[Claim]:
    return [c for article, analysis in items for c in split_claims(article, analysis)[:MAX_CLAIMS_PER_ARTICLE]]


def _label(claims: list[Claim], idx: list[int], sim) -> Claim:
    if len(idx) <= 2:
        return claims[idx[0]]
    best = max(idx, key=lambda i: sum(sim[i, j] for j in idx))
    return claims[best]


def build_groups(claims: list[Claim], threshold: float = THRESHOLD, prefix: str = "g",
                 sim=None) -> list[ClaimGroup]:
    if sim is None:
        sim = similarity_matrix(claims)
    groups = []
    for n, idx in enumerate(group_claims(claims, threshold, sim), 1):
        members = [claims[i] for i in idx]
        outlets = sorted({c.outlet for c in members})
        groups.append(ClaimGroup(f"{prefix}{n}", _label(claims, idx, sim).text, members, outlets))
    return groups


def decide_only(groups: list[ClaimGroup], claims: list[Claim], items: list[tuple[Article, Analysis]], sim,
                model: OnlyModel = ONLY_MODEL) -> None:
    """Set ``only_here``, ``only_score`` and ``closest`` of every one-outlet group: "only here" when even its
    least certain claim has a probability of at least ``model.threshold``."""
    index = {id(c): i for i, c in enumerate(claims)}
    lonely = [g for g in groups if len(g.outlets) == 1]
    candidates = [index[id(c)] for g in lonely for c in g.claims]
    if not candidates:
        return
    features, closest = only_features(claims, items, sim, candidates)
    prob = dict(zip(candidates, model.probability(features)))
    near = dict(zip(candidates, closest))
    for g in lonely:
        mine = [index[id(c)] for c in g.claims]
        g.only_score = float(min(prob[i] for i in mine))
        g.only_here = g.only_score >= model.threshold
        found = [near[i] for i in mine if near[i] is not None]
        g.closest = max(found, key=lambda x: x.score) if found else None


def _status(n: int, total: int) -> str:
    if n >= 2 and n * 2 > total:
        return "core"
    if n >= 2:
        return "partial"
    return "unique"


def _sentence_ref(c: Claim) -> dict:
    return {"outlet": c.outlet, "article_id": c.article_id, "sentence": c.text, "sentence_start": c.start,
            "sentence_end": c.end}


MAX_FIGURE_RATIO = 3.0  # outlets that disagree on one figure give values of the same size (1200 vs 1500)


def _disagreements(groups: list[ClaimGroup]) -> list[Disagreement]:
    found = []
    for g in groups:
        if len(g.outlets) < 2:
            continue
        # figures: per unit, the values each outlet gives
        by_unit: dict[str, list[tuple[Claim, object]]] = defaultdict(list)
        for c in g.claims:
            for q in c.quantities:
                by_unit[q.unit].append((c, q))
        for unit, pairs in by_unit.items():
            per_outlet = defaultdict(set)
            for c, q in pairs:
                per_outlet[c.outlet].add(q.value)
            if len(per_outlet) < 2:
                continue
            values = {v for vs in per_outlet.values() for v in vs}
            # a disagreement: two outlets, each with one figure for the unit, and the figures differ
            singles = {o: next(iter(vs)) for o, vs in per_outlet.items() if len(vs) == 1}
            if len(set(singles.values())) < 2 or len(values) > 4:
                continue
            # figures of very different size measure different things (a count and a rate per 100,000)
            low, high = min(singles.values()), max(singles.values())
            if low <= 0 or high / low > MAX_FIGURE_RATIO:
                continue
            rows = []
            seen = set()
            for c, q in pairs:
                if c.outlet not in singles or (c.outlet, q.value) in seen:
                    continue
                seen.add((c.outlet, q.value))
                value = int(q.value) if float(q.value).is_integer() else q.value
                rows.append({"value": value, "text": q.text, "start": q.start, "end": q.end, "approx": q.approx,
                             **_sentence_ref(c)})
            found.append(Disagreement("number", g.id, unit, rows))
        # dates: one date per claim, outlets giving different, non-overlapping days
        dated = [(c, c.dates[0]) for c in g.claims if len(c.dates) == 1]
        per_outlet = {}
        for c, d in dated:
            per_outlet.setdefault(c.outlet, (c, d))
        spans = list(per_outlet.values())
        if len(spans) >= 2 and any(not a[1].span.overlaps(b[1].span) for a in spans for b in spans):
            rows = [{"value": d.span.iso(), "text": d.text, "start": d.start, "end": d.end, "approx": False,
                     **_sentence_ref(c)} for c, d in spans]
            found.append(Disagreement("date", g.id, "date", rows))
    return found


def _speaker_side(key: str | None, name: str, article: Article, analysis: Analysis, depth: int = 0) -> str | None:
    """The side a speaker stands for, read from the noun phrase that introduces the speaker: a country
    ("der russische Präsident X", "Chinas Staatschef X"), an organisation ("GNS-Verhandlungsführerin X",
    "der Vertreter des Präsidialamtes, X", "X, Sprecherin der Polizei"), or the side of a person named in the
    genitive ("Putins Berater X"). An organisation or place speaking itself is its own side."""
    mentions = sorted(analysis.mentions, key=lambda m: m.start)
    own = [m for m in mentions if (key and m.key == key) or m.name == name]
    if not own:
        return None
    text = article.text
    for first in own[:4]:
        if first.type.value in ("ORG", "LOC") and first.kind is MentionKind.NAME:
            break
        lo = max(0, first.start - 60)
        phrase_start = max(lo, max((text.rfind(ch, lo, first.start) for ch in ".;:!?\n\"„“»«"), default=lo) + 1)
        gap = text[phrase_start:first.start]
        # "des Präsidialamtes in Moskau, Juri Uschakow": the apposition before the comma belongs to the name
        before = [m for m in mentions if phrase_start <= m.start and m.end <= first.start and m.key != first.key]
        prefix = re.search(r"(\b[A-ZÄÖÜ][\wÄÖÜäöüß]*)-[a-zäöüß]*[A-Za-zÄÖÜäöüß]+\s+(?:[A-Z][\w-]+\s+)?$", gap)
        if prefix:
            word = prefix.group(1)
            org = next((m for m in mentions if m.text == word or m.name == word), None)
            return org.name if org else word
        for m in reversed(before):
            if m.type.value == "PER" and text[m.end - 1:m.end] == "s" and depth == 0:
                side = _speaker_side(m.key, m.name, article, analysis, depth + 1)
                if side:
                    return side
                continue
            if m.kind is MentionKind.DEMONYM or m.type.value in ("ORG", "LOC"):
                return m.name
        hi = min(len(text), first.end + 60)
        stop = min([i for i in (text.find(ch, first.end, hi) for ch in ".;!?") if i >= 0] or [hi])
        tail = text[first.end:stop]
        if re.match(r"^,\s*(?:die|der|das)?\s*[\w-]+\s+(?:des|der|von|vom|aus|beim)\b", tail):
            after = [m for m in mentions if first.end <= m.start and m.end <= stop]
            for m in after:
                if m.kind is MentionKind.DEMONYM or m.type.value in ("ORG", "LOC"):
                    return m.name
    if own[0].type.value in ("ORG", "LOC") and depth == 0:
        return own[0].name
    return None


def _citations(items: list[tuple[Article, Analysis]]) -> dict[str, dict]:
    per_outlet: dict[str, dict] = {}
    seen: set[tuple[str, str]] = set()
    for article, analysis in items:
        outlet = outlet_label(article)
        slot = per_outlet.setdefault(outlet, {"speakers": {}, "channels": Counter()})
        for q in analysis.quotes:
            norm = (outlet, re.sub(r"\W+", " ", q.text).strip().lower())
            if norm in seen:
                continue  # the same quote in a second copy of the outlet's article counts once
            seen.add(norm)
            name = q.speaker or "(unattributed)"
            key = q.speaker_key or (q.speaker.lower() if q.speaker else None)
            entry = slot["speakers"].get(key or name)
            if entry is None:
                role = next((m.role for m in analysis.mentions if m.key == q.speaker_key and m.role), "") or ""
                side = _speaker_side(q.speaker_key, name, article, analysis) if q.speaker else None
                official = bool(_OFFICIAL.search(role) or _OFFICIAL.search(name))
                entry = Citation(name, key, 0, side, official, [])
                slot["speakers"][key or name] = entry
            entry.count += 1
            entry.quotes.append({"article_id": article.id, "start": q.start, "end": q.end, "text": q.text,
                                 "kind": q.kind, "channel": q.channel})
            if q.channel:
                slot["channels"][q.channel] += 1
    return per_outlet


def once_per_outlet(claims: list[Claim]) -> list[Claim]:
    seen: set[tuple[str, str]] = set()
    out = []
    for c in claims:
        key = (c.outlet, c.text_key)
        if len(c.text_key) > 20 and key in seen:
            continue
        seen.add(key)
        out.append(c)
    return out


def compare_articles(items: list[tuple[Article, Analysis]], *, event_id: str | None = None, title: str = "",
                     threshold: float = THRESHOLD, only_model: OnlyModel = ONLY_MODEL) -> Comparison:
    """Compare how the outlets of ``items`` (one event) covered it."""
    items = sorted(items, key=lambda p: (p[0].published.start.isoformat() if p[0].published else "", p[0].id))
    claims = once_per_outlet(claims_of(items))
    outlets_articles: dict[str, list[str]] = defaultdict(list)
    for article, _ in items:
        outlets_articles[outlet_label(article)].append(article.id)
    total = len(outlets_articles)
    sim = similarity_matrix(claims)
    groups = build_groups(claims, threshold, sim=sim)
    for g in groups:
        g.status = _status(len(g.outlets), total)
    decide_only(groups, claims, items, sim, only_model)
    groups.sort(key=lambda g: (-len(g.outlets), g.claims[0].article_id, g.claims[0].start))
    for n, g in enumerate(groups, 1):
        g.id = f"g{n}"
    core = [g.id for g in groups if g.status == "core"]
    citations = _citations(items)
    all_sides = sorted({s.side for slot in citations.values() for s in slot["speakers"].values() if s.side})
    coverage = []
    for outlet, article_ids in outlets_articles.items():
        mine = [g for g in groups if outlet in g.outlets]
        slot = citations.get(outlet, {"speakers": {}, "channels": Counter()})
        speakers = sorted(slot["speakers"].values(), key=lambda s: (-s.count, s.name))
        sides = sorted({s.side for s in speakers if s.side})
        quoted = sum(s.count for s in speakers if s.side)
        coverage.append(OutletCoverage(
            outlet=outlet, articles=article_ids, n_claims=sum(1 for c in claims if c.outlet == outlet),
            only=[g.id for g in mine if g.status == "unique" and g.only_here],
            maybe_only=[g.id for g in mine if g.status == "unique" and not g.only_here],
            some=[g.id for g in mine if g.status == "partial"],
            missing_core=[g for g in core if outlet not in next(x for x in groups if x.id == g).outlets],
            speakers=speakers,
            channels=[{"name": n, "count": k} for n, k in slot["channels"].most_common()],
            sides=sides, one_sided=len(all_sides) >= 2 and len(sides) == 1 and quoted >= 2,
            officials_only=bool(speakers) and all(s.official for s in speakers if s.key) and
            any(s.key for s in speakers),
        ))
    return Comparison(event_id, title, coverage, groups, core, _disagreements(groups), all_sides)


# --------------------------------------------------------------------------------------------------------
@dataclass
class StorylineStep:
    from_event: str | None
    to_event: str
    new: list[dict]  # claims of the later event that the earlier one did not carry
    dropped: list[dict]  # claims of the earlier event that the later one no longer carries
    kept: list[dict]  # pairs: {before: claim, after: claim}

    def to_json(self) -> dict:
        return {"from_event": self.from_event, "to_event": self.to_event, "new": self.new,
                "dropped": self.dropped, "kept": self.kept}


@dataclass
class StorylineComparison:
    storyline_id: str | None
    title: str
    events: list[Comparison]
    steps: list[StorylineStep]

    def to_json(self) -> dict:
        return {"schema": COMPARISON_FORMAT_VERSION, "storyline_id": self.storyline_id, "title": self.title,
                "events": [{"event_id": e.event_id, "title": e.title, "core": e.core,
                            "n_groups": len(e.groups)} for e in self.events],
                "steps": [s.to_json() for s in self.steps]}


def _group_ref(g: ClaimGroup) -> dict:
    return {"group": g.id, "label": g.label, "outlets": g.outlets, "claims": [c.ref() for c in g.claims]}


def diff_comparisons(before: Comparison, after: Comparison, threshold: float = THRESHOLD) -> StorylineStep:
    """Which claim groups of ``after`` are new against ``before`` and which of ``before`` were dropped."""
    reps_b = [(g, g.claims) for g in before.groups]
    reps_a = [(g, g.claims) for g in after.groups]
    claims = [c for _, cs in reps_b for c in cs] + [c for _, cs in reps_a for c in cs]
    owner = [("b", g.id) for g, cs in reps_b for _ in cs] + [("a", g.id) for g, cs in reps_a for _ in cs]
    if not claims:
        return StorylineStep(before.event_id, after.event_id or "", [], [], [])
    sim = similarity_matrix(claims)
    # group-to-group similarity: the best claim pair
    best: dict[tuple[str, str], float] = {}
    nb = sum(len(cs) for _, cs in reps_b)
    for i in range(nb):
        for j in range(nb, len(claims)):
            k = (owner[i][1], owner[j][1])
            if sim[i, j] > best.get(k, 0.0):
                best[k] = float(sim[i, j])
    matched_b, matched_a, kept = set(), set(), []
    for (gb, ga), score in sorted(best.items(), key=lambda kv: -kv[1]):
        if score < threshold + 0.1 or gb in matched_b or ga in matched_a:
            continue
        matched_b.add(gb)
        matched_a.add(ga)
        kept.append({"before": _group_ref(before.group(gb)), "after": _group_ref(after.group(ga)),
                     "similarity": round(score, 3)})
    new = [_group_ref(g) for g in after.groups if g.id not in matched_a]
    dropped = [_group_ref(g) for g in before.groups if g.id not in matched_b]
    return StorylineStep(before.event_id, after.event_id or "", new, dropped, kept)


def compare_events(comparisons: list[Comparison], *, storyline_id: str | None = None,
                   title: str = "") -> StorylineComparison:
    steps = [diff_comparisons(a, b) for a, b in zip(comparisons, comparisons[1:])]
    return StorylineComparison(storyline_id, title, comparisons, steps)
