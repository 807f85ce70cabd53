"""One Stamp class, two modes: relaxed (re-read at most once a second) and exact (every read)."""

import pytest

from cases.stamps import Stamp

pytestmark = pytest.mark.django_db


def test_an_exact_stamp_sees_another_processs_bump_at_once():
    here, there = Stamp("test-exact", exact=True), Stamp("test-exact", exact=True)
    before = here.current()
    assert there.current() == before
    there.bump()
    assert here.current() != before


def test_a_relaxed_stamp_rereads_at_most_once_a_second(monkeypatch):
    here, there = Stamp("test-relaxed"), Stamp("test-relaxed")
    before = here.current()
    there.bump()
    assert here.current() == before  # within the second: the token it had
    monkeypatch.setattr("cases.stamps.CHECK_SECONDS", 0.0)
    assert here.current() != before


def test_the_indicator_cache_uses_the_public_content_stamp():
    from cases.stamps import content
    from indicators import cache

    before = cache.version()
    assert before == content.current()
    content.bump()
    assert cache.version() != before
