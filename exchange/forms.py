"""Admin forms of study visits and twinning; every bad value is a form error naming its field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import CasePage, CityPage, WasteCategory

from .models import ExchangeMessage, ExchangeRequest

DATE = forms.DateInput(attrs={"type": "date"})


class CaseChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, case):
        return f"{case.city.title if case.city else ''}：{case.title}"


class WasteChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, category):
        return f"{category.code} {category.name}" if category.code else category.name


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=ExchangeRequest.Kind.choices)
    from_city = forms.ModelChoiceField(label=_("发起城市"), queryset=CityPage.objects.none())
    to_city = forms.ModelChoiceField(label=_("对方城市"), queryset=CityPage.objects.none())
    topic = forms.CharField(label=_("交流主题"), max_length=200)
    waste_categories = WasteChoiceField(
        label=_("废物类别"),
        required=False,
        queryset=WasteCategory.objects.order_by("sort_order"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    cases = CaseChoiceField(
        label=_("感兴趣的试点经验"),
        required=False,
        queryset=CasePage.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("须为对方城市的试点经验"),
    )
    start_date = forms.DateField(label=_("建议日期（起）"), required=False, widget=DATE)
    end_date = forms.DateField(label=_("建议日期（止）"), required=False, widget=DATE)
    message = forms.CharField(
        label=_("留言"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, cities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_city"].queryset = cities
        if cities.count() == 1:
            self.fields["from_city"].initial = cities.first()
        self.fields["to_city"].queryset = CityPage.objects.live().order_by("path")
        self.fields["cases"].queryset = (
            CasePage.objects.live().public().select_related("city").order_by("city__path", "path")
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "结束日期不能早于开始日期。")
        if data.get("from_city") and data.get("from_city") == data.get("to_city"):
            self.add_error("to_city", "请选择另一个城市。")
        to_city = data.get("to_city")
        if to_city:
            stray = [c.title for c in data.get("cases") or [] if c.city_id != to_city.pk]
            if stray:
                self.add_error("cases", f"这些试点经验不属于{to_city.title}：{'、'.join(stray)}")
        return data


class ResponseForm(forms.Form):
    action = forms.ChoiceField(
        label=_("答复"),
        choices=[
            (ExchangeMessage.Action.ACCEPT, "接受"),
            (ExchangeMessage.Action.PROPOSE, "提议其他日期"),
            (ExchangeMessage.Action.DECLINE, "婉拒"),
        ],
        widget=forms.RadioSelect,
    )
    start_date = forms.DateField(label=_("其他日期（起）"), required=False, widget=DATE)
    end_date = forms.DateField(label=_("其他日期（止）"), required=False, widget=DATE)
    text = forms.CharField(
        label=_("留言"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean()
        if data.get("action") == ExchangeMessage.Action.PROPOSE and not data.get("start_date"):
            self.add_error("start_date", "提议其他日期时请填写开始日期。")
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "结束日期不能早于开始日期。")
        return data


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("留言"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
