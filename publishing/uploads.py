"""Uploaded import files kept on the server between the preview (dry run) and the confirmation,
keyed by an unguessable token and tied to the user who uploaded them. Files older than a day are
removed whenever a new file is stored."""

import json
import re
import secrets
import time
from pathlib import Path

from django.conf import settings

MAX_AGE = 24 * 3600
TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def store_dir() -> Path:
    path = Path(getattr(settings, "PUBLISHING_IMPORT_DIR", None) or settings.DATA_DIR / "imports")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _paths(token: str) -> tuple[Path, Path]:
    base = store_dir()
    return base / f"{token}.upload", base / f"{token}.json"


def save(user, name: str, data: bytes, options: dict) -> str:
    purge()
    token = secrets.token_urlsafe(24)
    content, meta = _paths(token)
    content.write_bytes(data)
    meta.write_text(
        json.dumps(
            {"user": user.pk, "name": name, "options": options, "created": time.time()},
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    return token


def load(user, token: str):
    """(name, data, options) of the user's stored upload, or None."""
    if not TOKEN.match(token or ""):
        return None
    content, meta = _paths(token)
    try:
        info = json.loads(meta.read_text(encoding="utf-8"))
        data = content.read_bytes()
    except (OSError, ValueError):
        return None
    if info.get("user") != user.pk or time.time() - info.get("created", 0) > MAX_AGE:
        return None
    return info["name"], data, info.get("options", {})


def delete(token: str) -> None:
    if TOKEN.match(token or ""):
        for path in _paths(token):
            path.unlink(missing_ok=True)


def purge() -> None:
    cutoff = time.time() - MAX_AGE
    for path in store_dir().glob("*.json"):
        try:
            if path.stat().st_mtime < cutoff:
                delete(path.stem)
        except OSError:
            continue
