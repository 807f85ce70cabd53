"""search.admin_postgres: on PostgreSQL, the admin index rows of a bulk add are exactly the rows
modelsearch's own `add_items` writes (title, autocomplete and body vectors, the plain texts, the
title norms), for every kind of page; elsewhere bulk adds are modelsearch's own."""

import pytest
from django.db import connection
from modelsearch.backends import get_search_backend
from modelsearch.backends.database.postgres.postgres import IndexEntry

from cases.models import ArticlePage, CasePage, CityPage, StandardPage, TechnologyPage
from search import admin_postgres

pytestmark = pytest.mark.django_db

MODELS = [CasePage, TechnologyPage, CityPage, StandardPage, ArticlePage]


def _rows(model, pages) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT object_id, title::text, autocomplete::text, body::text, title_norm, "
            f"title_text, body_text FROM {IndexEntry._meta.db_table} "
            f"WHERE object_id = ANY(%s) ORDER BY object_id",
            [[str(p.pk) for p in pages]],
        )
        return cursor.fetchall()


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_bulk_rows_are_modelsearchs_rows(model, monkeypatch):
    backend = get_search_backend()
    index = backend.get_index_for_model(model)
    pages = list(model.objects.all()[:6])
    assert pages
    if connection.vendor != "postgresql":
        # SQLite's admin index: a bulk add is modelsearch's own.
        calls = []
        monkeypatch.setattr(
            type(index), "add_items", lambda self, m, objects: calls.append((m, list(objects)))
        )
        backend.add_bulk(model, pages)
        assert calls == [(model, pages)]
        return
    index.add_items(model, pages)
    theirs = _rows(model, pages)
    IndexEntry.objects.filter(object_id__in=[str(p.pk) for p in pages]).delete()
    admin_postgres.add_items(index, model, pages)
    assert _rows(model, pages) == theirs
    calls = []
    monkeypatch.setattr(admin_postgres, "add_items", lambda *args: calls.append(args))
    backend.add_bulk(model, pages)  # the backend's bulk add is this one
    assert [(type(i), m, list(o)) for i, m, o in calls] == [(type(index), model, pages)]
