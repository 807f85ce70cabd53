"""Recognised cells in the exchange search: a document source (`cell-<id>`, type `cell`) that
this app registers with search (search.sources) in StandardsConfig.ready(), so search never
imports standards.

What is indexed is what the public register shows (name, type, city/district, standard and
version, score, dates, certificate number), never anything of the application (contacts,
address, evidence). Revoked cells are withdrawn, so they leave the search; expired cells stay,
flagged 已过期 as in the register: the recognition really happened and awaits re-review, and a
peer looking for examples still learns from it.

Changes reach the index through `cells_changed` (a save or delete of one cell by signal; bulk
imports and the expiry command call it with their ids).
"""

from urllib.parse import urlencode

from django.db.models.signals import post_delete, post_save
from django.urls import reverse

from cases.languages import in_default_language
from cases.models import StandardPage
from search import indexing, sources
from search.documents import city_fields
from standards.models import Cell

BATCH = 2000


def _summary(cell: Cell, type_label: str, city: str) -> str:
    parts = [type_label, f"{city}{cell.district}"]
    if cell.standard_title:
        parts.append(f"依据《{cell.standard_title}》{cell.standard_version}".strip())
    if cell.score is not None:
        parts.append(f"得分 {cell.score}")
    dates = f"{cell.recognised_on:%Y-%m-%d} 认定"
    if cell.expires_on:
        dates += f"，有效期至 {cell.expires_on:%Y-%m-%d}"
    parts.append(dates)
    if cell.status == Cell.Status.EXPIRED:
        parts.append("已过期")
    return " · ".join(parts)


def document(cell: Cell) -> dict:
    type_label = in_default_language(StandardPage.CellType(cell.cell_type).label)
    fields = city_fields(cell.city)
    published = cell.recognised_on.isoformat()
    return {
        "key": CELLS.key(cell.pk),
        "type": "cell",
        "title": cell.name,
        "url": f"{reverse('standards:register')}?{urlencode({'q': cell.certificate_number})}",
        "summary": _summary(cell, type_label, fields["city"]),
        "body": "",
        "keywords": " ".join(
            filter(
                None,
                [type_label, "无废细胞", fields["city"], cell.district, cell.standard_title],
            )
        ),
        **fields,
        "waste": [],
        "waste_categories": [],
        "model": [],
        "tag": [],
        "published": published,
        "year": [published[:4]],
        "cell_type": [cell.cell_type],
        "cell": {
            "certificate_number": cell.certificate_number,
            "status": cell.status,
            "status_label": Cell.Status(cell.status).label,
            "expires_on": cell.expires_on.isoformat() if cell.expires_on else None,
            "score": str(cell.score) if cell.score is not None else None,
            "standard": cell.standard_title,
        },
    }


def _searchable():
    return (
        Cell.objects.exclude(status=Cell.Status.REVOKED)
        .select_related("city__region", "city__batch")
        .order_by("pk")
    )


def cell_documents(cell_ids: list[int]) -> dict[int, dict]:
    found = {}
    for start in range(0, len(cell_ids), BATCH):
        for cell in _searchable().filter(pk__in=cell_ids[start : start + BATCH]):
            found[cell.pk] = document(cell)
    return found


def all_cell_documents():
    last = 0
    while True:
        batch = list(_searchable().filter(pk__gt=last)[:BATCH])
        if not batch:
            return
        yield from (document(cell) for cell in batch)
        last = batch[-1].pk


CELLS = sources.DocumentSource(
    name="cell", documents=cell_documents, all_documents=all_cell_documents
)


def cells_changed(cell_ids) -> None:
    """Re-index these cells once the surrounding transaction commits (revoked or deleted ones
    are removed)."""
    indexing.sync_on_commit(CELLS.name, list(cell_ids))


def _cell_saved(sender, instance, **kwargs):
    cells_changed([instance.pk])


def connect() -> None:
    sources.register(CELLS)
    post_save.connect(_cell_saved, sender=Cell, dispatch_uid="standards-cell-search-saved")
    post_delete.connect(_cell_saved, sender=Cell, dispatch_uid="standards-cell-search-deleted")
