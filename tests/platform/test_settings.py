"""platform/ (imported as wfc_platform): the folder does not shadow the standard library's
`platform`, the environment inventory matches .env.example, production needs a secret key."""

import os
import subprocess
import sys
from pathlib import Path

from wfc_platform.settings import env

REPO = Path(__file__).resolve().parents[2]


def run_python(code: str, **env_changes) -> subprocess.CompletedProcess:
    """Run `code` with the project's interpreter from the repository root (so `platform/` is
    on sys.path, as for manage.py), with `env_changes` applied (None unsets a variable)."""
    environ = dict(os.environ)
    for name, value in env_changes.items():
        if value is None:
            environ.pop(name, None)
        else:
            environ[name] = value
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_stdlib_platform_is_not_shadowed():
    result = run_python(
        "import platform; print(platform.python_version()); print(platform.__file__)"
    )
    assert result.returncode == 0, result.stderr
    version, path = result.stdout.split()
    assert version == ".".join(map(str, sys.version_info[:3]))
    assert not Path(path).resolve().is_relative_to(REPO / "platform")


def test_settings_package_imports_from_the_repo_root():
    result = run_python(
        "import platform, wfc_platform.settings.base as base; "
        "print(platform.python_version()); print(base.ROOT_URLCONF)",
        DJANGO_SETTINGS_MODULE=None,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[1] == "wfc_platform.urls"


def _env_example_names() -> list[str]:
    names = []
    for line in (REPO / ".env.example").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            names.append(line.split("=", 1)[0].strip())
    return names


def test_env_example_lists_exactly_the_declared_variables():
    names = _env_example_names()
    assert len(names) == len(set(names)), "a variable is listed twice"
    assert set(names) == set(env.VARIABLES)


def test_env_example_defaults_match_the_declared_defaults():
    example = dict(
        line.split("=", 1)
        for line in (REPO / ".env.example").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    )
    declared = {name: v.default or "" for name, v in env.VARIABLES.items()}
    assert example == declared


def test_settings_read_the_environment_only_through_env():
    settings_dir = REPO / "platform" / "settings"
    offenders = [
        path.name
        for path in settings_dir.glob("*.py")
        if path.name != "env.py" and "os.environ" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_production_refuses_to_start_without_a_secret_key():
    for secret in (None, ""):
        result = run_python(
            "import django; django.setup()",
            DJANGO_SECRET_KEY=secret,
            DJANGO_SETTINGS_MODULE="wfc_platform.settings.production",
        )
        assert result.returncode != 0
        assert "ImproperlyConfigured" in result.stderr
        assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_starts_with_a_secret_key():
    result = run_python(
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DEBUG, settings.SESSION_COOKIE_SECURE)",
        DJANGO_SECRET_KEY="x" * 50,
        DJANGO_SETTINGS_MODULE="wfc_platform.settings.production",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True"]


def test_test_settings_are_in_use():
    from django.conf import settings

    assert settings.SECRET_KEY == "test-only-not-secret"
    assert settings.DEBUG is False
