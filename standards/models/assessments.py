import secrets

from django.db import models


def new_token() -> str:
    # 128 bits: the link is the only key to a saved result, so it must not be guessable.
    return secrets.token_urlsafe(16)


class SelfAssessment(models.Model):
    """A saved self-assessment result, readable only through its private link. Nothing personal
    is stored: the answers and the computed result."""

    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    standard = models.ForeignKey(
        "cases.StandardPage", on_delete=models.CASCADE, related_name="+", verbose_name="标准"
    )
    answers = models.JSONField("答案", default=dict)
    result = models.JSONField("结果", default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "自评结果"
        verbose_name_plural = "自评结果"

    def __str__(self):
        return f"自评 {self.created_at:%Y-%m-%d}"
