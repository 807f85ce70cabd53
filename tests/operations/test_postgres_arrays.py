"""operations.postgres: the text-array dumper writes exactly psycopg's own array literal (Django
5.2 sends bulk inserts to PostgreSQL as one array per column), only faster; and text full of
quotes goes through a bulk insert and back unchanged on whichever database runs the tests."""

import pytest
from psycopg.adapt import PyFormat, Transformer
from psycopg.types.array import ListDumper

from operations.postgres import TextArrayDumper

AWKWARD = [
    '{"type": "paragraph", "value": "<p class=\\"x\\">引号</p>"}',
    "back\\slash",
    "{braces,comma}",
    "NULL",
    "",
    " spaced ",
    None,
    "换行\n制表\t",
    "plain",
]


def _literal(dumper_class, value) -> bytes:
    dumper = dumper_class(list, Transformer()).upgrade(value, PyFormat.TEXT)
    return bytes(dumper.dump(value))


@pytest.mark.parametrize("value", [AWKWARD, [AWKWARD[:3], AWKWARD[3:6]], [], [None]])
def test_the_array_literal_is_psycopgs_own(value):
    assert _literal(TextArrayDumper, value) == _literal(ListDumper, value)


@pytest.mark.django_db
def test_quoted_text_survives_a_bulk_insert():
    from search.models import IndexedDocument

    texts = [t for t in AWKWARD if t is not None]
    IndexedDocument.objects.bulk_create(
        IndexedDocument(
            key=f"arrays-{n}", doc_type="case", title=t[:255], body=t, data={"text": t}, stamp="a"
        )
        for n, t in enumerate(texts)
    )
    stored = IndexedDocument.objects.filter(stamp="a").order_by("pk")
    assert [(d.body, d.data["text"]) for d in stored] == [(t, t) for t in texts]


@pytest.mark.django_db
def test_every_postgresql_connection_gets_it():
    from django.db import connection

    connection.ensure_connection()
    if connection.vendor == "postgresql":
        dumper = connection.connection.adapters.get_dumper(list, PyFormat.TEXT)
        assert dumper is TextArrayDumper
    else:  # SQLite: nothing of psycopg's is involved
        assert not hasattr(connection.connection, "adapters")
