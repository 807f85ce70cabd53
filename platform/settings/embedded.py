"""The embedded default that `make run` serves with gunicorn: one machine, SQLite, the embedded
search engine, no proxy in front. DEBUG is off (a small office runs this for real); the secret key
is generated once and kept in DATA_DIR unless DJANGO_SECRET_KEY is set; static files come from
WhiteNoise (collected by `make run`) and uploaded media from Django itself, since nothing else is
in front to serve them (production serves media from nginx instead)."""

import os
import secrets

from .base import *  # noqa: F401,F403
from .base import DATA_DIR, SECRET_KEY


def _kept_secret_key() -> str:
    path = DATA_DIR / "secret_key.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: the first process to start writes it; every other worker reads the same key.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = SECRET_KEY or _kept_secret_key()
SERVE_MEDIA = True
