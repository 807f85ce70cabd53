"""Shared test setup: the seed fixtures are loaded once per test session.

* ``django_db_setup`` (session scope) extends pytest-django's fixture of the same name: after the
  test database is created and migrated, ``cases.seeding.load_all()`` loads fixtures/ into it
  once. Tests then use the ordinary ``db`` fixture (or ``client``/``django_db`` marks): each test
  runs in a transaction that is rolled back, so it sees the seed data and leaves it untouched.
  Avoid ``transactional_db``: it flushes the tables and would wipe the seed data for the tests
  that follow.
* ``_clear_taxonomy_cache`` (autouse) empties the process-wide taxonomy lookups
  (``cases.taxonomy_cache``) around every test, so terms a test creates — and rolls back — never
  leak into the next test.

App-specific fixtures live next to their tests (``tests/<app>/conftest.py``).

The test settings point STATIC_ROOT at data/static, which need not exist (nothing is collected
for tests); WhiteNoise's warning about it is silenced here.
"""

import pytest

from cases import taxonomy_cache


def pytest_configure(config):
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The migrated test database with the seed fixtures loaded (once per session)."""
    from cases import seeding

    with django_db_blocker.unblock():
        seeding.load_all()
    taxonomy_cache.clear()


@pytest.fixture(autouse=True)
def _clear_taxonomy_cache():
    taxonomy_cache.clear()
    yield
    taxonomy_cache.clear()
