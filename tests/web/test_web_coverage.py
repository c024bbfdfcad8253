"""The coverage page (event) and the storyline's claim changes, in HTML (TestClient) and on the terminal."""
from __future__ import annotations

import html as html_lib
import json
import re

import pytest

from newsloom.cli import main
from newsloom.compare.view import coverage_view, storyline_view
from newsloom.web import queries

pytestmark = pytest.mark.skipif(queries.comparison_module() is None, reason="newsloom.compare is not installed")

CELL = re.compile(r'<td><a class="cell-link" href="/articles/([^"?]+)\?hl=(\d+)-(\d+)#hl">')


def _section(page: str, ident: str) -> str:
    start = page.index(f'id="{ident}"')
    return page[start:]


def _text(client, article_id: str) -> str:
    return client.get(f"/api/v1/articles/{article_id}").json()["text"]


def test_matrix_cells_link_to_the_sentences(demo_client, demo_store):
    event = demo_store.event_of_article("demo-013")
    page = demo_client.get(f"/events/{event}").text
    coverage = _section(page, "comparison")
    assert "How each outlet covered it" in coverage and '<table class="matrix">' in coverage
    data = demo_client.get(f"/api/v1/events/{event}/comparison").json()
    outlets = {o["outlet"] for o in data["outlets"]}
    headers = re.findall(r'<th scope="col" class="outlet" title="([^"]+)">', coverage)
    headers = headers[:len(outlets)]  # the first table's; the "only here" table repeats them
    assert set(headers) == outlets  # one column per outlet
    cells = CELL.findall(coverage)
    assert cells
    claims = {(c["article_id"], c["start"], c["end"]) for g in data["groups"] for c in g["claims"]}
    by_span = {(c["article_id"], c["start"], c["end"]): c for g in data["groups"] for c in g["claims"]}
    for article_id, start, end in cells[:25]:
        assert (article_id, int(start), int(end)) in claims
        sentence = _text(demo_client, article_id)[int(start):int(end)]
        claim = by_span[(article_id, int(start), int(end))]
        assert sentence == claim["text"]
    # every core and partial group is a row, with a mark in the columns of the outlets that carry it
    rows = re.findall(r'<tr class="(core|partial|unique)" id="claim-(g\d+)">(.*?)</tr>', coverage, flags=re.S)
    shared = {g["id"]: g for g in data["groups"] if g["status"] != "unique"}
    assert set(shared) <= {g for _, g, _ in rows}
    for _, gid, row in rows:
        if gid in shared:
            marks = re.findall(r"<td>(.*?)</td>", row)
            assert len(marks) == len(headers)
            carried = {headers[i] for i, m in enumerate(marks) if m}
            assert carried == set(shared[gid]["outlets"])
    # the linked article highlights that span
    article_id, start, end = cells[0]
    target = demo_client.get(f"/articles/{article_id}", params={"hl": f"{start}-{end}"}).text
    assert '<mark class="focus" id="hl">' in target


def test_disagreements_side_by_side(demo_client, demo_store):
    event = demo_store.event_of_article("demo-013")
    coverage = _section(demo_client.get(f"/events/{event}").text, "disagreements")
    block = coverage[: coverage.index('id="outlets"')]
    assert 'class="disagreement"' in block
    values = re.findall(r'<p class="figure">([^<]+)</p>', block)
    assert {"1\u202f200", "1\u202f500"} <= set(values)
    # each value with its outlet and the sentence, the figure marked in it
    assert len(re.findall(r"<figcaption>", block)) >= 2 and "<mark>" in block


def test_per_outlet_quotes_and_only_here(demo_client, demo_store):
    event = demo_store.event_of_article("demo-013")
    data = demo_client.get(f"/api/v1/events/{event}/comparison").json()
    coverage = _section(demo_client.get(f"/events/{event}").text, "outlets")
    cards = coverage.split('<article class="outlet-card"')[1:]
    assert len(cards) == len(data["outlets"])
    quoted = [o for o in data["outlets"] if o["citations"]["speakers"]]
    assert quoted
    assert coverage.count('<table class="speakers">') == len(quoted)
    assert "<th scope=\"col\">speaker</th><th scope=\"col\">side</th><th scope=\"col\">official</th>" in coverage
    for o in data["outlets"]:
        card = next(c for c in cards if f"<h4>{html_lib.escape(o['outlet'])}</h4>" in c)
        for s in o["citations"]["speakers"][:3]:
            assert html_lib.escape(s["name"]) in card
        if o["only"]:
            assert '<ul class="only">' in card
            asserted = card.split('<details class="maybe">')[0]  # one-outlet claims with a close claim elsewhere apart
            assert asserted.count('<a class="claim"') == len(o["only"])
        else:
            assert "every claim is carried by another outlet too" in card


def test_no_raw_json_tree(demo_client, seeds_client):
    for client in (demo_client, seeds_client):
        for e in client.get("/api/v1/events", params={"limit": 100}).json()["items"]:
            page = client.get(f"/events/{e['id']}").text
            assert 'class="cmp depth' not in page and "<dt>schema</dt>" not in page
            assert '{"' not in re.sub(r"<[^>]+>", "", page).replace('{"error": {"code", "message"}}', "")


