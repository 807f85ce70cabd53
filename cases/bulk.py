"""Deferred index work for bulk writes (an import of thousands of pages).

Saving a page updates Wagtail's admin search index (modelsearch: on every save, three times
for a page created and published) and its reference index (what the page uses). Inside
`deferred()` those updates are only recorded; `flush()` does each page once, in bulk, at the
end of a batch (in its transaction, so a rolled-back batch leaves nothing behind). Outside the
block — and in other threads — saves index as usual.
"""

import contextlib
import contextvars

from django.db.models.signals import post_save
from modelsearch import index as search_index
from modelsearch import signal_handlers
from modelsearch.backends import get_search_backends
from wagtail.models import ReferenceIndex

_pending: contextvars.ContextVar[dict | None] = contextvars.ContextVar("bulk_pending", default=None)
_installed = False


def _deferrable_post_save(sender, instance, **kwargs):
    pending = _pending.get()
    if pending is None or kwargs.get("raw", False):
        signal_handlers.post_save_signal_handler(instance, **kwargs)
        return
    pending["search"].setdefault(type(instance), set()).add(instance.pk)


def _install() -> None:
    """Route modelsearch's save handler through `_deferrable_post_save` (once per process)."""
    global _installed
    if _installed:
        return
    for model in search_index.get_indexed_models():
        if post_save.disconnect(signal_handlers.post_save_signal_handler, sender=model):
            post_save.connect(
                _deferrable_post_save, sender=model, dispatch_uid=f"bulk-search-{model._meta}"
            )
    _installed = True


def active() -> bool:
    return _pending.get() is not None


def defer_references(page) -> bool:
    """Record the page for a reference-index update at flush(); False outside `deferred()`."""
    pending = _pending.get()
    if pending is None:
        return False
    pending["references"].setdefault(type(page), set()).add(page.pk)
    return True


def flush() -> dict[str, int]:
    """Index the recorded pages now (each once); returns how many."""
    pending = _pending.get()
    if pending is None:
        return {"search": 0, "references": 0}
    counts = {"search": 0, "references": 0}
    for model, pks in pending["search"].items():
        objects = list(model.get_indexed_objects().filter(pk__in=pks))
        for backend in get_search_backends(with_auto_update=True):
            backend.add_bulk(model, objects)
        counts["search"] += len(objects)
    for model, pks in pending["references"].items():
        for page in model.objects.filter(pk__in=pks):
            ReferenceIndex.create_or_update_for_object(page)
            counts["references"] += 1
    pending["search"].clear()
    pending["references"].clear()
    return counts


@contextlib.contextmanager
def deferred():
    """Record index updates in the block (nested blocks share one record); the caller flushes."""
    if _pending.get() is not None:
        yield
        return
    _install()
    token = _pending.set({"search": {}, "references": {}})
    try:
        yield
    finally:
        _pending.reset(token)
