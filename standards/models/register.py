"""The register of recognised 无废细胞 (from applications or imported from a city's list)."""

from django.db import models

from cases.models import StandardPage


class Cell(models.Model):
    class Status(models.TextChoices):
        VALID = "valid", "有效"
        EXPIRED = "expired", "已过期"
        REVOKED = "revoked", "已撤销"

    certificate_number = models.CharField("证书编号", max_length=60, unique=True)
    name = models.CharField("名称", max_length=200)
    cell_type = models.CharField(
        "细胞类型", max_length=20, choices=StandardPage.CellType.choices, db_index=True
    )
    city = models.ForeignKey(
        "cases.CityPage", on_delete=models.PROTECT, related_name="+", verbose_name="城市"
    )
    district = models.CharField("区县", max_length=100, blank=True)
    standard = models.ForeignKey(
        "cases.StandardPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="依据标准",
    )
    # The standard's title and version as recognised (imports may name standards the platform
    # does not hold, and a listing of 50,000 rows must not join pages).
    standard_title = models.CharField("依据标准名称", max_length=255, blank=True)
    standard_version = models.CharField("标准版本", max_length=50, blank=True)
    score = models.DecimalField("得分", max_digits=7, decimal_places=1, null=True, blank=True)
    recognised_on = models.DateField("认定日期", db_index=True)
    expires_on = models.DateField("有效期至", null=True, blank=True, db_index=True)
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.VALID, db_index=True
    )
    revoked_reason = models.TextField("撤销原因", blank=True)
    revoked_on = models.DateField("撤销日期", null=True, blank=True)
    reminder_sent_on = models.DateField("到期提醒日期", null=True, blank=True)
    application = models.OneToOneField(
        "standards.Application",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cell",
    )

    class Meta:
        verbose_name = "无废细胞"
        verbose_name_plural = "无废细胞名录"
        ordering = ["-recognised_on", "-id"]
        indexes = [
            models.Index(fields=["city", "cell_type"]),
            models.Index(fields=["-recognised_on", "-id"]),
            models.Index(fields=["standard", "status"]),
        ]

    def __str__(self):
        return f"{self.name}（{self.certificate_number}）"
