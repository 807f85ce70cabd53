"""Engines for the shared behaviour suite.

`engine` is parametrized over every engine: the embedded engine always; OpenSearch when
SEARCH_TEST_OPENSEARCH_URL is set and Elasticsearch when ELASTICSEARCH_URL is set. Under CI=true a
missing or unreachable OpenSearch fails the run instead of skipping it. Server engines get an
index prefix of their own, filled once per session from the seeded test database and dropped at
the end.
"""

import os
import uuid

import pytest
from django.test import override_settings

from cases.factories import CasePageFactory
from cases.models import CityPage, GovernanceModel, WasteCategory
from search import documents, engines, indexing, vocabulary

ENGINE_URLS = {
    "opensearch": lambda: (
        os.environ.get("SEARCH_TEST_OPENSEARCH_URL", "")
        and "opensearch+" + os.environ["SEARCH_TEST_OPENSEARCH_URL"]
    ),
    "elasticsearch": lambda: (
        os.environ.get("ELASTICSEARCH_URL", "")
        and "elasticsearch+" + os.environ["ELASTICSEARCH_URL"]
    ),
}
IN_CI = os.environ.get("CI") == "true"
TEST_PREFIX = f"wfc-test-{uuid.uuid4().hex[:8]}"


@pytest.fixture(autouse=True)
def _clear_vocabulary():
    vocabulary.clear()
    yield
    vocabulary.clear()


@pytest.fixture(scope="session")
def server_engines(django_db_setup, django_db_blocker):
    """Each reachable search server, with the seed documents indexed under a test prefix."""
    available = {}
    for name, url_of in ENGINE_URLS.items():
        url = url_of()
        if not url:
            continue
        engine = engines.engine_from_url(url, index_prefix=TEST_PREFIX)
        if not engine.ping():
            if IN_CI:
                pytest.fail(f"{name} at {url} does not answer")
            continue
        with django_db_blocker.unblock():
            indexing.rebuild(engine)
        available[name] = (url, engine)
    yield available
    for _url, engine in available.values():
        engine.drop()


@pytest.fixture(params=["embedded", "opensearch", "elasticsearch"])
def engine_name(request, server_engines):
    name = request.param
    if name != "embedded" and name not in server_engines:
        if name == "opensearch" and IN_CI:
            pytest.fail(
                "CI=true but the OpenSearch engine suite cannot run (SEARCH_TEST_OPENSEARCH_URL)"
            )
        pytest.skip(f"{name} is not configured here")
    return name


@pytest.fixture
def engine(engine_name, server_engines, db):
    """The engine under test, configured as the site's search engine for the test."""
    if engine_name == "embedded":
        with override_settings(SEARCH_URL=""):
            yield engines.embedded_engine()
        return
    url, server = server_engines[engine_name]
    engines._server_engines.clear()
    with override_settings(SEARCH_URL=url, SEARCH_INDEX_PREFIX=TEST_PREFIX):
        engines._server_engines[(url, TEST_PREFIX, "cjk")] = server
        yield server
    engines._server_engines.clear()


@pytest.fixture
def server(engine_name, engine):
    """Only for behaviour that exists on search servers (queue, alias swap)."""
    if engine_name == "embedded":
        pytest.skip("search-server behaviour")
    return engine


@pytest.fixture
def test_prefix():
    """The index prefix of this session's server indexes."""
    return TEST_PREFIX


@pytest.fixture
def created_pages(engine):
    """Pages a test makes; their documents are removed from a search server afterwards (the
    database rolls back, the server does not)."""
    pages = []
    yield pages
    keys = [documents.key_for(p.pk) for p in pages]
    if keys and engine.name != "embedded":
        engine.delete(keys)


@pytest.fixture
def new_case(created_pages, django_capture_on_commit_callbacks):
    def make(**kwargs):
        kwargs.setdefault("parent", CityPage.objects.get(slug="shaoxing"))
        kwargs.setdefault("governance_model", GovernanceModel.objects.get(slug="hazardous"))
        kwargs.setdefault("waste_categories", [WasteCategory.objects.get(slug="hazardous")])
        with django_capture_on_commit_callbacks(execute=True):
            page = CasePageFactory(**kwargs)
        created_pages.append(page)
        return page

    return make
