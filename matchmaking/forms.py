"""Forms of the public inquiry and board pages, the board filter, and the admin actions.

Every text field has a maximum length (the same as the model's) and every public form carries a
honeypot field (`website`): people never see it, scripts that fill every input do."""

import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from cases import taxonomy_cache
from cases.forms import RegionField, SlugMultipleChoiceField, region_filter_choices
from cases.models import WasteCategory

from .models import BoardPost, InquiryStatus, OrganisationType, Purpose
from .models.common import (
    CONTACT_NAME_MAX,
    EMAIL_MAX,
    MESSAGE_MAX,
    ORGANISATION_MAX,
    PHONE_MAX,
    TITLE_MAX,
)
from .validators import (
    normalise_credit_code,
    normalise_phone,
    validate_credit_code,
    validate_phone,
)

# Contact details typed into a public text (title, description) would defeat the point of
# relaying contacts through the platform; such texts are refused with a clear message.
CONTACT_IN_TEXT = re.compile(
    r"[\w.+-]+@[\w-]+\.[\w.-]+"  # an email address
    r"|(?<!\d)1[3-9]\d(?:[ -]?\d){8}(?!\d)"  # a mobile number, possibly spaced
    r"|(?<!\d)0\d{2,3}[ -]?\d{7,8}(?!\d)"  # a landline with its area code
    r"|微信|weixin|wechat|QQ[:：\s]*\d",
    re.IGNORECASE,
)

MAX_CATEGORIES = 10
MAX_REGIONS_SERVED = 40
MIN_MESSAGE = 10


class TelInput(forms.TextInput):
    input_type = "tel"


def region_choices(blank: str | None = "请选择"):
    """Regions grouped by province: the province itself (全省), then its cities."""
    regions = sorted(taxonomy_cache.regions().values(), key=lambda r: r.code)
    provinces = [r for r in regions if r.parent_id is None]
    children: dict[int, list] = {}
    for region in regions:
        if region.parent_id:
            children.setdefault(region.parent_id, []).append(region)
    groups = [
        (
            province.name,
            [
                (
                    province.pk,
                    f"{province.name}（全省）" if children.get(province.pk) else province.name,
                )
            ]
            + [(city.pk, city.name) for city in children.get(province.pk, [])],
        )
        for province in provinces
    ]
    return ([("", blank)] if blank is not None else []) + groups


def waste_choices():
    """Waste categories grouped under their root (危险废物 → HW01 … HW50)."""
    categories = sorted(
        taxonomy_cache.waste_categories().values(), key=lambda c: (c.sort_order, c.code, c.name)
    )
    roots = [c for c in categories if c.parent_id is None]
    groups = []
    for root in roots:
        below = [
            c
            for c in categories
            if c.pk != root.pk
            and root in taxonomy_cache.waste_ancestors(c)
            and c.parent_id is not None
        ]
        groups.append(
            (root.name, [(root.pk, f"{root.name}（全部）")] + [(c.pk, str(c)) for c in below])
        )
    return groups