def test_closest_claim_rendered_when_given_and_absent_otherwise(demo_client, demo_store):
    event = demo_store.event_of_article("demo-013")
    data = demo_client.get(f"/api/v1/events/{event}/comparison").json()
    unique = next(g for g in data["groups"] if g["status"] == "unique")
    other = next(c for g in data["groups"] for c in g["claims"] if c["outlet"] not in unique["outlets"])
    view = coverage_view(data)
    has_closest = any("closest" in g for g in data["groups"])
    assert all(r.closest is None for r in view.rows) or has_closest  # absent: nothing invented
    given = json.loads(json.dumps(data))
    target = next(g for g in given["groups"] if g["id"] == unique["id"])
    target["closest"] = {**other, "similarity": 0.21}
    view = coverage_view(given)
    row = next(r for r in view.rows if r.group == unique["id"])
    assert row.closest is not None and row.closest.text == other["text"] and row.closest.similarity == 0.21
    from newsloom.web.app import make_templates

    env = make_templates().env
    macro = env.get_template("_coverage.html").module.coverage_section
    rendered = str(macro(view, {"id": event}))
    assert "closest claim elsewhere" in rendered and html_lib.escape(other["text"]) in rendered
    assert f'href="/articles/{other["article_id"]}?hl={other["start"]}-{other["end"]}#hl"' in rendered
    from newsloom.compare.commands import render_comparison

    assert "closest elsewhere" in render_comparison(given)


def test_storyline_page_shows_claim_changes(seeds_client, seeded_store):
    line = seeded_store.storylines()[0]
    page = seeds_client.get(f"/storylines/{line.id}").text
    expected = seeded_store.compare_storyline(line.id).to_json()
    step = expected["steps"][0]
    counts = re.findall(r'<span class="plus">(\d+) new</span> · <span class="minus">(\d+) dropped</span> · '
                        r'<span class="kept">(\d+) kept</span>', page)
    assert counts == [(str(len(step["new"])), str(len(step["dropped"])), str(len(step["kept"])))]
    changes = _section(page, "changes")
    for g in step["new"][:3]:
        c = g["claims"][0]
        assert f'/articles/{c["article_id"]}?hl={c["start"]}-{c["end"]}#hl' in changes
    view = storyline_view(expected)
    assert view.steps[0].n_new == len(step["new"])


def test_terminal_shows_the_same_content(seeded_store, capsys):
    db = seeded_store.store.path
    event = seeded_store.event_of_article("001_c021b8b6543395fd")
    data = seeded_store.compare_event(event).to_json()
    assert main(["--db", db, "compare", event]) == 0
    out = capsys.readouterr().out
    view = coverage_view(data)
    assert "SHARED CORE" in out and "ONLY HERE" in out and "DISAGREEMENTS" in out and "WHOM EACH OUTLET CITES" in out
    assert f"{view.counts['core']} core, {view.counts['partial']} partial, {view.counts['only_here']} only here" in out
    for row in view.shared_rows:
        assert row.group in out
        for cell in row.cells:
            if cell is not None:
                assert cell.where in out
    for o in view.outlets:
        for s in o.speakers:
            assert s.name[:32] in out
    line = seeded_store.storylines()[0].id
    assert main(["--db", db, "compare", "--storyline", line]) == 0
    out = capsys.readouterr().out
    step = seeded_store.compare_storyline(line).to_json()["steps"][0]
    assert f"new ({len(step['new'])})" in out and f"kept ({len(step['kept'])})" in out


def test_large_steps_are_computed_in_the_background(seeded_store):
    import time

    from newsloom.compare.steps import StepCache

    line = seeded_store.storylines()[0]
    timeline = [e.to_json() for e in seeded_store.storyline(line.id).timeline]
    cache = StepCache(seeded_store.store.path)
    found, waiting = cache.steps_for(seeded_store, timeline, sync_articles=0)  # every step counts as large
    assert found == {} and waiting == [e["id"] for e in timeline[1:]]
    deadline = time.time() + 120
    while cache.pending and time.time() < deadline:
        time.sleep(0.1)
    found, waiting = cache.steps_for(seeded_store, timeline, sync_articles=0)
    cache.stop()
    assert waiting == [] and set(found) == {e["id"] for e in timeline[1:]}
    expected = seeded_store.compare_storyline(line.id).to_json()["steps"]
    assert [len(found[s["to_event"]]["new"]) for s in expected] == [len(s["new"]) for s in expected]


def test_unsure_only_here_claims_shown_apart(demo_client, demo_store):
    """Where the comparison says a one-outlet claim has a close claim elsewhere (``only_here`` false, the outlet's
    ``maybe_only``), the page lists it apart from what the outlet alone reports, with the closest claim."""
    event = demo_store.event_of_article("demo-013")
    data = json.loads(json.dumps(demo_client.get(f"/api/v1/events/{event}/comparison").json()))
    before = coverage_view(json.loads(json.dumps(data))).counts
    outlet = next(o for o in data["outlets"] if o["only"])
    gid = outlet["only"][0]
    group = next(g for g in data["groups"] if g["id"] == gid)
    other = next(c for g in data["groups"] for c in g["claims"] if c["outlet"] != outlet["outlet"])
    group.update(only_here=False, only_score=0.3, closest={**other, "score": 0.42})
    outlet["only"].remove(gid)
    outlet["maybe_only"] = [*outlet.get("maybe_only", []), gid]
    view = coverage_view(data)
    card = next(o for o in view.outlets if o.name == outlet["outlet"])
    assert gid in [r.group for r in card.maybe] and gid not in [r.group for r in card.only]
    assert view.counts["maybe"] == before["maybe"] + 1 and view.counts["only_here"] == before["only_here"] - 1
    from newsloom.web.app import make_templates

    rendered = str(make_templates().env.get_template("_coverage.html").module.coverage_section(view, {"id": event}))
    assert '<details class="maybe">' in rendered and "similarity 0.42" in rendered
    assert f'<tr class="unique maybe" id="claim-{gid}">' in rendered
    from newsloom.compare.commands import render_comparison

    text = render_comparison(data)
    assert f"a similar claim is elsewhere ({len(card.maybe)})" in text and "similarity 0.42" in text
