"""A background import (publishing.jobs): the uploaded file, its progress and its report."""

from django.conf import settings
from django.db import models


class ImportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "导入中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"
        # Not stored: a running job whose worker stopped sending heartbeats (jobs.status_of).
        INTERRUPTED = "interrupted", "已中断"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    file_name = models.CharField(max_length=255)
    data = models.BinaryField()
    options = models.JSONField(default=dict)  # publish, atomic
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    rows_written = models.PositiveIntegerField(default=0)  # created or updated
    rows_failed = models.PositiveIntegerField(default=0)  # rows with an error
    worker = models.CharField(max_length=255, blank=True)  # host:pid of the running worker
    message = models.TextField(blank=True)  # why a job failed
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "导入任务"
        verbose_name_plural = "导入任务"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"


class ImportJobRow(models.Model):
    """One finished row of a job: what the report lists (the row number, its outcome, the
    field and reason of an error, the guesses made)."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rows")
    row = models.PositiveIntegerField()
    status = models.CharField(max_length=20)  # created | updated | unchanged | error
    type = models.CharField(max_length=20, blank=True)
    external_id = models.CharField(max_length=100, blank=True)
    title = models.CharField(max_length=255, blank=True)
    action = models.CharField(max_length=20, blank=True)
    page_id = models.IntegerField(null=True, blank=True)
    city = models.CharField(max_length=255, blank=True)
    notes = models.JSONField(default=list)
    field = models.CharField(max_length=100, blank=True)
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["row"]
        constraints = [
            models.UniqueConstraint(fields=["job", "row"], name="publishing_importjobrow_once")
        ]
