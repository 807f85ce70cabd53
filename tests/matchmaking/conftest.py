"""Fixtures of the matchmaking tests; helpers and test data live in mm_helpers.py.

pytest runs with --import-mode=importlib, which does not put test folders on sys.path; this
folder is added so the test modules can `from mm_helpers import …` (a name no other folder uses).
"""

import sys
from pathlib import Path

import pytest
from wagtail.models import Site

from cases.models import CityPage
from matchmaking.models import MatchmakingSettings

if str(Path(__file__).parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture
def mm_settings(db):
    """The platform inbox configured in the Wagtail site setting."""
    site = Site.objects.get(is_default_site=True)
    config = MatchmakingSettings.for_site(site)
    config.inbox_email = "inbox@platform.test"
    config.moderation_email = "moderation@platform.test"
    config.save()
    return config


@pytest.fixture
def shaoxing(db) -> CityPage:
    return CityPage.objects.get(slug="shaoxing")


@pytest.fixture
def shenzhen(db) -> CityPage:
    return CityPage.objects.get(slug="shenzhen")
