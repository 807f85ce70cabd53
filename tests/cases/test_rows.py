"""cases.rows: rows written without model objects read back as the ORM wrote them, on SQLite and
PostgreSQL (COPY), and a row that breaks a unique constraint is skipped when asked."""

import datetime
import uuid

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.models import Page, PageLogEntry, ReferenceIndex

from cases import rows

pytestmark = pytest.mark.django_db

AWKWARD = ['引号"与\\反斜杠', "{大括号,逗号}", "NULL", "", " 前后空格 ", "换行\n制表\t"]


def test_values_are_prepared_by_their_fields_as_the_orm_would():
    page = Page.objects.filter(depth=2).first()
    page_type = ContentType.objects.get_for_model(Page)
    now = timezone.now().replace(microsecond=123000)
    action_id = uuid.uuid4()
    rows.insert_values(
        PageLogEntry,
        [
            {
                "content_type": page_type.pk,
                "label": label,
                "action": "wagtail.edit",
                "timestamp": now,
                "data": {"说明": label, "n": [1, 2]},
                "user": None,
                "revision": None,
                "content_changed": True,
                "deleted": False,
                "uuid": action_id,
                "page": page.pk,
            }
            for label in AWKWARD
        ],
    )
    stored = PageLogEntry.objects.filter(uuid=action_id).order_by("pk")
    assert [e.label for e in stored] == AWKWARD
    assert [e.data for e in stored] == [{"说明": label, "n": [1, 2]} for label in AWKWARD]
    assert {e.timestamp for e in stored} == {now}
    assert {(e.page_id, e.content_type_id, e.content_changed) for e in stored} == {
        (page.pk, page_type.pk, True)
    }


def test_ignore_conflicts_skips_a_duplicate_row_and_keeps_the_others():
    page_type = ContentType.objects.get_for_model(Page)

    def reference(n):
        return {
            "content_type": page_type.pk,
            "base_content_type": page_type.pk,
            "object_id": "987654",
            "to_content_type": page_type.pk,
            "to_object_id": str(n),
            "model_path": "related",
            "content_path": f"related.{n}",
            "content_path_hash": ReferenceIndex._get_content_path_hash(f"related.{n}"),
        }

    rows.insert_values(ReferenceIndex, [reference(1)])
    rows.insert_values(ReferenceIndex, [reference(1), reference(2)], ignore_conflicts=True)
    stored = ReferenceIndex.objects.filter(object_id="987654")
    assert sorted(stored.values_list("to_object_id", flat=True)) == ["1", "2"]


def test_nothing_to_insert_is_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        rows.insert_values(PageLogEntry, [])
        rows.insert("wagtailcore_pagelogentry", ("label",), [])


def test_dates_without_time_and_missing_values():
    from search.models import IndexedDocument

    rows.insert_values(
        IndexedDocument,
        [
            {
                "key": f"rows-test-{n}",
                "doc_type": "case",
                "title": "标题",
                "summary": "",
                "body": AWKWARD[0],
                "keywords": "",
                "published": published,
                "data": {"key": f"rows-test-{n}"},
                "stamp": "rows-test",
            }
            for n, published in enumerate(["2021-03-06", None])
        ],
    )
    stored = IndexedDocument.objects.filter(stamp="rows-test").order_by("key")
    assert [d.published for d in stored] == [datetime.date(2021, 3, 6), None]
    assert stored[0].body == AWKWARD[0]


def test_update_each_sets_each_rows_own_value():
    from cases.models import CasePage

    pages = list(CasePage.objects.order_by("pk")[:3])
    dates = {p.pk: datetime.date(2020, 1, n + 1) for n, p in enumerate(pages)}
    others = dict(CasePage.objects.exclude(pk__in=dates).values_list("pk", "information_date"))
    rows.update_each(CasePage, "information_date", {**dates, pages[2].pk: None})
    stored = dict(CasePage.objects.filter(pk__in=dates).values_list("pk", "information_date"))
    assert stored == {**dates, pages[2].pk: None}
    assert dict(CasePage.objects.exclude(pk__in=dates).values_list("pk", "information_date")) == (
        others
    )
