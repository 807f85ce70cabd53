"""Redis as the shared cache (REDIS_URL): four processes count submissions from one address at
the same time and exactly `limit` of them are let through (INCR is atomic across processes).

Needs a real Redis: REDIS_TEST_URL (`bash .ci/redis.sh start` prints one). Without it the
module is skipped, except under CI=true where that fails the run."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_TEST_URL", "")

if not REDIS_URL:
    if os.environ.get("CI") == "true":
        raise RuntimeError("CI=true but REDIS_TEST_URL is not set (bash .ci/redis.sh start)")
    pytest.skip("REDIS_TEST_URL not set (bash .ci/redis.sh start)", allow_module_level=True)

COUNT_SUBMISSIONS = """
import sys, django
django.setup()
from django.conf import settings
from django.core.cache import cache
from django.test import RequestFactory
from matchmaking import ratelimit
# A window far longer than the test, so no window boundary falls inside it.
settings.MATCHMAKING_RATE_LIMITS = {"inquiry": (37, 10**9)}
print(settings.CACHES["default"]["BACKEND"], file=sys.stderr)
request = RequestFactory().post("/", REMOTE_ADDR=sys.argv[1])
allowed = sum(ratelimit.allow(request, "inquiry") for _ in range(50))
print(allowed)
"""


def _workers(address: str, n: int = 4):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "wfc_platform.settings.test",
        "REDIS_URL": REDIS_URL,
    }
    return [
        subprocess.Popen(
            [sys.executable, "-c", COUNT_SUBMISSIONS, address],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(n)
    ]


def test_rate_limit_counts_are_atomic_across_processes():
    address = f"198.51.{secrets.randbelow(250)}.{secrets.randbelow(250)}"
    results = []
    for worker in _workers(address):
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        assert "RedisCache" in err
        results.append(int(out.strip()))
    assert sum(results) == 37, results  # 200 submissions, exactly the limit let through


def test_the_redis_cache_is_configured_by_redis_url():
    code = "import django; django.setup(); from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "wfc_platform.settings.test",
        "REDIS_URL": REDIS_URL,
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert result.stdout.strip() == "django_redis.cache.RedisCache", result.stderr
