"""申报 → 评估 → 认定: a unit's application, its evidence files and the city's evaluation."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.functional import LazyObject

from .assessments import new_token


class PrivateFileStorage(FileSystemStorage):
    def url(self, name):
        raise ValueError("evidence files have no public URL")


class EvidenceStorage(LazyObject):
    """Evidence files live outside MEDIA_ROOT (no public URL); they are streamed only by the
    reviewers' view after a permission check."""

    def _setup(self):
        self._wrapped = PrivateFileStorage(
            location=getattr(settings, "STANDARDS_EVIDENCE_ROOT", settings.DATA_DIR / "evidence")
        )


evidence_storage = EvidenceStorage()


def get_evidence_storage():
    # A callable, so migrations name it instead of freezing one machine's absolute path.
    return evidence_storage


class Application(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", "待评估"
        RETURNED = "returned", "已退回"
        RECOGNISED = "recognised", "已认定"

    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    standard = models.ForeignKey(
        "cases.StandardPage", on_delete=models.PROTECT, related_name="+", verbose_name="标准"
    )
    city = models.ForeignKey(
        "cases.CityPage", on_delete=models.PROTECT, related_name="+", verbose_name="受理城市"
    )
    assessment = models.ForeignKey(
        "standards.SelfAssessment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="自评",
    )
    unit_name = models.CharField("申报单位", max_length=200)
    district = models.CharField("所在区县", max_length=100, blank=True)
    address = models.CharField("地址", max_length=300, blank=True)
    # Contact data: shown to the city's reviewers only, never on a public page or export.
    contact_name = models.CharField("联系人", max_length=100)
    contact_phone = models.CharField("联系电话", max_length=50)
    contact_email = models.EmailField("电子邮箱", blank=True)
    commitment = models.BooleanField("已签署承诺书", default=False)
    status = models.CharField(
        "状态", max_length=12, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    review = models.JSONField("评估打分", default=dict, blank=True)
    review_total = models.DecimalField(
        "评估得分", max_digits=7, decimal_places=1, null=True, blank=True
    )
    review_comment = models.TextField("评估意见", blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "无废细胞申报"
        verbose_name_plural = "无废细胞申报"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["city", "status"])]

    def __str__(self):
        return self.unit_name


class Evidence(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(storage=get_evidence_storage, upload_to="%Y/%m")
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"

    def __str__(self):
        return self.name
