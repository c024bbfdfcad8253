"""Tests for newsloom.nlp.text: sentence spans and tokens (German abbreviations, ordinals, paragraph breaks)."""
from __future__ import annotations

import dataclasses
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsloom.nlp.text import ABBREVIATIONS, lemma, sentences, split_sentences, tokenize
from newsloom.records import Token


def _texts(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


@pytest.mark.parametrize("text, expected", [
    ("Er kam. Sie ging.", ["Er kam.", "Sie ging."]),
    ("Das ist z.B. gut. Ja.", ["Das ist z.B. gut.", "Ja."]),
    ("Am 14. Februar kam er. Dann nicht.", ["Am 14. Februar kam er.", "Dann nicht."]),
    ("Das war 2020. Dann kam mehr.", ["Das war 2020.", "Dann kam mehr."]),
    ("Es waren 2020. und 2021. gleich.", ["Es waren 2020. und 2021. gleich."]),
    ("Dr. Muster kam ca. um 9 Uhr. Gut.", ["Dr. Muster kam ca. um 9 Uhr.", "Gut."]),
    ("Absatz eins\n\nAbsatz zwei", ["Absatz eins", "Absatz zwei"]),
    ("Wirklich?! Ja.", ["Wirklich?!", "Ja."]),
    ("Er sagte: „Nein.“ Dann ging er.", ["Er sagte: „Nein.“", "Dann ging er."]),
    ("  \n\n  ", []),
])
def test_sentence_spans(text, expected):
    assert _texts(text) == expected


def _reference_split(text: str) -> list[tuple[int, int]]:
    """The first implementation (a loop over every character), kept as the specification of the spans."""
    def ends(stop: int, before: str) -> bool:
        rest = text[stop + 1: stop + 3]
        if not rest or rest[0] not in " \n\t\"“”»«'’)":
            return False
        word = before.lower()
        if word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
            return False
        if before.isdigit():
            after = text[stop + 1:].lstrip()
            return bool(after[:1]) and after[:1].isupper() and len(before) >= 3
        return True

    def add(start: int, end: int) -> None:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))

    spans: list[tuple[int, int]] = []
    start, i, n = 0, 0, len(text)
    while i < n:
        ch, cut = text[i], -1
        if ch == "\n" and text[i + 1: i + 2] == "\n":
            cut = i
        elif ch in ".!?":
            j = i
            while j + 1 < n and text[j + 1] in ".!?":
                j += 1
            k = j
            while k + 1 < n and text[k + 1] in "\"“”»«'’)":
                k += 1
            if ch == ".":
                m = re.search(r"(\w+)$", text[start:i])
                ok = ends(j, m.group(1) if m else "")
            else:
                ok = k + 1 >= n or text[k + 1] in " \n\t"
            if ok:
                cut, i = k + 1, k
        if cut >= 0:
            add(start, cut)
            start = cut
        i += 1
    add(start, n)
    return spans


PIECES = ["Der", "z.B.", "Dr", "ca", "a", "_x", "Ä", "14", "2020", "1.000,5", "04.02.2022", "U.S.A.", ".", "..",
          "!", "?", " ", " ", "\t", "\n", "\n\n", "\"", "“", "”", "»", "'", ")", "-", ":"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30))
def test_spans_match_the_reference(pieces):
    text = "".join(pieces)
    assert split_sentences(text) == _reference_split(text)


def test_tokens_are_ordinary_frozen_records():
    text = "Die Ministerin sagte am 14. Februar in Berlin: „Wir sind bereit.“\n\nZweiter Absatz, z.B. mit 1.000,5 Euro."
    found = [t for s in sentences(text) for t in s.tokens]
    expected = [Token(w, a, b, lemma(w)) for s, e in split_sentences(text) for w, a, b in tokenize(text[s:e], s)]
    assert found == expected
    assert all(type(t) is Token and text[t.start:t.end] == t.text for t in found)
    assert hash(found[0]) == hash(expected[0])
    with pytest.raises(dataclasses.FrozenInstanceError):
        found[0].text = "x"
