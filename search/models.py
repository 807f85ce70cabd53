"""Storage of the embedded search engine (an inverted index in the project database) and the
queue of index changes waiting for an unavailable search server."""

from django.db import models


class IndexedDocument(models.Model):
    key = models.CharField(max_length=64, unique=True)
    doc_type = models.CharField(max_length=20, db_index=True)
    title = models.CharField(max_length=255)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    keywords = models.TextField(blank=True)
    published = models.DateField(null=True, db_index=True)
    data = models.JSONField(help_text="The whole search document, for rendering results.")
    stamp = models.CharField(max_length=32, help_text="The write that stored this row.")

    class Meta:
        verbose_name = "检索文档"


class EmbeddedIndexState(models.Model):
    """One row: a random token replaced by every write to the embedded index, so each process
    knows when its in-memory snapshot is out of date (ids alone are not enough: SQLite reuses
    them, and a rolled-back write must not look new)."""

    token = models.CharField(max_length=32)


class Posting(models.Model):
    """A term of a document with its field-weighted frequency."""

    document = models.ForeignKey(IndexedDocument, on_delete=models.CASCADE, related_name="postings")
    term = models.CharField(max_length=40)
    weight = models.FloatField()

    class Meta:
        indexes = [models.Index(fields=["term", "document"], name="posting_term_doc")]


class FacetValue(models.Model):
    document = models.ForeignKey(
        IndexedDocument, on_delete=models.CASCADE, related_name="facet_values"
    )
    field = models.CharField(max_length=10)
    value = models.CharField(max_length=100)

    class Meta:
        indexes = [
            models.Index(fields=["field", "value", "document"], name="facet_field_value_doc"),
            models.Index(fields=["document", "field"], name="facet_doc_field"),
        ]


class IndexQueueEntry(models.Model):
    """A page whose change the search server could not take; replayed (from the page's state at
    that time: indexed if public, removed otherwise) when the server answers again."""

    page_id = models.IntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "待同步的检索更新"
