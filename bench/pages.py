"""Pages benchmark: req/s and p50/p99 latency of home, a case page, the case listing, search and
a static file, served by gunicorn with the embedded settings (SQLite, DEBUG off, WhiteNoise),
cached and uncached, at 16 and 64 connections, measured with wrk. Prints JSON.

"Uncached" requests carry a session cookie, which the page cache never answers (a visitor with a
session may see a page of their own), so both columns come from the same server and run.

    python bench/pages.py [--workers 2] [--duration 8] [--root OTHER_CHECKOUT]

`--root` serves another checkout of the project (e.g. a `git worktree add /tmp/base 8fa8ad0`)
with this checkout's virtualenv, for a before/after comparison on the same machine.
"""

import argparse
import contextlib
import json
import os
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from served import HERE, served_site  # noqa: E402

UNCACHED = "sessionid=bench-uncached"
CONNECTIONS = (16, 64)


def _urls(base: str) -> dict[str, str]:
    home = urllib.request.urlopen(base + "/", timeout=120).read().decode()
    static = re.search(r'href="(/static/css/[^"]+\.css)"', home).group(1)
    listing = urllib.request.urlopen(base + "/cases/", timeout=120).read().decode()
    case = re.search(r'<h[23] class="card-title"><a href="([^"]+)"', listing).group(1)
    return {
        "home": "/",
        "case": case,
        "listing": "/cases/",
        "search": "/search/?q=%E5%8D%B1%E5%BA%9F",  # 危废
        "static": static,
    }


def _wrk(url: str, connections: int, duration: int, cookie: str | None) -> dict:
    command = ["wrk", f"-t{min(connections, 4)}", f"-c{connections}", f"-d{duration}s"]
    command += ["--latency", "--timeout", "10s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run([*command, url], check=True, capture_output=True, text=True).stdout

    def latency(label):
        value = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        number, unit = float(value.group(1)), value.group(2)
        return round(number * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit], 2)

    errors = 0
    socket_errors = re.search(r"Socket errors: (.*)", out)
    if socket_errors:
        errors += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1)))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non_2xx:
        errors += int(non_2xx.group(1))
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "errors": errors,
    }


def _x_cache(base: str, path: str, cookie: str | None) -> str | None:
    request = urllib.request.Request(base + path, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=120) as response:
        return response.headers.get("X-Cache")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--duration", type=int, default=8, help="seconds per measurement")
    parser.add_argument("--root", type=Path, default=HERE, help="checkout to serve")
    parser.add_argument("--page-cache", choices=["database", "file"], default="database")
    parser.add_argument("--base", help="measure a site already served here instead")
    parser.add_argument(
        "--uncached-only", action="store_true", help="e.g. for a checkout without a page cache"
    )
    args = parser.parse_args()
    os.environ["PAGE_CACHE"] = args.page_cache
    served = contextlib.nullcontext(args.base) if args.base else None
    with served or served_site(workers=args.workers, root=args.root) as base:
        urls = _urls(base)
        results: dict = {"root": str(args.root), "workers": args.workers, "urls": urls}
        results["page_cache"] = args.page_cache
        results["pages"] = pages = {}
        for name, path in urls.items():
            modes = {"": None} if name == "static" else {"_cached": None, "_uncached": UNCACHED}
            if args.uncached_only and name != "static":
                modes = {"_uncached": UNCACHED}
            for suffix, cookie in modes.items():
                for _ in range(3):  # warm each worker (and, cached, fill the entry)
                    _x_cache(base, path, cookie)
                row = {"x_cache": _x_cache(base, path, cookie)}
                for connections in CONNECTIONS:
                    row[f"c{connections}"] = _wrk(base + path, connections, args.duration, cookie)
                pages[name + suffix] = row
        if "case_cached" in pages:
            results["ratios"] = {
                f"case_cached_vs_static_c{c}": round(
                    pages["case_cached"][f"c{c}"]["rps"] / pages["static"][f"c{c}"]["rps"], 3
                )
                for c in CONNECTIONS
            }
        results["errors"] = sum(
            row[f"c{c}"]["errors"] for row in pages.values() for c in CONNECTIONS
        )
        results["loadavg"] = os.getloadavg()
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
