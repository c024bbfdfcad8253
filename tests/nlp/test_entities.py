"""Entities: gazetteers, role cues, back-references, genitives, spelling variants, demonyms."""
from __future__ import annotations

from newsloom.nlp.entities import entity_key, find_mentions
from newsloom.nlp.text import sentences
from newsloom.records import EntityType, MentionKind


def mentions(text: str):
    return find_mentions(text, sentences(text))


def by_text(text: str):
    return {m.text: m for m in mentions(text)}


def test_role_cue_and_surname_back_reference():
    text = ("Die Innenministerin Greta Holmfeld besuchte am Montag das Lagezentrum. "
            "Holmfeld lobte die Einsatzkräfte. Holmfelds Sprecher kündigte weitere Besuche an.")
    found = by_text(text)
    assert found["Greta Holmfeld"].type is EntityType.PER and found["Greta Holmfeld"].role == "Innenministerin"
    assert found["Holmfeld"].key == found["Greta Holmfeld"].key == entity_key(EntityType.PER, "Greta Holmfeld")
    assert found["Holmfelds"].key == found["Greta Holmfeld"].key


def test_inflected_role_and_particles():
    text = "Ein Treffen mit dem Präsidenten Jan van der Berg ist geplant. Van der Berg sagte zu."
    found = by_text(text)
    assert "Jan van der Berg" in found and found["Jan van der Berg"].type is EntityType.PER


def test_spelling_variants_share_one_key():
    found = mentions("Die NATO tagt in Brüssel. Nato-Staaten beraten. Die Nato bleibt geeint.")
    keys = {m.key for m in found if m.type is EntityType.ORG}
    assert keys == {entity_key(EntityType.ORG, "NATO")}
    part = next(m for m in found if m.text == "Nato" and m.start == mentions("Die NATO tagt in Brüssel. Nato-Staaten beraten. Die Nato bleibt geeint.")[2].start)
    assert part.end - part.start == 4


def test_countries_genitives_and_demonyms():
    found = mentions("Chinas Regierung und die russische Delegation trafen sich. China und Russland einigten sich.")
    china = {m.key for m in found if m.name == "China"}
    assert len(china) == 1
    demonym = next(m for m in found if m.text == "russische")
    assert demonym.kind is MentionKind.DEMONYM and demonym.name == "Russland" and demonym.type is EntityType.LOC
    russland = next(m for m in found if m.text == "Russland")
    assert russland.key == demonym.key and russland.kind is MentionKind.NAME


def test_genitive_of_a_full_name_is_stripped_only_when_the_bare_form_exists():
    text = "Kanzlerin Ilse Merten sprach. Die Pläne Ilse Mertens stoßen auf Kritik. Merten blieb dabei."
    keys = {m.key for m in mentions(text) if m.type is EntityType.PER}
    assert keys == {entity_key(EntityType.PER, "Ilse Merten")}


def test_offsets_match_text():
    text = "Der französische Präsident Emmanuel Macron reiste nach Peking, wo ihn Xi empfing."
    for m in mentions(text):
        assert text[m.start:m.end] == m.text
