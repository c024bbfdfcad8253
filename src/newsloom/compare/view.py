"""What a reader sees of a comparison: one view, built from the comparison's JSON, for the web page and the terminal.

``coverage_view(data)`` turns ``Comparison.to_json()`` (or the cached JSON of ``comparison_json``) into plain
records: a matrix of claim groups x outlets (core, partial, only here), every cell a reference to the sentence in
its article; disagreements side by side; per outlet, whom it quotes and what it alone reports (with the closest
claim of another outlet as evidence when the comparison gives one). ``storyline_view(data)`` does the same for
``StorylineComparison.to_json()``: per step, the new, dropped and kept claims.

Only fields of the documented JSON shape are required; anything else is optional and left out when absent.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote

STATUS_LABELS = {"core": "core", "partial": "partial", "unique": "only here", "maybe": "one outlet"}
MAX_UNIQUE_ROWS = 80  # matrix rows of claims only one outlet carries (the per-outlet lists hold them all)
MAX_LISTED = 60  # claims listed per outlet or step before "... n more"


@dataclass
class ClaimRef:
    """One sentence (or clause) of an article: where to find it and what it says."""

    article_id: str
    start: int
    end: int
    text: str
    outlet: str = ""
    speaker: str | None = None
    similarity: float | None = None

    @property
    def href(self) -> str:
        return f"/articles/{quote(self.article_id, safe='')}?hl={self.start}-{self.end}#hl"

    @property
    def where(self) -> str:
        """The terminal's reference: article id and character span."""
        return f"{self.article_id} {self.start}-{self.end}"


@dataclass
class MatrixRow:
    group: str
    label: str
    status: str
    status_label: str
    n_outlets: int
    cells: list[ClaimRef | None]  # one per column, in column order
    closest: ClaimRef | None = None  # for a claim only one outlet carries: the nearest claim elsewhere, if given
    only_here: bool = True  # False: one outlet carries it, but a close claim elsewhere makes "only here" unsure

    @property
    def maybe(self) -> bool:
        """One outlet carries it, and the comparison found a similar claim elsewhere."""
        return self.status == "unique" and not self.only_here


@dataclass
class DisagreementValue:
    outlet: str
    value: str
    figure: str  # the figure or date as written
    sentence: ClaimRef
    before: str  # the sentence around the figure, for marking it
    after: str


@dataclass
class DisagreementView:
    kind: str
    quantity: str
    group: str
    values: list[DisagreementValue]


@dataclass
class SpeakerRow:
    name: str
    key: str | None
    side: str | None
    official: bool
    count: int
    first: ClaimRef | None


@dataclass
class OutletView:
    name: str
    short: str
    articles: list[str]
    n_claims: int
    speakers: list[SpeakerRow]
    channels: list[tuple[str, int]]
    flags: list[str]
    only: list[MatrixRow]
    maybe: list[MatrixRow]  # one-outlet claims with a close claim elsewhere (the comparison's "maybe_only")
    n_some: int
    n_missing_core: int


@dataclass
class CoverageView:
    event_id: str | None
    title: str
    columns: list[str]  # outlet names (column order)
    short: list[str]  # short column headers
    rows: list[MatrixRow]  # core, then partial, then the first MAX_UNIQUE_ROWS "only here" rows
    counts: dict[str, int]  # core, partial, unique, groups
    hidden_unique: int
    disagreements: list[DisagreementView]
    outlets: list[OutletView]
    sides: list[str]
    articles_compared: int
    articles_total: int

    @property
    def shared_rows(self) -> list[MatrixRow]:
        return [r for r in self.rows if r.status != "unique"]

    @property
    def unique_rows(self) -> list[MatrixRow]:
        return [r for r in self.rows if r.status == "unique"]


def short_outlet(name: str, width: int = 22) -> str:
    """A column header: "unknown (004_03f6dc859300f74d)" -> "unknown 004_03f6…", long names cut."""
    if name.startswith("unknown (") and name.endswith(")"):
        inner = name[len("unknown ("):-1]
        return "unknown " + (inner[:8] + "…" if len(inner) > 9 else inner)
    return name if len(name) <= width else name[: width - 1] + "…"


def _ref(item: dict | None, outlet: str = "") -> ClaimRef | None:
    """A ClaimRef from a claim-like dict: needs an article id and a character span."""
    if not isinstance(item, dict):
        return None
    article_id = item.get("article_id") or item.get("article")
    start, end = item.get("start"), item.get("end")
    if start is None and "sentence_start" in item:
        start, end = item.get("sentence_start"), item.get("sentence_end")
    if not isinstance(article_id, str) or not isinstance(start, int) or not isinstance(end, int):
        return None
    text = item.get("text") or item.get("sentence") or item.get("label") or ""
    similarity = item.get("similarity", item.get("score"))
    return ClaimRef(article_id, start, end, str(text), str(item.get("outlet") or outlet),
                    item.get("speaker"), float(similarity) if isinstance(similarity, (int, float)) else None)


