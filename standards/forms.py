"""Forms generated from a standard's scorecard: the public self-assessment and the reviewers'
evaluation; and the application form."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cases.models import CityPage
from publishing.validators import validate_document_upload
from standards import scoring

INDICATOR_PREFIX = "ind_"
MAX_EVIDENCE_FILES = 10


def indicator_field_name(code: str) -> str:
    return f"{INDICATOR_PREFIX}{code}"


class ScorecardForm(forms.Form):
    """Eligibility, veto and bonus questions of `standard`, and a hook for indicator fields.
    Subclasses add the indicator fields and say how a cleaned value becomes an answer."""

    def __init__(self, standard, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.standard = standard
        self.indicators = [indicator for _, indicator in standard.indicator_list()]
        for indicator in self.indicators:
            self.add_indicator_fields(indicator)
        for n, text in enumerate(standard.eligibility_list):
            self.fields[f"elig_{n}"] = forms.BooleanField(label=f"符合：{text}", required=False)
        for n, text in enumerate(standard.veto_list):
            self.fields[f"veto_{n}"] = forms.BooleanField(label=f"存在：{text}", required=False)
        bonus = [
            (b.value["code"], f"{b.value['text']}（{b.value['points']} 分）")
            for b in standard.bonus_items
        ]
        if bonus:
            self.fields["bonus"] = forms.MultipleChoiceField(
                label=_("加分项"),
                choices=bonus,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
        self.result = None

    def add_indicator_fields(self, indicator):
        raise NotImplementedError

    def answer(self, indicator, value):
        raise NotImplementedError

    def indicator_rows(self):
        """(indicator, bound field) pairs for the template, grouped by dimension."""
        groups = {}
        for dimension, indicator in self.standard.indicator_list():
            groups.setdefault(dimension, []).append(
                (indicator, self[indicator_field_name(indicator["code"])])
            )
        return list(groups.items())

    def clean(self):
        cleaned = super().clean()
        known = {indicator_field_name(i["code"]) for i in self.indicators}
        unknown = sorted(
            key[len(INDICATOR_PREFIX) :]
            for key in self.data
            if key.startswith(INDICATOR_PREFIX) and key not in known
        )
        if unknown:
            raise ValidationError(f"标准中没有编号为 {'、'.join(unknown)} 的指标。", code="unknown")
        if self.errors:
            return cleaned
        answers = {}
        for indicator in self.indicators:
            value = cleaned.get(indicator_field_name(indicator["code"]))
            if value not in (None, ""):
                answers[indicator["code"]] = self.answer(indicator, value)
        self.answers = {
            "indicators": answers,
            "eligibility": [
                cleaned.get(f"elig_{n}", False) for n in range(len(self.standard.eligibility_list))
            ],
            "veto": [cleaned.get(f"veto_{n}", False) for n in range(len(self.standard.veto_list))],
            "bonus": list(cleaned.get("bonus") or []),
        }
        try:
            self.result = scoring.score(
                self.standard,
                answers,
                eligibility=self.answers["eligibility"],
                veto=self.answers["veto"],
                bonus=self.answers["bonus"],
            )
        except scoring.AnswerError as error:
            field = indicator_field_name(error.code)
            self.add_error(field if field in self.fields else None, str(error))
        return cleaned


class SelfAssessmentForm(ScorecardForm):
    def add_indicator_fields(self, indicator):
        label = f"{indicator['code']} {indicator['name']}（{indicator['max_score']} 分）"
        required = bool(indicator["required"])
        if indicator["method"] == "graded":
            field = forms.TypedChoiceField(
                label=label,
                coerce=int,
                choices=[
                    (n, f"{level['label']}（{level['points']} 分）")
                    for n, level in enumerate(indicator["levels"])
                ],
                widget=forms.RadioSelect,
                required=required,
            )
        elif indicator["method"] == "deduction":
            field = forms.IntegerField(
                label=f"{label}：发现的问题数（每处扣 {indicator['deduction']} 分）",
                min_value=0,
                max_value=1000,
                required=required,
            )
        else:
            field = forms.TypedChoiceField(
                label=label,
                coerce=lambda v: v == "yes",
                choices=[("yes", "是"), ("no", "否")],
                widget=forms.RadioSelect,
                required=required,
            )
        field.error_messages["required"] = f"请回答指标 {indicator['code']}。"
        field.help_text = indicator["description"]
        self.fields[indicator_field_name(indicator["code"])] = field

    def answer(self, indicator, value):
        return value


class ReviewForm(ScorecardForm):
    """A reviewer's points per indicator (may differ from the self-score) with a comment."""

    DECISIONS = [("recognise", "认定"), ("return", "退回")]

    def add_indicator_fields(self, indicator):
        code = indicator["code"]
        self.fields[indicator_field_name(code)] = forms.DecimalField(
            label=f"{code} {indicator['name']}",
            min_value=0,
            max_value=indicator["max_score"],
            decimal_places=1,
            required=True,
            error_messages={
                "max_value": f"指标 {code} 的得分不能高于分值 {indicator['max_score']}。",
                "required": f"请为指标 {code} 打分。",
            },
        )
        self.fields[f"comment_{code}"] = forms.CharField(
            label=f"{code} 评估意见", required=False, max_length=500
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"] = forms.ChoiceField(
            label=_("评估结论"), choices=self.DECISIONS, widget=forms.RadioSelect
        )
        self.fields["review_comment"] = forms.CharField(
            label=_("总体意见"), required=False, widget=forms.Textarea(attrs={"rows": 3})
        )

    def answer(self, indicator, value):
        return {"points": value}

    def review_data(self) -> dict:
        return {
            code: {
                "score": str(self.cleaned_data[indicator_field_name(code)]),
                "comment": self.cleaned_data.get(f"comment_{code}", ""),
            }
            for code in (i["code"] for i in self.indicators)
        }


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if len(files) > MAX_EVIDENCE_FILES:
            raise ValidationError(f"佐证材料最多 {MAX_EVIDENCE_FILES} 个文件。")
        cleaned = [super(EvidenceField, self).clean(f, initial) for f in files]
        for f in cleaned:
            validate_document_upload(f)
        return cleaned


