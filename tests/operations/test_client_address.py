"""The visitor's address is taken from the trusted proxy hop (TRUSTED_PROXY_DEPTH), so rate
limits and the login lockout count real visitors behind nginx — and a visitor who writes
X-Forwarded-For himself changes nothing."""

import sys
from pathlib import Path

import pytest
from django.urls import reverse

from cases.models import CasePage

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "matchmaking"))
from mm_helpers import inquiry_data  # noqa: E402

NGINX = "127.0.0.1"


@pytest.fixture
def inquiry_url(db):
    return reverse("matchmaking:inquiry", args=[CasePage.objects.live().first().pk])


def _post(client, url, forwarded):
    return client.post(url, inquiry_data(), REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=forwarded)


def test_behind_one_proxy_the_rightmost_hop_is_the_visitor(client, settings, inquiry_url):
    settings.XFF_TRUSTED_PROXY_DEPTH = 1
    # nginx appends the address it saw; what the visitor wrote in front is ignored, so
    # rotating a forged leftmost entry does not open a new bucket.
    for n in range(5):
        assert _post(client, inquiry_url, f"10.9.9.{n}, 203.0.113.7").status_code == 302
    assert _post(client, inquiry_url, "10.9.9.99, 203.0.113.7").status_code == 429
    # Another real visitor behind the same proxy has a bucket of their own.
    assert _post(client, inquiry_url, "203.0.113.8").status_code == 302


def test_without_a_declared_proxy_the_header_is_not_read(client, settings, inquiry_url):
    settings.XFF_TRUSTED_PROXY_DEPTH = 0
    for n in range(5):
        assert _post(client, inquiry_url, f"203.0.113.{n}").status_code == 302
    # Every "visitor" was really 127.0.0.1: the sixth is limited whatever the header says.
    assert _post(client, inquiry_url, "203.0.113.200").status_code == 429


def test_the_login_lockout_counts_the_same_address(client, settings, django_user_model):
    from axes.models import AccessAttempt

    settings.XFF_TRUSTED_PROXY_DEPTH = 1
    client.post(
        reverse("wagtailadmin_login"),
        {"username": "someone", "password": "wrong"},
        REMOTE_ADDR=NGINX,
        HTTP_X_FORWARDED_FOR="10.1.1.1, 198.51.100.23",
    )
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["198.51.100.23"]


def test_the_proxy_depth_is_a_declared_setting():
    from wfc_platform.settings import env

    assert env.VARIABLES["TRUSTED_PROXY_DEPTH"].default == "0"
