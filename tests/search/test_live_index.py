"""The index follows the content at once: publish, unpublish, edit drafts, restrict, delete, move,
rename a taxonomy term; a search server that is down loses nothing."""

from django.test import override_settings
from wagtail.models import PageViewRestriction

from cases.models import CityPage, WasteCategory
from search import documents, engines, indexing
from search.models import IndexQueueEntry

MARKER = "鹦鹉螺蝾螈"  # appears nowhere in the seed content


def found(client, q, **params):
    response = client.get("/api/search/", {"q": q, **params})
    assert response.status_code == 200
    return [r["url"] for r in response.json()["results"]]


def test_publish_then_unpublish(client, engine, new_case, django_capture_on_commit_callbacks):
    page = new_case(title=f"{MARKER}危废收集试点", summary=f"{MARKER}的摘要")
    assert page.url in found(client, MARKER)
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert found(client, MARKER) == []


def test_drafts_and_unpublished_revisions_never_appear(
    client, engine, new_case, django_capture_on_commit_callbacks
):
    draft = new_case(title=f"{MARKER}草稿", live=False)
    assert draft.pk and found(client, MARKER) == []
    live = new_case(title="公开标题甲乙", summary="公开摘要")
    live.title = f"{MARKER}未发布的修改"
    with django_capture_on_commit_callbacks(execute=True):
        live.save_revision()
    assert found(client, MARKER) == []
    assert live.url in found(client, "公开标题甲乙")


def test_private_pages_never_appear(client, engine, new_case, django_capture_on_commit_callbacks):
    page = new_case(title=f"{MARKER}内部资料")
    assert found(client, MARKER)
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    assert found(client, MARKER) == []
    assert client.get("/api/search/autocomplete/", {"q": MARKER}).json()["suggestions"] == []


def test_deleted_pages_disappear(client, engine, new_case, django_capture_on_commit_callbacks):
    page = new_case(title=f"{MARKER}将被删除")
    assert found(client, MARKER)
    with django_capture_on_commit_callbacks(execute=True):
        page.delete()
    assert found(client, MARKER) == []


def test_moving_a_case_updates_its_city_and_region(
    client, engine, new_case, django_capture_on_commit_callbacks
):
    page = new_case(title=f"{MARKER}迁移")
    assert found(client, MARKER, region="330600") == [page.url]
    shenzhen = CityPage.objects.get(slug="shenzhen")
    with django_capture_on_commit_callbacks(execute=True):
        page.move(shenzhen, pos="last-child")
    page.refresh_from_db()
    assert found(client, MARKER, region="330600") == []
    assert found(client, MARKER, region="粤港澳") == [page.url]


def test_renaming_a_category_reindexes_its_pages(
    client, engine, new_case, django_capture_on_commit_callbacks
):
    category = WasteCategory.objects.get(slug="hw17")
    page = new_case(title="表面处理测试经验", waste_categories=[category])
    renamed = f"{MARKER}废物"
    try:
        with django_capture_on_commit_callbacks(execute=True):
            category.name = renamed
            category.save()
        assert page.url in found(client, renamed)
    finally:
        with django_capture_on_commit_callbacks(execute=True):
            category.name = "表面处理废物"
            category.save()


def test_server_down_queues_changes_and_replays_them(
    client, server, new_case, test_prefix, django_capture_on_commit_callbacks
):
    real_url = next(iter(engines._server_engines))[0]
    engines._server_engines.clear()
    with override_settings(
        SEARCH_URL="opensearch+http://127.0.0.1:9", SEARCH_INDEX_PREFIX=test_prefix
    ):
        page = new_case(title=f"{MARKER}离线发布")  # publishing still succeeds
        assert page.live
        assert IndexQueueEntry.objects.filter(object_id=page.pk).exists()
        # The site falls back to the embedded engine with a visible notice.
        body = client.get("/api/search/", {"q": MARKER}).json()
        assert body["engine"] == "embedded" and body["notice"]
        assert body["results"][0]["url"] == page.url
        html = client.get("/search/", {"q": MARKER}).content.decode()
        assert "检索服务器暂时不可用" in html
    engines._server_engines.clear()
    with override_settings(SEARCH_URL=real_url, SEARCH_INDEX_PREFIX=test_prefix):
        engines._server_engines[(real_url, test_prefix, "cjk")] = server
        assert page.url not in [h.document["url"] for h in _server_hits(server, MARKER)]
        assert indexing.replay_queue() >= 1
        assert not IndexQueueEntry.objects.exists()
        body = client.get("/api/search/", {"q": MARKER}).json()
        assert body["engine"] == server.name
        assert [r["url"] for r in body["results"]] == [page.url]


def _server_hits(server, q):
    from search.query import SearchParams, understand

    return server.search(understand(q), SearchParams(q=q), facets=False).hits


def test_rebuild_swaps_the_alias_without_empty_results(server):
    from threading import Thread

    from search.query import SearchParams, understand

    docs = list(documents.all_documents())
    before = server.transport.alias_targets(server.alias)
    concepts, params = understand("危废"), SearchParams(q="危废")
    totals = []
    worker = Thread(target=server.rebuild, args=(docs,))
    worker.start()
    while worker.is_alive():
        totals.append(server.search(concepts, params, facets=False).total)
    worker.join()
    totals.append(server.search(concepts, params, facets=False).total)
    after = server.transport.alias_targets(server.alias)
    assert before != after and len(after) == 1
    assert totals and min(totals) > 0


def test_rebuild_if_missing_builds_only_when_the_alias_has_no_index(server, capsys):
    """docker-compose's web service runs `search_index --rebuild --if-missing` on each start:
    the index is built once, not on every start."""
    import json

    from django.core.management import call_command

    assert server.has_index()
    before = server.transport.alias_targets(server.alias)
    call_command("search_index", "--rebuild", "--if-missing")
    assert json.loads(capsys.readouterr().out)["rebuilt"] is False
    assert server.transport.alias_targets(server.alias) == before