_CLOSEST_KEYS = ("closest", "nearest", "closest_claim", "nearest_claim", "closest_other", "evidence")


def _closest(group: dict) -> ClaimRef | None:
    """The closest claim of another outlet, where the comparison gives one (on the group or on its claim)."""
    places = [group] + [c for c in group.get("claims") or [] if isinstance(c, dict)]
    for place in places:
        for key in _CLOSEST_KEYS:
            value = place.get(key)
            if isinstance(value, list):
                value = value[0] if value else None
            ref = _ref(value)
            if ref is not None:
                return ref
    return None


def _row(group: dict, columns: list[str]) -> MatrixRow:
    by_outlet: dict[str, ClaimRef] = {}
    for claim in group.get("claims") or []:
        ref = _ref(claim)
        if ref is not None and ref.outlet not in by_outlet:
            by_outlet[ref.outlet] = ref
    status = group.get("status") or "unique"
    only_here = status == "unique" and group.get("only_here") is not False  # absent: every unique claim is
    label = STATUS_LABELS.get("maybe" if status == "unique" and not only_here else status, status)
    return MatrixRow(
        group=str(group.get("id")), label=str(group.get("label") or ""), status=status,
        status_label=label, n_outlets=int(group.get("n_outlets") or len(by_outlet)),
        cells=[by_outlet.get(name) for name in columns], closest=_closest(group) if status == "unique" else None,
        only_here=only_here,
    )


def _quantity(name: str) -> str:
    return name.lstrip("=").replace("_", " ") if name else ""


def _figure(value) -> str:
    """A figure as people write it: 2 000 000 (thin spaces between thousands), 2.5."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}".replace(",", "\u202f")
    return str(value)


def _disagreement(item: dict) -> DisagreementView:
    values = []
    for v in item.get("values") or []:
        sentence = _ref({"article_id": v.get("article_id"), "start": v.get("sentence_start"),
                         "end": v.get("sentence_end"), "text": v.get("sentence"), "outlet": v.get("outlet")})
        if sentence is None:
            sentence = _ref(v)
        if sentence is None:
            continue
        figure = str(v.get("text") or v.get("value"))
        before, after = sentence.text, ""
        start, s0 = v.get("start"), v.get("sentence_start")
        if isinstance(start, int) and isinstance(s0, int) and 0 <= start - s0 <= len(sentence.text):
            k = start - s0
            if sentence.text[k:k + len(figure)] == figure:
                before, after = sentence.text[:k], sentence.text[k + len(figure):]
            else:
                before, figure, after = sentence.text, "", ""
        else:
            before, figure, after = sentence.text, "", ""
        values.append(DisagreementValue(str(v.get("outlet") or ""), _figure(v.get("value")), figure, sentence,
                                        before, after))
    kind = str(item.get("kind") or "")
    return DisagreementView(kind, "date" if kind == "date" else _quantity(str(item.get("quantity") or "")),
                            str(item.get("group") or ""), values)


def _speakers(citations: dict) -> list[SpeakerRow]:
    rows = []
    for s in citations.get("speakers") or []:
        quotes = [q for q in s.get("quotes") or [] if isinstance(q, dict)]
        rows.append(SpeakerRow(str(s.get("name") or "(unattributed)"), s.get("key"), s.get("side"),
                               bool(s.get("official")), int(s.get("count") or len(quotes)),
                               _ref(quotes[0]) if quotes else None))
    return rows


def coverage_view(data: dict) -> CoverageView:
    """The reader's view of a comparison (``Comparison.to_json()``)."""
    groups = [g for g in data.get("groups") or [] if isinstance(g, dict)]
    outlets = [o for o in data.get("outlets") or [] if isinstance(o, dict)]
    # columns: outlets with most shared claims first, then by name
    carried: dict[str, int] = {}
    for g in groups:
        if g.get("status") != "unique":
            for name in g.get("outlets") or []:
                carried[name] = carried.get(name, 0) + 1
    columns = sorted((o["outlet"] for o in outlets), key=lambda n: (-carried.get(n, 0), n.startswith("unknown"), n))
    order = {"core": 0, "partial": 1, "unique": 2}
    rows_all = [_row(g, columns) for g in groups]
    rows_all.sort(key=lambda r: (order.get(r.status, 3), -r.n_outlets))
    by_id = {r.group: r for r in rows_all}
    shared = [r for r in rows_all if r.status != "unique"]
    unique = [r for r in rows_all if r.status == "unique"]
    # "only here" rows: taken in turn from each outlet, so that no outlet fills the matrix alone
    per_outlet: dict[int, list[MatrixRow]] = {}
    for r in unique:
        column = next((i for i, c in enumerate(r.cells) if c is not None), len(columns))
        per_outlet.setdefault(column, []).append(r)
    shown: list[MatrixRow] = []
    turn = 0
    while len(shown) < min(MAX_UNIQUE_ROWS, len(unique)):
        for column in sorted(per_outlet):
            if turn < len(per_outlet[column]) and len(shown) < MAX_UNIQUE_ROWS:
                shown.append(per_outlet[column][turn])
        turn += 1
    shown.sort(key=lambda r: next((i for i, c in enumerate(r.cells) if c is not None), len(columns)))
    counts = {"core": sum(r.status == "core" for r in shared), "partial": sum(r.status == "partial" for r in shared),
              "unique": len(unique), "only_here": sum(r.only_here for r in unique),
              "maybe": sum(r.maybe for r in unique), "groups": len(rows_all)}
    n_sides = len(data.get("sides") or [])
    outlet_views = []
    for o in sorted(outlets, key=lambda o: columns.index(o["outlet"])):
        citations = o.get("citations") or {}
        flags = []
        if citations.get("one_sided"):
            sides = citations.get("sides") or []
            flags.append(f"quotes only one side{': ' + sides[0] if sides else ''} (of {n_sides} in this event)")
        if citations.get("officials_only"):
            flags.append("quotes only officials")
        outlet_views.append(OutletView(
            name=o["outlet"], short=short_outlet(o["outlet"]), articles=list(o.get("articles") or []),
            n_claims=int(o.get("n_claims") or 0), speakers=_speakers(citations),
            channels=[(str(c.get("name")), int(c.get("count") or 0)) for c in citations.get("channels") or []],
            flags=flags, only=[by_id[g] for g in o.get("only") or [] if g in by_id],
            maybe=[by_id[g] for g in o.get("maybe_only") or [] if g in by_id],
            n_some=len(o.get("some") or []), n_missing_core=len(o.get("missing_core") or []),
        ))
    compared = int(data.get("articles_compared") or sum(len(o.articles) for o in outlet_views))
    return CoverageView(
        event_id=data.get("event_id"), title=str(data.get("title") or ""), columns=columns,
        short=[short_outlet(c) for c in columns], rows=shared + shown, counts=counts,
        hidden_unique=len(unique) - len(shown),
        disagreements=[_disagreement(d) for d in data.get("disagreements") or [] if isinstance(d, dict)],
        outlets=outlet_views, sides=list(data.get("sides") or []), articles_compared=compared,
        articles_total=int(data.get("articles_total") or compared),
    )


