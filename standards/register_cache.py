"""The register's aggregates (the number of matching cells, the tallies per city and per type,
the span of years) cached in the shared cache under one version stamp (cases/stamps.py).

Any change to the register bumps the stamp: a saved or deleted cell (signals, connected in
StandardsConfig.ready), a bulk import and the expiry run (they write without signals and call
`changed()` themselves). Every process sees the new stamp within CHECK_SECONDS, so a figure
cached under an older one is never served again. Only figures are cached; city titles are
looked up when the page is rendered, so a renamed city shows its new name at once.
"""

import hashlib
import json

from django.core.cache import cache

from cases.stamps import Stamp, content

stamp = Stamp("cell-register")
TIMEOUT = 6 * 3600


def changed(**_signal_kwargs) -> None:
    stamp.bump()
    # Bulk writes (imports, the expiry run) send no signals: the page cache must hear it too.
    content.bump()


def _key(name: str, filters: dict) -> str:
    plain = {k: getattr(v, "pk", v) for k, v in sorted(filters.items()) if v not in (None, "")}
    digest = hashlib.sha1(json.dumps(plain, default=str).encode()).hexdigest()
    return f"cell-register:{stamp.current()}:{name}:{digest}"


def cached(name: str, filters: dict, compute):
    """`compute()` for the register filters `filters`, from the shared cache when the register
    has not changed since it was computed."""
    key = _key(name, filters)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value
