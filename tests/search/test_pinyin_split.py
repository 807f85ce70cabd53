"""Several pinyin words typed together (weifeixiaowei → 危废 小微) are split against the
vocabulary's pinyin, longest match first; query understanding and autocomplete use the split."""

import pytest

from search.pinyin import PinyinIndex
from search.query import understand

INDEX = PinyinIndex({"危废", "小微", "飞灰", "危", "收集", "泥浆不落地"})


@pytest.mark.parametrize(
    ("typed", "pieces"),
    [
        ("weifeixiaowei", [["危废"], ["小微"]]),
        ("weifeixiaoweishouji", [["危废"], ["小微"], ["收集"]]),
        ("WeiFei XiaoWei", [["危废"], ["小微"]]),
        # Longest match first, backtracking when the rest cannot be cut: wei·feihui.
        ("weifeihui", [["危"], ["飞灰"]]),
        ("nijiangbuluodifeihui", [["泥浆不落地"], ["飞灰"]]),
    ],
)
def test_split_into_vocabulary_words(typed, pieces):
    assert INDEX.split(typed) == pieces


@pytest.mark.parametrize("typed", ["weifei", "weifeixyz", "xiaow", "", "shouj"])
def test_no_split_for_one_word_or_an_uncut_rest(typed):
    assert INDEX.split(typed) == []


def test_the_last_piece_may_be_a_prefix_when_completing():
    assert INDEX.split("weifeixiaow") == []
    assert INDEX.split("weifeixiaow", partial_last=True) == [["危废"], ["小微"]]
    assert INDEX.split("weifeix", partial_last=True) == []  # one letter says too little


def test_understanding_splits_pinyin_words_typed_together(db):
    concepts = understand("weifeixiaowei")
    assert len(concepts) == 2
    assert "危废" in concepts[0].variants and "危险废物" in concepts[0].variants
    assert "小微" in concepts[1].variants
    # One word's pinyin is still one concept with its synonyms.
    assert len(understand("weifei")) == 1


def test_search_finds_pages_for_pinyin_words_typed_together(client, engine):
    body = client.get("/api/search/", {"q": "weifeixiaowei"}).json()
    assert body["engine"] == engine.name
    chinese = client.get("/api/search/", {"q": "危废 小微"}).json()
    assert body["total"] == chinese["total"] > 0
    assert [r["url"] for r in body["results"][:3]] == [r["url"] for r in chinese["results"][:3]]


@pytest.mark.parametrize("typed", ["weifeixiaowei", "weifeixiaow"])
def test_autocomplete_offers_the_split_query(client, engine, typed):
    suggestions = client.get("/api/search/autocomplete/", {"q": typed}).json()["suggestions"]
    terms = [s["title"] for s in suggestions if s["type"] == "query"]
    assert terms[0] == "危废 小微", terms
    assert any(s["type"] != "query" for s in suggestions)
