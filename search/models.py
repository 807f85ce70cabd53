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


class PostingBlock(models.Model):
    """The postings of one term in the documents of one write: their ids and field-weighted
    frequencies packed as arrays (array("I") and array("f"), machine byte order). One row per
    term per write instead of one per term per document (a 100,000-document rebuild writes ~20×
    fewer rows). A posting counts only while its document still carries the same write stamp:
    a deleted or replaced document's postings are dead and dropped by the next rebuild."""

    term = models.CharField(max_length=40)
    stamp = models.CharField(max_length=32)
    document_ids = models.BinaryField()
    weights = models.BinaryField()

    class Meta:
        indexes = [models.Index(fields=["term"], name="posting_block_term")]


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
    """An object (of a document source: a page, a cell …) whose change the search server could
    not take; replayed (from the object's state at that time: indexed if public, removed
    otherwise) when the server answers again."""

    source = models.CharField(max_length=20, default="page")
    object_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "待同步的检索更新"


class LexiconGroup(models.Model):
    """Everyday names of one waste category, as residents and enterprises say them (旧衣服,
    剩饭剩菜, 旧电瓶 …). Search reads each word as the category it names; editors keep the groups
    in the admin (检索 › 日常用语). Seeded from fixtures/lexicon/, which names each list's source."""

    name = models.CharField("分组名称", max_length=100, unique=True)
    category = models.ForeignKey(
        "cases.WasteCategory",
        verbose_name="对应废物类别",
        on_delete=models.CASCADE,
        related_name="lexicon_groups",
    )
    terms = models.TextField("日常用语", help_text="用逗号或顿号分隔，例如：旧衣服、旧鞋子、旧床单")
    source = models.CharField("来源", max_length=300, blank=True)

    class Meta:
        verbose_name = "检索日常用语"
        verbose_name_plural = "检索日常用语"
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def term_list(self) -> list[str]:
        from cases.models.taxonomy import ALIAS_SEPARATORS

        return list(
            dict.fromkeys(t.strip() for t in ALIAS_SEPARATORS.split(self.terms) if t.strip())
        )
