"""Version stamps for caches that must follow shared state: the per-process caches (taxonomy
lookups, the search vocabulary, the segmenter's dictionary, the navigation) and the shared page
cache (pagecache/).

A stamp is a random token kept in Django's default cache, so every process (web workers, the
import command, the task worker) sees the same one whatever the cache backend. Any process that
changes what a cache was built from bumps it. Signals alone never reach other processes.

Two modes:
* relaxed (the default): a process re-reads the token at most once per CHECK_SECONDS, so other
  processes rebuild within about a second. For lookups where a second of lag is harmless.
* exact: the token is read on every `current()`, so the first read after a bump returns sees
  the new token in every process. For what visitors see (cached pages and fragments).
"""

import functools
import threading
import time
import uuid

from django.core.cache import cache
from django.db import connection, transaction

CHECK_SECONDS = 1.0


class Stamp:
    def __init__(self, name: str, *, exact: bool = False):
        self.key = f"wfc:stamp:{name}"
        self.exact = exact
        self._token: str | None = None
        self._checked = 0.0
        self._local = 0  # bumps since the last write, inside one transaction (see bump)
        self._lock = threading.Lock()

    def current(self) -> str:
        """The shared token: read from the cache every time (exact) or at most once per
        CHECK_SECONDS (relaxed); with this process's unwritten bumps counted in."""
        if self.exact:
            token = self._read() or self._token or "unavailable"
            self._token = token
        else:
            now = time.monotonic()
            with self._lock:
                if self._token is None or now - self._checked >= CHECK_SECONDS:
                    self._token = self._read() or self._token or "unavailable"
                    self._checked = now
                token = self._token
        return f"{token}+{self._local}" if self._local else token

    def _read(self) -> str | None:
        try:
            token = cache.get(self.key)
            if token is None:
                cache.add(self.key, uuid.uuid4().hex, timeout=None)
                token = cache.get(self.key)
            return token
        except Exception:  # noqa: BLE001 - a cache outage must not break the site
            # Keep the token we had; this process's caches stay as they are until it answers.
            return None

    def _write(self) -> None:
        try:
            if connection.in_atomic_block:
                # In a savepoint: a write that fails (the database cache's table does not exist
                # yet while migrations create pages) must not abort the caller's transaction,
                # which PostgreSQL would refuse to go on with.
                with transaction.atomic():
                    cache.set(self.key, uuid.uuid4().hex, timeout=None)
            else:
                cache.set(self.key, uuid.uuid4().hex, timeout=None)
            self._local = 0  # the new shared token covers them
        except Exception:  # noqa: BLE001
            pass

    def bump(self, **_signal_kwargs) -> None:
        """Invalidate every process's caches built under this stamp. Written now (so this
        process, even inside a transaction, rebuilds at once) and again after the commit (so a
        process that rebuilt from the not-yet-committed state in between rebuilds again).
        A transaction registers its after-commit write once, however often it bumps: an
        import saves thousands of objects, and one commit-time write per save cost more than the
        import. Likewise the immediate write: once per transaction. A later bump in it only
        counts in this process (other processes already know, and learn again at the commit),
        which is what this process needs to see it at once. Accepts signal arguments, so it
        can be connected to a signal directly."""
        with self._lock:
            self._token = None
            if connection.in_atomic_block and self._written_on_commit():
                self._local += 1
                return
        self._write()
        if connection.in_atomic_block:
            transaction.on_commit(self._write)

    def _written_on_commit(self) -> bool:
        # Django drops the callbacks of a rolled-back savepoint from this list, so a bump after
        # a rollback registers its write again.
        return any(entry[1] == self._write for entry in connection.run_on_commit)


def stamped(stamp: Stamp):
    """Memoise a function of no arguments until `stamp` changes (`.cache_clear()` forgets it
    in this process only)."""

    def decorator(function):
        memo: dict = {}
        lock = threading.Lock()

        @functools.wraps(function)
        def wrapper():
            token = stamp.current()
            with lock:
                if memo.get("token") == token:
                    return memo["value"]
            value = function()
            with lock:
                memo.update(token=token, value=value)
            return value

        wrapper.cache_clear = memo.clear
        return wrapper

    return decorator


# Taxonomy terms, synonym groups, the search lexicon and tags: what query understanding reads.
taxonomy = Stamp("taxonomy")
# Everything an anonymous visitor can see (pages, listings, search and API answers, the
# navigation, indicator pages): bumped by pagecache/signals.py and after every search-index
# write (search/indexing.py). Exact, so the request after a publish returns is fresh everywhere.
content = Stamp("public-content", exact=True)
