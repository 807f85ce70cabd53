"""cases.widgets: the selects joined in Python give the markup of Django's own templates."""

import re

import pytest
from django import forms
from django.utils.safestring import mark_safe

from cases.widgets import QuickSelect, QuickSelectMultiple

CHOICES = [
    ("东中西部", [("east", "东部"), ("west", "西部")]),
    ("", "无组"),
    ("<b>", [("a&b", '名称<i>"引号"</i>'), ("safe", mark_safe("<em>已转义</em>"))]),
    ("3", "３"),
]


def _normalized(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


@pytest.mark.parametrize(
    ("quick", "django_widget", "value"),
    [
        (QuickSelect, forms.Select, "a&b"),
        (QuickSelect, forms.Select, None),
        (QuickSelectMultiple, forms.SelectMultiple, ["east", "a&b", 3]),
        (QuickSelectMultiple, forms.SelectMultiple, []),
    ],
)
def test_a_quick_select_renders_what_djangos_select_renders(quick, django_widget, value):
    attrs = {"id": "id_region", "aria-describedby": 'x"y'}
    expected = django_widget(choices=CHOICES).render("region", value, attrs)
    html = quick(choices=CHOICES).render("region", value, attrs)
    assert _normalized(html) == _normalized(expected)
    assert "&lt;i&gt;" in html and "<em>已转义</em>" in html


def test_the_listing_filters_use_quick_selects(db):
    from cases.forms import CaseFilterForm, TechnologyFilterForm

    for form in (CaseFilterForm(), TechnologyFilterForm()):
        assert isinstance(form.fields["waste"].widget, QuickSelectMultiple)
    assert isinstance(CaseFilterForm().fields["region"].widget, QuickSelectMultiple)
