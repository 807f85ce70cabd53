from django import forms

from .models import Indicator

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class ValueForm(forms.Form):
    """One reported value; the rules are services.check_value's (this form only collects)."""

    city = forms.TypedChoiceField(label="城市", coerce=int)
    indicator = forms.ModelChoiceField(
        Indicator.objects.select_related("group").order_by("sort_order", "code"), label="指标"
    )
    year = forms.CharField(label="年份", max_length=4)
    value = forms.CharField(label="数值", max_length=30)
    unit = forms.CharField(label="单位", max_length=30, help_text="须与指标单位一致，不做换算")
    target = forms.CharField(label="目标值", max_length=30, required=False)
    target_year = forms.CharField(label="目标年份", max_length=4, required=False)
    baseline = forms.CharField(label="基准值", max_length=30, required=False)
    baseline_year = forms.CharField(label="基准年份", max_length=4, required=False)
    source = forms.CharField(label="数据来源", max_length=300)
    note = forms.CharField(label="备注", max_length=500, required=False)

    def __init__(self, *args, cities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].choices = [(c.pk, c.title) for c in cities]


class UploadForm(forms.Form):
    KINDS = [("values", "城市填报值"), ("system", "指标体系（分组与指标）")]

    kind = forms.ChoiceField(label="内容", choices=KINDS, initial="values")
    file = forms.FileField(label="文件", help_text="JSON、JSON Lines、CSV 或 XLSX；第 1 行为列名")
    atomic = forms.BooleanField(label="有任何错误则全部不写入", required=False)
    submit = forms.BooleanField(label="导入后提交审核（仅填报值）", required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("文件不能超过 5 MB")
        return upload
