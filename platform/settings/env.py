"""The one inventory of environment variables the platform reads.

Every setting that comes from the environment is declared here with its default and meaning;
`.env.example` lists the same names (a test keeps the two in step). Settings modules call
`env.get(NAME)` instead of touching `os.environ` directly.
"""

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Variable:
    name: str
    default: str | None
    help: str


VARIABLES = {
    v.name: v
    for v in [
        Variable("DJANGO_SECRET_KEY", None, "Secret key; required in production."),
        Variable("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost", "Comma-separated host names."),
        Variable("DJANGO_CSRF_TRUSTED_ORIGINS", "", "Comma-separated origins (https://…)."),
        Variable(
            "DATABASE_URL",
            "sqlite:///data/db.sqlite3",
            "Database URL; SQLite is the embedded default, postgres://… in production.",
        ),
        Variable(
            "SEARCH_URL",
            "",
            "Search engine: empty = embedded database engine; opensearch+http://host:9200 or "
            "elasticsearch+https://user:pass@host:9200 for a search server; the nodes of a "
            "cluster comma-separated (opensearch+http://h1:9200,h2:9200,h3:9200).",
        ),
        Variable("SEARCH_INDEX_PREFIX", "wfc", "Prefix of index names and aliases on the engine."),
        Variable(
            "SEARCH_INDEX_REPLICAS",
            "0",
            "Replicas of each shard of the search index (1 on a cluster of 2 or more nodes).",
        ),
        Variable(
            "SEARCH_CJK_ANALYZER",
            "cjk",
            "Chinese analyzer on the engine: cjk (built in), smartcn or ik_max_word (plugins).",
        ),
        Variable("DATA_DIR", "data", "Writable folder for the SQLite file, media and caches."),
        Variable(
            "WAGTAILADMIN_BASE_URL",
            "",
            "Public base URL in emails (https://host); empty: the first DJANGO_ALLOWED_HOSTS "
            "name in production, the default Wagtail Site, http://127.0.0.1:8000 in development.",
        ),
        Variable(
            "SITE_BASE_URL",
            "http://127.0.0.1:8000",
            "Public scheme and host of the site, for the sitemap and absolute links in the API.",
        ),
        Variable(
            "API_RATE_LIMIT",
            "600/m",
            "Public API requests per client address (n/s|m|h|d); empty: no limit.",
        ),
        Variable("DEFAULT_FROM_EMAIL", "无废城市交流平台 <noreply@localhost>", "Sender address."),
        Variable("EMAIL_URL", "console://", "console://, or smtp://user:pass@host:port."),
        Variable(
            "REDIS_URL",
            "",
            "Shared cache (rate limits, version tokens): redis://host:6379/0; empty = the "
            "database cache.",
        ),
        Variable(
            "PAGE_CACHE",
            "database",
            "Where cached pages are kept without REDIS_URL: database (a table of the site's "
            "database) or file (DATA_DIR/pagecache); off = no page cache.",
        ),
        Variable(
            "TASKS_BACKEND",
            "immediate",
            "Background tasks: immediate (run in place) or database (queued for `manage.py "
            "db_worker`).",
        ),
        Variable(
            "TRUSTED_PROXY_DEPTH",
            "0",
            "Reverse proxies in front that append to X-Forwarded-For (nginx: 1); 0 trusts none.",
        ),
        Variable(
            "DJANGO_SECURE_SSL_REDIRECT",
            "true",
            "Production: redirect http to https (false only behind a plain-http test proxy).",
        ),
        Variable(
            "DJANGO_HSTS_SECONDS", "31536000", "Production: Strict-Transport-Security max-age."
        ),
        Variable(
            "LOG_FORMAT",
            "",
            "Log lines on stderr: text or json (one object a line); empty: json under the "
            "production settings, text otherwise.",
        ),
    ]
}


def get(name: str) -> str | None:
    """Return the environment value of a declared variable, or its default."""
    variable = VARIABLES[name]
    return os.environ.get(name, variable.default)


def get_list(name: str) -> list[str]:
    return [item.strip() for item in (get(name) or "").split(",") if item.strip()]