class ChineseMessagesMixin(forms.Form):
    """Error messages that name the field (“请填写联系人。”) instead of Django's generic ones, so
    each message makes sense read out on its own by a screen reader."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            label = field.label
            if isinstance(field, forms.MultipleChoiceField):
                field.error_messages["invalid_list"] = f"请从列表中选择{label}。"
            choose = isinstance(field, forms.ChoiceField)
            messages = {
                "required": f"请选择{label}。" if choose else f"请填写{label}。",
                "max_length": f"{label}最多 %(limit_value)d 个字（现在 %(show_value)d 个）。",
                "min_length": f"{label}至少 %(limit_value)d 个字（现在 %(show_value)d 个）。",
                "invalid_choice": f"请从列表中选择{label}。",
                "invalid_list": f"请从列表中选择{label}。",
            }
            if isinstance(field, forms.EmailField):
                messages["invalid"] = "请填写有效的电子邮箱地址，例如 name@example.com。"
            if isinstance(field, forms.DecimalField):
                messages["invalid"] = f"{label}请填写数字。"
                messages["min_value"] = f"{label}应大于 0。"
                messages["max_value"] = f"{label}过大，请核对单位（吨/年）。"
            if isinstance(field, forms.BooleanField):
                del messages["required"]  # the consent box has its own wording
            field.error_messages.update(messages)


class HoneypotMixin(forms.Form):
    website = forms.CharField(
        label=_("网址（请勿填写）"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def is_spam(self) -> bool:
        """True when the hidden honeypot field was filled: the view pretends success."""
        return bool((self.data.get("website") or "").strip())


class ContactFormMixin(forms.Form):
    """Organisation and contact fields shared by the inquiry and board post forms."""

    organisation = forms.CharField(label=_("单位名称"), max_length=ORGANISATION_MAX)
    organisation_type = forms.ChoiceField(
        label=_("单位类型"), choices=[("", _("请选择")), *OrganisationType.choices]
    )
    credit_code = forms.CharField(
        label=_("统一社会信用代码"),
        required=False,
        max_length=30,
        help_text=_("选填；18 位，见营业执照或登记证书"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    contact_name = forms.CharField(
        label=_("联系人"),
        max_length=CONTACT_NAME_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("联系电话"),
        required=False,
        max_length=PHONE_MAX + 10,
        help_text=_("手机号或带区号的固定电话"),
        widget=TelInput(attrs={"autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("电子邮箱"),
        required=False,
        max_length=EMAIL_MAX,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    region = forms.TypedChoiceField(label=_("所在地区"), coerce=int)
    consent = forms.BooleanField(
        label=_("我同意平台将以上联系方式转交给对接方，仅用于本次对接"),
        error_messages={"required": "请勾选同意后提交。"},
    )

    def _set_taxonomy_choices(self):
        self.fields["region"].choices = region_choices()

    def clean_credit_code(self):
        code = normalise_credit_code(self.cleaned_data.get("credit_code", ""))
        if code:
            validate_credit_code(code)
        return code

    def clean_phone(self):
        phone = normalise_phone(self.cleaned_data.get("phone", ""))
        if phone:
            validate_phone(phone)
        return phone

    def clean_region(self):
        region = taxonomy_cache.regions().get(self.cleaned_data["region"])
        if region is None:
            raise forms.ValidationError("请选择所在地区。")
        return region

    def clean_categories(self, name: str):
        ids = self.cleaned_data.get(name) or []
        if len(ids) > MAX_CATEGORIES:
            raise forms.ValidationError(f"最多选择 {MAX_CATEGORIES} 个废物类别。")
        lookup = taxonomy_cache.waste_categories()
        return [lookup[pk] for pk in ids if pk in lookup]


class InquiryForm(ChineseMessagesMixin, HoneypotMixin, ContactFormMixin):
    field_order = [
        "organisation",
        "organisation_type",
        "credit_code",
        "contact_name",
        "phone",
        "email",
        "region",
        "waste_categories",
        "purpose",
        "message",
        "consent",
        "website",
    ]

    waste_categories = forms.TypedMultipleChoiceField(
        label=_("废物类别"),
        coerce=int,
        required=False,
        help_text=f"选填，最多 {MAX_CATEGORIES} 项；按住 Ctrl（Mac 为 ⌘）可多选",
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    purpose = forms.ChoiceField(label=_("对接目的"), choices=[("", _("请选择")), *Purpose.choices])
    message = forms.CharField(
        label=_("需求说明"),
        min_length=MIN_MESSAGE,
        max_length=MESSAGE_MAX,
        help_text=f"{MIN_MESSAGE}–{MESSAGE_MAX} 字：希望了解或合作的内容、规模、时间等",
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_taxonomy_choices()
        self.fields["waste_categories"].choices = waste_choices()

    def clean_waste_categories(self):
        return self.clean_categories("waste_categories")

    def clean(self):
        cleaned = super().clean()
        if (
            not cleaned.get("phone")
            and not cleaned.get("email")
            and "phone" not in self.errors
            and "email" not in self.errors
        ):
            message = "请填写联系电话或电子邮箱（至少一项）。"
            self.add_error("phone", message)
            self.add_error("email", message)
        return cleaned


class BoardPostForm(ChineseMessagesMixin, HoneypotMixin, ContactFormMixin):
    field_order = [
        "kind",
        "title",
        "waste_categories",
        "annual_tonnage",
        "region",
        "regions_served",
        "licence_number",
        "description",
        "organisation",
        "organisation_type",
        "credit_code",
        "show_organisation",
        "contact_name",
        "phone",
        "email",
        "consent",
        "website",
    ]

    kind = forms.ChoiceField(
        label=_("信息类型"),
        choices=[
            ("", _("请选择")),
            (BoardPost.Kind.NEED, "需求：有废物需要处置或利用"),
            (BoardPost.Kind.OFFER, "能力：可提供处置、利用设施或技术"),
        ],
    )
    title = forms.CharField(
        label=_("标题"),
        max_length=TITLE_MAX,
        help_text=_("例如：HW17 表面处理废物 500 吨/年 寻求处置"),
    )
    waste_categories = forms.TypedMultipleChoiceField(
        label=_("废物类别"),
        coerce=int,
        help_text=f"最多 {MAX_CATEGORIES} 项；按住 Ctrl（Mac 为 ⌘）可多选",
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    annual_tonnage = forms.DecimalField(
        label=_("数量（吨/年）"),
        required=False,
        min_value=Decimal("0.01"),
        max_value=Decimal("9999999999"),
        max_digits=12,
        decimal_places=2,
        help_text=_("需求：每年需处置或利用的量；能力：年处理能力"),
    )
    regions_served = forms.TypedMultipleChoiceField(
        label=_("服务地区"),
        coerce=int,
        required=False,
        help_text=_("能力方选填：可接收废物的省或市"),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    licence_number = forms.CharField(
        label=_("经营许可证编号"),
        required=False,
        max_length=100,
        help_text=_("能力方选填，如危险废物经营许可证编号（审核时核对，不公开）"),
    )
    description = forms.CharField(
        label=_("详细说明"),
        min_length=MIN_MESSAGE,
        max_length=MESSAGE_MAX,
        help_text=_("废物来源与特性、处置方式、工艺或资质等；请勿在此填写电话、邮箱"),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    show_organisation = forms.BooleanField(label=_("在公开页面显示单位名称"), required=False)
    email = forms.EmailField(
        label=_("电子邮箱"),
        max_length=EMAIL_MAX,
        help_text=_("用于接收审核结果、管理链接和匹配推荐；不公开"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    consent = forms.BooleanField(
        label=_("我同意平台保存以上信息用于审核、匹配和转交对接方；联系方式不公开"),
        error_messages={"required": "请勾选同意后提交。"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_taxonomy_choices()
        self.fields["waste_categories"].choices = waste_choices()
        self.fields["regions_served"].choices = region_choices(blank=None)

    def _no_contacts(self, name: str) -> str:
        value = self.cleaned_data.get(name, "")
        if CONTACT_IN_TEXT.search(value):
            raise forms.ValidationError(
                "公开内容中请勿填写电话、邮箱或微信等联系方式；联系方式请填在下方，由平台转交。"
            )
        return value

    def clean_title(self):
        return self._no_contacts("title")

    def clean_description(self):
        return self._no_contacts("description")

    def clean_waste_categories(self):
        categories = self.clean_categories("waste_categories")
        if not categories:
            raise forms.ValidationError("请至少选择一个废物类别。")
        return categories

    def clean_regions_served(self):
        ids = self.cleaned_data.get("regions_served") or []
        if len(ids) > MAX_REGIONS_SERVED:
            raise forms.ValidationError(f"最多选择 {MAX_REGIONS_SERVED} 个服务地区。")
        lookup = taxonomy_cache.regions()
        return [lookup[pk] for pk in ids if pk in lookup]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == BoardPost.Kind.NEED:
            # A need has no service area or licence; drop what a switched form left behind.
            cleaned["regions_served"] = []
            cleaned["licence_number"] = ""
        return cleaned


class BoardFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("类型"), required=False, choices=[("", _("全部")), *BoardPost.Kind.choices]
    )
    waste = SlugMultipleChoiceField(WasteCategory.objects.all(), label=_("废物类别"))
    region = RegionField(label=_("地区"), required=False)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["region"].error_messages["invalid_choice"] = "没有这个地区：%(value)s"
        self.fields["waste"].widget.attrs["size"] = 6
        self.fields["region"].choices = region_filter_choices()
        self.fields["region"].widget.attrs["size"] = 6


# ---------------------------------------------------------------------------------------------
# Admin


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("内部备注"), max_length=MESSAGE_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("新状态"), choices=InquiryStatus.choices)
    comment = forms.CharField(
        label=_("说明（选填）"),
        required=False,
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, inquiry=None, **kwargs):
        super().__init__(*args, **kwargs)
        if inquiry is not None:
            allowed = set(inquiry.allowed_transitions())
            self.fields["status"].choices = [
                (value, label) for value, label in InquiryStatus.choices if value in allowed
            ]


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审核结果"), choices=[("approve", "通过并发布"), ("reject", "不通过")]
    )
    note = forms.CharField(
        label=_("审核意见（将告知发布者）"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
