"""Lighthouse (mobile preset, Debian Chromium) on home, a case page and search, against a served
site (bench/served.py: gunicorn, embedded settings). Reports go to test-artifacts/lighthouse/
(HTML and JSON per page) with a summary.json.

Accessibility, best practices and SEO must be 100 on every page, or this exits 1. Performance is
reported, not enforced: on a shared, loaded CI machine it measures the machine as much as the site.

    .venv/bin/python .ci/lighthouse.py [--base http://127.0.0.1:8000]
"""

import argparse
import json
import os
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from served import served_site  # noqa: E402

OUT = ROOT / "test-artifacts" / "lighthouse"
ENFORCED = ("accessibility", "best-practices", "seo")
CATEGORIES = ("performance", *ENFORCED)


def _pages(base: str) -> dict[str, str]:
    listing = urllib.request.urlopen(base + "/cases/", timeout=30).read().decode()
    case = re.search(r'<h[23] class="card-title"><a href="([^"]+)"', listing).group(1)
    return {"home": "/", "case": case, "search": "/search/?q=%E5%8D%B1%E5%BA%9F"}


def _lighthouse(url: str, name: str) -> dict:
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    for _attempt in range(3):  # a loaded machine sometimes loses the trace (NO_NAVSTART)
        done = subprocess.run(
            [
                str(ROOT / "node_modules" / ".bin" / "lighthouse"),
                url,
                "--quiet",
                "--output=json",
                "--output=html",
                f"--output-path={OUT / name}",
                "--chrome-flags=--headless=new --no-sandbox",
                f"--only-categories={','.join(CATEGORIES)}",
            ],
            env=env,
        )
        if done.returncode == 0:
            break
    else:
        raise RuntimeError(f"Lighthouse failed three times on {url}")
    report = json.loads((OUT / f"{name}.report.json").read_text())
    scores = {key: round(report["categories"][key]["score"] * 100) for key in CATEGORIES}
    failing = [
        audit["id"]
        for audit in report["audits"].values()
        if audit.get("score") is not None
        and audit["score"] < 1
        and audit.get("scoreDisplayMode") == "binary"
    ]
    return {"url": url, "scores": scores, "failing_binary_audits": failing}


def run(base: str) -> dict:
    OUT.mkdir(parents=True, exist_ok=True)
    summary = {name: _lighthouse(base + path, name) for name, path in _pages(base).items()}
    summary["loadavg"] = os.getloadavg()
    (OUT / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    return summary


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", help="a site already served; default: serve one here")
    args = parser.parse_args()
    if args.base:
        summary = run(args.base.rstrip("/"))
    else:
        with served_site(workers=2) as base:
            summary = run(base)
    print(json.dumps(summary, indent=2, ensure_ascii=False))
    below = [
        f"{name}: {key} {page['scores'][key]}"
        for name, page in summary.items()
        if name != "loadavg"
        for key in ENFORCED
        if page["scores"][key] < 100
    ]
    if below:
        print("Lighthouse below 100:", "; ".join(below), file=sys.stderr)
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
