"""One vocabulary for every process, built only from public words (issue 11): a change made
anywhere (another process's save, a bulk write, a deletion) reaches this process through the
shared stamps, and a tag used only on a draft or a private page is never suggested."""

import uuid

import pytest
from django.core.cache import cache
from wagtail.models import PageViewRestriction

from cases import stamps, taxonomy_cache
from cases.models import CasePage, SynonymGroup, WasteCategory
from search import text
from search.models import LexiconGroup
from search.query import understand
from search.vocabulary import index_stamp, vocabulary

DRAFT_TAG = "鹦鹉螺脱水法"
PRIVATE_TAG = "蝾螈压滤法"
PUBLIC_TAG = "螳螂分拣法"


@pytest.fixture
def other_process(monkeypatch):
    """What another process does: change the database without this process's signals, then
    bump the shared stamp in the cache. The stamp is re-read on every call here (not once a
    second) so the test need not wait."""
    monkeypatch.setattr(stamps, "CHECK_SECONDS", 0.0)

    def bump(stamp=stamps.taxonomy):
        cache.set(stamp.key, uuid.uuid4().hex)

    return bump


def _api(client, **params):
    response = client.get("/api/search/", params)
    assert response.status_code == 200
    return response.json()


def _near_miss(word):
    """The word with one character mistyped (so that it matches nothing as typed)."""
    return word[:-2] + "丁" + word[-1]


def _autocomplete(client, q):
    return client.get("/api/search/autocomplete/", {"q": q}).json()["suggestions"]


def test_draft_and_private_tags_never_leak(
    client, engine, new_case, django_capture_on_commit_callbacks
):
    new_case(title="草稿经验", live=False, tags=[DRAFT_TAG])
    private = new_case(title="内部经验甲", tags=[PRIVATE_TAG])
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    public = new_case(title="公开经验乙", tags=[PUBLIC_TAG])

    words = vocabulary().words
    assert PUBLIC_TAG in words
    assert DRAFT_TAG not in words and PRIVATE_TAG not in words
    for tag in (DRAFT_TAG, PRIVATE_TAG):
        near_miss = _near_miss(tag)
        body = _api(client, q=near_miss)
        shown = [s["text"] for s in body["suggestions"]] + [body.get("corrected", "")]
        assert not any(tag in s for s in shown), body
        assert not any(tag in s["title"] for s in _autocomplete(client, tag[:3]))
        assert not any(tag in s["title"] for s in _autocomplete(client, "yingwuluo"))
        facets = _api(client, type="case", page_size=1)["facets"]["tag"]
        assert tag not in {f["value"] for f in facets}
    # The public page's tag is a word: its near miss is corrected to it.
    body = _api(client, q=_near_miss(PUBLIC_TAG))
    assert body["corrected"] == PUBLIC_TAG
    assert public.url in [r["url"] for r in body["results"]]


def test_a_synonym_written_by_another_process_is_used(db, other_process):
    assert understand("鹦鹉螺")[0].variants == ("鹦鹉螺",)
    SynonymGroup.objects.bulk_create([SynonymGroup(terms="鹦鹉螺、危险废物")])  # no signals
    other_process()
    assert "危险废物" in understand("鹦鹉螺")[0].variants


def test_a_deletion_by_another_process_is_followed(db, other_process):
    group = SynonymGroup.objects.create(terms="鹦鹉螺、危险废物")
    assert "危险废物" in understand("鹦鹉螺")[0].variants
    SynonymGroup.objects.filter(pk=group.pk)._raw_delete(SynonymGroup.objects.db)
    other_process()
    assert understand("鹦鹉螺")[0].variants == ("鹦鹉螺",)


def test_taxonomy_lookups_follow_the_shared_stamp(db, other_process):
    assert not any(c.slug == "test-elsewhere" for c in taxonomy_cache.waste_categories().values())
    WasteCategory.objects.bulk_create([WasteCategory(slug="test-elsewhere", name="别处新增类别")])
    assert not any(c.slug == "test-elsewhere" for c in taxonomy_cache.waste_categories().values())
    other_process()
    assert any(c.slug == "test-elsewhere" for c in taxonomy_cache.waste_categories().values())


def test_the_stamp_is_read_at_most_once_a_second(db, django_assert_num_queries):
    stamps.taxonomy.current()
    with django_assert_num_queries(0):
        for _ in range(100):
            stamps.taxonomy.current()


def test_the_segmenter_follows_the_vocabulary(db, other_process):
    word = "蝾螈鹦鹉螺"
    vocabulary()  # the segmenter has loaded the current words
    assert word not in text.segmenter.cut(f"{word}试点", vocabulary().words)
    SynonymGroup.objects.bulk_create([SynonymGroup(terms=f"{word}、危险废物")])
    other_process()
    assert word in text.segmenter.cut(f"{word}试点", vocabulary().words)
    SynonymGroup.objects.filter(terms__startswith=word)._raw_delete(SynonymGroup.objects.db)
    other_process()
    assert word not in text.segmenter.cut(f"{word}试点", vocabulary().words)


def test_index_writes_bump_the_index_stamp(db, engine, new_case):
    before = index_stamp.current()
    new_case(title="公开经验丙", tags=[PUBLIC_TAG])
    assert index_stamp.current() != before
    assert PUBLIC_TAG in vocabulary().words


def test_the_lexicon_is_editable(client, engine):
    """An editor adds an everyday word in the admin (检索日常用语): search understands it."""
    guangze = CasePage.objects.get(external_id="seed-guangze-01")
    # Before: the word means nothing (a partial match on 旧物 may list other pages, not this one).
    assert guangze.url not in [r["url"] for r in _api(client, q="螳螂旧物")["results"]]
    food = WasteCategory.objects.get(slug="food-waste")
    LexiconGroup.objects.create(name="测试分组", category=food, terms="螳螂旧物")
    body = _api(client, q="螳螂旧物")
    assert guangze.url in [r["url"] for r in body["results"][:3]]


def test_lexicon_fixtures_name_their_sources(db):
    groups = list(LexiconGroup.objects.all())
    assert len(groups) >= 20
    assert all(g.source and g.term_list for g in groups)
    everyday = {t for g in groups for t in g.term_list}
    assert {"旧衣服", "泡沫箱", "烟头", "剩饭剩菜", "过期药品", "旧家具"} <= everyday
