"""Choices and fields shared by inquiries and board posts."""

from django.conf import settings
from django.db import models


class OrganisationType(models.TextChoices):
    ENTERPRISE = "enterprise", "企业"
    GOVERNMENT = "government", "政府部门"
    INSTITUTION = "institution", "事业单位"
    RESEARCH = "research", "高校、科研院所"
    ASSOCIATION = "association", "行业协会、社会组织"
    INVESTOR = "investor", "金融、投资机构"
    OTHER = "other", "其他"


# Length limits of every text field, shared by the models (max_length) and the forms.
ORGANISATION_MAX = 200
CONTACT_NAME_MAX = 50
PHONE_MAX = 20
EMAIL_MAX = 254
MESSAGE_MAX = 2000
TITLE_MAX = 120

ANONYMISED = "（已匿名化）"


class ContactFields(models.Model):
    """Who sent something: organisation and personal contact details.

    The personal part (contact_name, phone, email, credit_code) is never rendered on a public
    page, never indexed by the exchange search and never sent to anyone but the staff allowed to
    see the record and, where the sender agreed, the party they asked to be put in touch with.
    """

    organisation = models.CharField("单位名称", max_length=ORGANISATION_MAX)
    organisation_type = models.CharField(
        "单位类型", max_length=20, choices=OrganisationType.choices
    )
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    contact_name = models.CharField("联系人", max_length=CONTACT_NAME_MAX)
    phone = models.CharField("联系电话", max_length=PHONE_MAX, blank=True)
    email = models.EmailField("电子邮箱", max_length=EMAIL_MAX, blank=True)
    anonymised_at = models.DateTimeField("匿名化时间", null=True, blank=True, editable=False)
    anonymised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="匿名化操作人",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None
