"""Security headers and login lockout: CSP without unsafe-inline on every public page (and no
inline script or style left in the templates), Permissions-Policy, HSTS and a clean
`check --deploy` under the production settings, django-axes locking out a guesser."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse
from wagtail.models import Page

REPO = Path(__file__).resolve().parents[2]


def _public_urls():
    pages = [p.url for p in Page.objects.live().public().specific() if p.url and p.depth > 1]
    return sorted(set(pages)) + [
        reverse("matchmaking:board"),
        reverse("matchmaking:board-new"),
        "/search/?q=危废",
        reverse("indicators:index"),
        reverse("indicators:compare"),
        reverse("indicators:statistics"),
        reverse("indicators:map"),
        reverse("indicators:dashboard", args=["shaoxing"]),
        reverse("standards:register"),
        reverse("standards:compare") + "?cell_type=school",
        reverse("api-docs"),
    ]


@pytest.mark.django_db
def test_every_public_page_has_a_strict_csp_and_permissions_policy(client):
    urls = _public_urls()
    assert len(urls) > 50
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy, url
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, url
        assert "camera=()" in response["Permissions-Policy"], url


@pytest.mark.django_db
def test_public_pages_carry_no_inline_script_or_style(client):
    inline = re.compile(
        r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)|<style|\son[a-z]+=|\sstyle="
    )
    for url in _public_urls():
        html = client.get(url).content.decode()
        assert not inline.search(html), (url, inline.search(html).group(0))


def test_templates_have_no_inline_handlers_or_styles():
    inline = re.compile(r"<style|\son(?:click|change|submit|load|input)=|\sstyle=")
    offenders = [
        str(path.relative_to(REPO))
        for path in (REPO / "templates").rglob("*.html")
        if inline.search(path.read_text(encoding="utf-8"))
        and "/admin/" not in str(path)  # the admin has no CSP (Wagtail's own inline code)
    ]
    assert offenders == []


def _production(*args, **env_changes):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "wfc_platform.settings.production",
        "DJANGO_SECRET_KEY": "k3Y-" + "9aZ" * 20,
        "DJANGO_ALLOWED_HOSTS": "wfc.example.cn",
        **env_changes,
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    result = _production("check", "--deploy", "--fail-level", "WARNING", DATA_DIR=str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_sends_hsts(tmp_path):
    code = (
        "from django.test import Client; r = Client().get('/healthz', HTTP_HOST='wfc.example.cn', "
        "secure=True); print(r['Strict-Transport-Security'])"
    )
    result = _production("shell", "-c", code, DATA_DIR=str(tmp_path))
    assert "max-age=31536000; includeSubDomains; preload" in result.stdout, result.stderr


@pytest.mark.django_db
def test_login_is_locked_after_five_failures_even_with_the_right_password(
    client, django_user_model
):
    django_user_model.objects.create_superuser("lock-admin", "lock@platform.test", "Right-pw-9!")
    login = reverse("wagtailadmin_login")
    statuses = [
        client.post(login, {"username": "lock-admin", "password": "wrong"}).status_code
        for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]  # the fifth failure locks
    response = client.post(login, {"username": "lock-admin", "password": "Right-pw-9!"})
    assert response.status_code == 429
    body = response.content.decode()
    assert "登录失败次数过多" in body and "15 分钟" in body
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_successful_login_before_the_limit_resets_the_count(client, django_user_model):
    django_user_model.objects.create_superuser("ok-admin", "ok@platform.test", "Right-pw-9!")
    login = reverse("wagtailadmin_login")
    for _ in range(4):
        client.post(login, {"username": "ok-admin", "password": "wrong"})
    response = client.post(login, {"username": "ok-admin", "password": "Right-pw-9!"})
    assert response.status_code == 302