class ApplicationForm(forms.Form):
    unit_name = forms.CharField(label=_("申报单位名称"), max_length=200)
    city = forms.ModelChoiceField(label=_("所在城市"), queryset=CityPage.objects.none())
    district = forms.CharField(label=_("所在区县"), max_length=100, required=False)
    address = forms.CharField(label=_("地址"), max_length=300, required=False)
    contact_name = forms.CharField(label=_("联系人（仅评估人员可见）"), max_length=100)
    contact_phone = forms.CharField(label=_("联系电话（仅评估人员可见）"), max_length=50)
    contact_email = forms.EmailField(label=_("电子邮箱（选填，仅评估人员可见）"), required=False)
    commitment = forms.BooleanField(
        label=_("本单位自愿申报，法定代表人已签署承诺书，所附材料真实有效"), required=True
    )
    evidence = EvidenceField(label=_("佐证材料（PDF、Word、Excel、图片）"), required=False)

    def __init__(self, standard, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cities = CityPage.objects.live().order_by("path")
        if standard.city_id:
            cities = cities.filter(pk=standard.city_id)
            self.fields["city"].initial = standard.city_id
        self.fields["city"].queryset = cities


class RegisterFilterForm(forms.Form):
    """The public register's filters; a bad value is an HTTP 400 naming the field."""

    city = forms.ModelChoiceField(label=_("城市"), queryset=CityPage.objects.none(), required=False)
    cell_type = forms.ChoiceField(label=_("细胞类型"), required=False)
    standard = forms.ModelChoiceField(
        label=_("依据标准"), queryset=CityPage.objects.none(), required=False
    )
    status = forms.ChoiceField(label=_("状态"), required=False)
    year = forms.IntegerField(label=_("认定年份"), min_value=1990, max_value=2100, required=False)
    q = forms.CharField(label=_("名称或证书编号"), max_length=100, required=False)
    page = forms.IntegerField(min_value=1, required=False)

    def __init__(self, *args, **kwargs):
        from cases.models import StandardPage
        from standards.models import Cell

        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = CityPage.objects.order_by("path")
        self.fields["standard"].queryset = StandardPage.objects.live().public().order_by("title")
        self.fields["cell_type"].choices = [("", _("全部")), *StandardPage.CellType.choices]
        self.fields["status"].choices = [("", _("全部")), *Cell.Status.choices]

    def choices(self) -> dict:
        """Option lists for the template's own selects (Django's widget rendering cost ~15 ms
        per request here)."""
        from cases.models import StandardPage
        from standards.models import Cell

        return {
            "city": list(self.fields["city"].queryset.values_list("pk", "title")),
            "cell_type": StandardPage.CellType.choices,
            "standard": list(self.fields["standard"].queryset.values_list("pk", "title")),
            "status": Cell.Status.choices,
        }
