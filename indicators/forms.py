from django import forms
from django.utils.translation import gettext_lazy as _

from cases.languages import localized
from cases.models import PilotBatch, Region
from cases.models.taxonomy import CLUSTERS as CLUSTER_NAMES
from cases.widgets import QuickSelect

from .models import Indicator

CLUSTERS = [(name, _(name)) for name in CLUSTER_NAMES]
SORT_CHOICES = [
    ("", _("按成效（优者在前）")),
    ("-value", _("数值从高到低")),
    ("value", _("数值从低到高")),
    ("city", _("按行政区划")),
]


class BatchChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return localized(obj, "name")


class CompareForm(forms.Form):
    """The comparison page's query; a bad value is a 400 naming the field."""

    indicator = forms.ModelChoiceField(
        Indicator.objects.order_by("sort_order", "code"),
        to_field_name="code",
        label=_("指标"),
        required=False,
        widget=QuickSelect,
    )
    year = forms.IntegerField(label=_("年份"), required=False, min_value=1990, max_value=2100)
    tier = forms.ChoiceField(
        label=_("东中西部"), choices=[("", _("全部"))] + Region.MacroRegion.choices, required=False
    )
    cluster = forms.ChoiceField(
        label=_("城市群"), choices=[("", _("全部"))] + CLUSTERS, required=False
    )
    batch = BatchChoiceField(
        PilotBatch.objects.order_by("year"),
        to_field_name="slug",
        label=_("试点批次"),
        required=False,
        empty_label=_("全部"),
    )
    sort = forms.ChoiceField(label=_("排序"), choices=SORT_CHOICES, required=False)
