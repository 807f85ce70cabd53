"""Filter forms of the listing pages; invalid values become form errors (HTTP 400)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases import taxonomy_cache
from cases.languages import localized
from cases.models import (
    CityPage,
    GovernanceModel,
    PilotBatch,
    Region,
    TechnologyPage,
    WasteCategory,
)
from cases.widgets import QuickSelectMultiple


class SlugMultipleChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, queryset, **kwargs):
        kwargs.setdefault("widget", QuickSelectMultiple)
        super().__init__(queryset, to_field_name="slug", required=False, **kwargs)
        self.error_messages["invalid_choice"] = _("没有这个选项：%(value)s")

    def label_from_instance(self, obj):
        # Taxonomy terms in the page's language (name_en under /en/, where filled in).
        return localized(obj, "name")


class RegionField(forms.MultipleChoiceField):
    """Accepts a GB/T 2260 code, a city cluster (粤港澳) or 东/中/西部/东北."""

    widget = QuickSelectMultiple

    def valid_value(self, value):
        return value in taxonomy_cache.known_region_values()


def region_filter_choices():
    """Grouped options of a region filter: 东/中/西部/东北, the city clusters, then each province
    (全省) with its pilot cities. Any other code stays valid in the URL (RegionField)."""
    regions = sorted(taxonomy_cache.regions().values(), key=lambda r: r.code)
    clusters = sorted({c for r in regions for c in r.cluster_list})
    pilot_region_ids = set(CityPage.objects.values_list("region_id", flat=True))
    cities: dict[int, list] = {}
    for region in regions:
        if region.parent_id and region.pk in pilot_region_ids:
            cities.setdefault(region.parent_id, []).append((region.code, region.name))
    provinces = [
        (p.name, [(p.code, f"{p.name}（全省）"), *cities.get(p.pk, [])])
        for p in regions
        if p.parent_id is None
    ]
    return [
        ("东中西部", [(v, label) for v, label in Region.MacroRegion.choices]),
        ("城市群", [(c, c) for c in clusters]),
        *provinces,
    ]


class CaseFilterForm(forms.Form):
    waste = SlugMultipleChoiceField(WasteCategory.objects.all(), label=_("废物类别"))
    region = RegionField(label=_("地区"), required=False)
    model = SlugMultipleChoiceField(GovernanceModel.objects.all(), label=_("治理模式"))
    batch = SlugMultipleChoiceField(PilotBatch.objects.all(), label=_("试点批次"))
    tag = forms.CharField(label=_("标签"), required=False, max_length=50)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["region"].error_messages["invalid_choice"] = "没有这个地区：%(value)s"
        self.fields["region"].choices = region_filter_choices()


class TechnologyFilterForm(forms.Form):
    waste = SlugMultipleChoiceField(WasteCategory.objects.all(), label=_("废物类别"))
    maturity = forms.ChoiceField(
        label=_("成熟度"),
        required=False,
        choices=[("", _("全部")), *TechnologyPage.Maturity.choices],
    )
    tag = forms.CharField(label=_("标签"), required=False, max_length=50)
