"""Under the production settings a 500 reaches the log (stderr, gunicorn's log) with its
traceback, as one JSON object a line carrying the request id; the response returns that id."""

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

RAISE_ONCE = """
import django
django.setup()
from django.test import Client
from django.urls import clear_url_caches, path
import wfc_platform.urls as urls

def broken(request):
    raise ZeroDivisionError("boom-marker")

urls.urlpatterns.insert(0, path("broken/", broken))
clear_url_caches()
response = Client(raise_request_exception=False).get(
    "/broken/", HTTP_HOST="localhost", HTTP_X_REQUEST_ID="req-abc-123", secure=True
)
print(response.status_code, response["X-Request-ID"])
"""


def _run(tmp_path, **extra):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "wfc_platform.settings.production",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        **extra,
    }
    return subprocess.run(
        [sys.executable, "-c", RAISE_ONCE],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_500_is_logged_as_json_with_traceback_and_request_id(tmp_path):
    result = _run(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["500", "req-abc-123"]
    records = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    errors = [r for r in records if r.get("logger") == "django.request"]
    assert errors, result.stderr
    error = errors[-1]
    assert error["level"] == "ERROR"
    assert error["request_id"] == "req-abc-123"
    assert "Internal Server Error: /broken/" in error["message"]
    assert (
        "Traceback" in error["exc_info"] and "ZeroDivisionError: boom-marker" in error["exc_info"]
    )


def test_text_logs_when_asked(tmp_path):
    result = _run(tmp_path, LOG_FORMAT="text")
    assert result.returncode == 0, result.stderr
    assert "ERROR django.request [req-abc-123] Internal Server Error: /broken/" in result.stderr
    assert "ZeroDivisionError: boom-marker" in result.stderr