# -- storylines ---------------------------------------------------------------------------------------------
@dataclass
class StepGroup:
    label: str
    outlets: list[str]
    first: ClaimRef | None


@dataclass
class KeptPair:
    before: StepGroup
    after: StepGroup
    similarity: float | None


@dataclass
class StepView:
    from_event: str | None
    to_event: str
    new: list[StepGroup]
    dropped: list[StepGroup]
    kept: list[KeptPair]
    n_new: int = 0
    n_dropped: int = 0
    n_kept: int = 0


@dataclass
class StorylineView:
    storyline_id: str | None
    title: str
    events: list[dict]  # {event_id, title, core, n_groups}
    steps: list[StepView] = field(default_factory=list)

    def step_to(self, event_id: str) -> StepView | None:
        return next((s for s in self.steps if s.to_event == event_id), None)


def _step_group(g: dict) -> StepGroup:
    claims = [c for c in g.get("claims") or [] if isinstance(c, dict)]
    return StepGroup(str(g.get("label") or (claims[0].get("text") if claims else "")), list(g.get("outlets") or []),
                     _ref(claims[0]) if claims else None)


def _ordered(groups: list[dict]) -> list[dict]:
    """Claims several outlets carry first: they are what the story is about."""
    return sorted(groups, key=lambda g: -len(g.get("outlets") or []))


def step_view(step: dict, limit: int = MAX_LISTED) -> StepView:
    new = _ordered([g for g in step.get("new") or [] if isinstance(g, dict)])
    dropped = _ordered([g for g in step.get("dropped") or [] if isinstance(g, dict)])
    kept = [k for k in step.get("kept") or [] if isinstance(k, dict)]
    kept.sort(key=lambda k: -len((k.get("after") or {}).get("outlets") or []))
    return StepView(
        from_event=step.get("from_event"), to_event=str(step.get("to_event") or ""),
        new=[_step_group(g) for g in new[:limit]], dropped=[_step_group(g) for g in dropped[:limit]],
        kept=[KeptPair(_step_group(k.get("before") or {}), _step_group(k.get("after") or {}), k.get("similarity"))
              for k in kept[:limit]],
        n_new=len(new), n_dropped=len(dropped), n_kept=len(kept),
    )


def storyline_view(data: dict) -> StorylineView:
    """The reader's view of ``StorylineComparison.to_json()``."""
    return StorylineView(data.get("storyline_id"), str(data.get("title") or ""), list(data.get("events") or []),
                         [step_view(s) for s in data.get("steps") or [] if isinstance(s, dict)])


__all__ = ["ClaimRef", "CoverageView", "MatrixRow", "StepView", "StorylineView", "coverage_view", "short_outlet",
           "step_view", "storyline_view"]
