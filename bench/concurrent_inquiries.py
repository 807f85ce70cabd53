"""N inquiries submitted at the same moment against a running site; prints JSON.

    make run   # in another shell (or any server on the same DATA_DIR / DATABASE_URL)
    .venv/bin/python bench/concurrent_inquiries.py --base http://127.0.0.1:8000 --n 50

Each submission is a separate visitor: its own connection from its own loopback address
(127.0.0.10, 127.0.0.11 …, so the per-address rate limit counts each once, as it would count 50
people), its own CSRF cookie, the form fetched first, then all POSTs released together by a barrier.
"accepted" counts the redirects to the thank-you page; "stored" counts the inquiries with this
run's marker in the database the server uses (read through Django with the same environment).
The test suite uses `submit_concurrently` against its own live servers (tests/operations/).
"""

import argparse
import http.client
import json
import re
import secrets
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
GB32100_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
GB32100_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def credit_code(first17: str = "91442000MA4UL8K2X") -> str:
    total = sum(GB32100_CHARSET.index(c) * w for c, w in zip(first17, GB32100_WEIGHTS, strict=True))
    return first17 + GB32100_CHARSET[(31 - total % 31) % 31]


def _source(i: int) -> str:
    return f"127.0.{(10 + i) // 250}.{(10 + i) % 250 + 2}"


def _one(base, path, fields, i, barrier, results, timeout):
    parts = urlsplit(base)
    outcome = {"status": None, "error": None, "seconds": None}
    try:
        conn = http.client.HTTPConnection(
            parts.hostname, parts.port or 80, timeout=timeout, source_address=(_source(i), 0)
        )
        conn.request("GET", path)
        form = conn.getresponse()
        html = form.read().decode("utf-8", "replace")
        cookie = "; ".join(
            value.split(";", 1)[0]
            for name, value in form.getheaders()
            if name.lower() == "set-cookie"
        )
        token = CSRF_INPUT.search(html)
        if form.status != 200 or not token:
            raise RuntimeError(f"form answered {form.status}")
        body = urlencode({**fields, "csrfmiddlewaretoken": token.group(1)}, doseq=True)
        barrier.wait(timeout=timeout)
        started = time.perf_counter()
        conn.request(
            "POST",
            path,
            body=body,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
        )
        answer = conn.getresponse()
        answer.read()
        outcome["seconds"] = time.perf_counter() - started
        outcome["status"] = answer.status
        outcome["location"] = answer.getheader("Location", "")
        conn.close()
    except Exception as error:  # counted, not raised: the point is to count failures
        outcome["error"] = f"{type(error).__name__}: {error}"
        try:
            barrier.abort()
        except threading.BrokenBarrierError:
            pass
    results[i] = outcome


def submit_concurrently(base: str, path: str, fields: dict, n: int = 50, timeout: float = 60):
    """POST `fields` to `path` from n visitors at once; returns the counts (see module doc)."""
    barrier = threading.Barrier(n)
    results: list[dict] = [{} for _ in range(n)]
    threads = [
        threading.Thread(target=_one, args=(base, path, fields, i, barrier, results, timeout))
        for i in range(n)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    accepted = [r for r in results if r.get("status") == 302 and "thanks" in r.get("location", "")]
    statuses: dict[str, int] = {}
    for r in results:
        key = str(r.get("status") or r.get("error", "").split(":")[0])
        statuses[key] = statuses.get(key, 0) + 1
    seconds = sorted(r["seconds"] for r in results if r.get("seconds") is not None)
    return {
        "sent": n,
        "accepted": len(accepted),
        "errors": n - len(accepted),
        "statuses": statuses,
        "first_errors": [r["error"] for r in results if r.get("error")][:3],
        "p50_s": round(seconds[len(seconds) // 2], 3) if seconds else None,
        "max_s": round(seconds[-1], 3) if seconds else None,
    }


def inquiry_fields(marker: str, region_pk: int, waste_pk: int) -> dict:
    return {
        "organisation": "并发测试单位（示例）",
        "organisation_type": "enterprise",
        "credit_code": credit_code(),
        "contact_name": "测试",
        "phone": "13900000000",
        "email": "",
        "region": str(region_pk),
        "waste_categories": [str(waste_pk)],
        "purpose": "disposal",
        "message": f"并发提交测试 {marker}：希望了解贵市的处置经验与合作机会，谢谢。",
        "consent": "on",
        "website": "",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--n", type=int, default=50)
    args = parser.parse_args()

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wfc_platform.settings.dev")
    import django

    django.setup()
    from cases.models import CasePage, Region, WasteCategory
    from matchmaking.models import Inquiry

    target = CasePage.objects.live().public().first()
    marker = secrets.token_hex(6)
    fields = inquiry_fields(
        marker,
        Region.objects.get(code="442000").pk,
        WasteCategory.objects.get(slug="hw17").pk,
    )
    report = submit_concurrently(args.base, f"/matchmaking/inquiry/{target.pk}/", fields, args.n)
    report["stored"] = Inquiry.objects.filter(message__contains=marker).count()
    report["base"] = args.base
    print(json.dumps(report, ensure_ascii=False))
    return 0 if report["accepted"] == report["stored"] == args.n else 1


if __name__ == "__main__":
    sys.exit(main())
