"""The analysis's per-word memos (newsloom.nlp.memo): counted together, emptied together, and emptying them
changes no analysis (a long-running watch process empties them now and then)."""
from __future__ import annotations

from newsloom.cli import demo_corpus_path
from newsloom.engine.work import analyse_chunk
from newsloom.ingest.readers import read_paths
from newsloom.nlp import memo, ner_crf, text


def test_emptying_the_memos_changes_no_analysis():
    articles = list(read_paths([demo_corpus_path()]))[:6]
    first = analyse_chunk(articles)
    assert memo.entries() > 1000  # lemmas, tagger features, ... of the words just analysed
    assert text.lemma.cache_info().currsize > 0 and ner_crf.word_features.cache_info().currsize > 0
    memo.clear()
    assert memo.entries() == 0
    again = analyse_chunk(articles)
    assert again == first
    assert memo.entries() > 1000
