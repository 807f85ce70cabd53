"""Wagtail's own (admin) search backend, made to find Chinese pages.

The database backends of modelsearch tokenise on spaces, so running Chinese text is one token
and 危险废物 is never found inside it. This backend wraps whichever database backend Django's
database gets and (1) indexes each page's text also as space-separated character bigrams (the
field is added to the indexed page models by `register_segmented_field`), and (2) turns the
query into the same bigrams, all required."""

from functools import lru_cache

from modelsearch.backends.database import SearchBackend as DatabaseSearchBackend
from wagtail.search import index

from search import text

SEGMENTED_FIELD = "segmented_text"


@lru_cache(maxsize=1024)
def segment(value: str) -> str:
    """Text as space-separated bigrams and Latin tokens (what both index and query see).
    Remembered: the admin index reads a page's segmented text once per field it fills."""
    return " ".join(text.terms(value or ""))


def _segmented_text(page) -> str:
    parts = [
        page.title,
        getattr(page, "summary", "") or "",
        getattr(page, "search_description", ""),
    ]
    return segment(" ".join(parts))


def register_segmented_field(models) -> None:
    """Give each page model an indexed `segmented_text` field (called from SearchConfig.ready():
    the content apps stay unaware of search)."""
    for model in models:
        if not any(getattr(f, "field_name", None) == SEGMENTED_FIELD for f in model.search_fields):
            model.search_fields = [*model.search_fields, index.SearchField(SEGMENTED_FIELD)]
        model.segmented_text = property(_segmented_text)


class SegmentingBackend:
    """Delegates to a modelsearch backend, segmenting Chinese query strings first."""

    def __init__(self, inner):
        self._inner = inner

    def __getattr__(self, name):
        return getattr(self._inner, name)

    def add_bulk(self, model, obj_list):
        """modelsearch's bulk add; on PostgreSQL the same rows written faster
        (search.admin_postgres)."""
        index = self._inner.get_index_for_model(model)
        if (
            getattr(index, "write_connection", None)
            and index.write_connection.vendor == "postgresql"
        ):
            from search import admin_postgres

            admin_postgres.add_items(index, model, obj_list)
        else:
            index.add_items(model, obj_list)

    def _query(self, query, operator):
        if isinstance(query, str) and text.CJK_RUN.search(query):
            return segment(query), "and"
        return query, operator

    def search(self, query, model_or_queryset, *args, operator=None, **kwargs):
        query, operator = self._query(query, operator)
        return self._inner.search(query, model_or_queryset, *args, operator=operator, **kwargs)

    def autocomplete(self, query, model_or_queryset, *args, operator=None, **kwargs):
        query, operator = self._query(query, operator)
        return self._inner.autocomplete(
            query, model_or_queryset, *args, operator=operator, **kwargs
        )


def SearchBackend(params):  # noqa: N802 - the name modelsearch looks up in a backend module
    return SegmentingBackend(DatabaseSearchBackend(params))
