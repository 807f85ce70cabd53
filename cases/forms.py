"""Filter forms of the listing pages; invalid values become form errors (HTTP 400)."""

from django import forms

from cases import taxonomy_cache
from cases.models import GovernanceModel, PilotBatch, TechnologyPage, WasteCategory


class SlugMultipleChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, queryset, **kwargs):
        super().__init__(queryset, to_field_name="slug", required=False, **kwargs)
        self.error_messages["invalid_choice"] = "没有这个选项：%(value)s"


class RegionField(forms.MultipleChoiceField):
    """Accepts a GB/T 2260 code, a city cluster (粤港澳) or 东/中/西部/东北."""

    def valid_value(self, value):
        return value in taxonomy_cache.known_region_values()


class CaseFilterForm(forms.Form):
    waste = SlugMultipleChoiceField(WasteCategory.objects.all(), label="废物类别")
    region = RegionField(label="地区", required=False)
    model = SlugMultipleChoiceField(GovernanceModel.objects.all(), label="治理模式")
    batch = SlugMultipleChoiceField(PilotBatch.objects.all(), label="试点批次")
    tag = forms.CharField(label="标签", required=False, max_length=50)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["region"].error_messages["invalid_choice"] = "没有这个地区：%(value)s"


class TechnologyFilterForm(forms.Form):
    waste = SlugMultipleChoiceField(WasteCategory.objects.all(), label="废物类别")
    maturity = forms.ChoiceField(
        label="成熟度", required=False, choices=[("", "全部"), *TechnologyPage.Maturity.choices]
    )
    tag = forms.CharField(label="标签", required=False, max_length=50)
