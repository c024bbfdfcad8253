"""The event page and the event JSON say why each article is in its event."""
from __future__ import annotations


def test_event_json_and_page_show_why(demo_client, demo_store):
    event_id = demo_store.event_of_article("demo-064")
    data = demo_client.get(f"/api/v1/events/{event_id}").json()
    assert all(a["why"]["summary"].startswith("shares: ") for a in data["articles"])
    assert all("why" in a for g in data["articles_by_outlet"] for a in g["articles"])
    page = demo_client.get(f"/events/{event_id}").text
    assert page.count('class="meta why"') == len(data["articles"]) and "Seravien" in page
