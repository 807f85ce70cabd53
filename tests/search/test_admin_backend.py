"""Wagtail's own search (the admin's page search) finds Chinese pages."""

import pytest
from wagtail.models import Page

from cases.models import CasePage


@pytest.mark.parametrize("q", ["危险废物", "重庆", "一物一码", "农膜"])
def test_page_search_finds_chinese_words(db, q):
    from django.core.management import call_command

    call_command("update_index", verbosity=0)
    titles = [p.title for p in Page.objects.search(q)]
    assert any(q in t for t in titles), titles


def test_admin_search_view_finds_a_case(admin_client):
    from django.core.management import call_command

    call_command("update_index", verbosity=0)
    case = CasePage.objects.get(external_id="seed-chongqing-04")
    response = admin_client.get("/admin/pages/search/", {"q": "一物一码"})
    assert response.status_code == 200
    assert case.title in response.content.decode()
