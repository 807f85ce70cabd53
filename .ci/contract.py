"""Contract test of the public API: schemathesis, from the OpenAPI description at
/api/v1/openapi.json, against a live gunicorn serving a freshly seeded SQLite database.

Every operation in the description (the /api/v1/ resources and the search endpoints) gets
CONTRACT_EXAMPLES generated requests (default 100, valid and invalid ones); the run fails on any
server error, undocumented status code or content type, or response that does not match its
schema. Prints the counts as JSON. Run from the repository root: `make contract`.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
EXAMPLES = int(os.environ.get("CONTRACT_EXAMPLES", "100"))
SEED = os.environ.get("CONTRACT_SEED", "20261202")
# One worker: with more, schemathesis 4.32 skipped an operation now and then.
WORKERS = os.environ.get("CONTRACT_WORKERS", "1")
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
    ]
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# CONTRACT_PATHS: a regular expression of the paths to run (default: every operation).
PATHS = os.environ.get("CONTRACT_PATHS", "")
# CONTRACT_SUPPRESS_HEALTH_CHECKS: too_slow by default: on a loaded machine hypothesis's data
# generation (not the server) for the register's many-valued filters outruns its health check,
# which would stop an operation after one case. Set it empty to keep every check.
SUPPRESS = os.environ.get("CONTRACT_SUPPRESS_HEALTH_CHECKS", "too_slow")
# How long the server may take to answer its first request (a loaded machine needs minutes).
START_SECONDS = float(os.environ.get("CONTRACT_START_SECONDS", "300"))


def wait_for(url: str, seconds: float = START_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.5)


def summarise(ndjson: Path) -> dict:
    cases, statuses, server_errors = Counter(), Counter(), 0
    for line in ndjson.read_text(encoding="utf-8").splitlines():
        event = json.loads(line)
        finished = event.get("ScenarioFinished")
        if not finished:
            continue
        recorder = finished["recorder"]
        cases[recorder["label"]] += len(recorder.get("cases", {}))
        for interaction in recorder.get("interactions", {}).values():
            status = (interaction.get("response") or {}).get("status_code")
            statuses[str(status)] += 1
            server_errors += bool(status and status >= 500)
    return {
        "cases": dict(sorted(cases.items())),
        "statuses": dict(statuses),
        "server_errors": server_errors,
    }


def main() -> int:
    # In memory where the machine has it: migrating SQLite is mostly waiting for fsync.
    # CONTRACT_WORKDIR reuses the seeded database a failed run left behind.
    shm = Path("/dev/shm")
    reuse = os.environ.get("CONTRACT_WORKDIR")
    work = (
        Path(reuse)
        if reuse
        else Path(tempfile.mkdtemp(prefix="wfc-contract-", dir=shm if shm.is_dir() else None))
    )
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="wfc_platform.settings.test",
        DATA_DIR=str(work),
        DATABASE_URL=f"sqlite:///{work}/contract.sqlite3",
        SEARCH_URL="",
        # The contract run sends thousands of requests from one address: no rate limit.
        API_RATE_LIMIT="",
        PYTHONPATH=str(ROOT),
    )
    manage = [str(BIN / "python"), "manage.py"]
    started = time.monotonic()
    seed = [["migrate", "--noinput", "-v0"], ["createcachetable"], ["load_fixtures"]]
    for command in seed if not reuse else [seed[0]]:
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    seeded = time.monotonic()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "wfc_platform.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--no-control-socket",
            # The application is under test, not gunicorn's request-line limit (nginx has its
            # own in production): generated URLs with many long values must reach Django.
            "--limit-request-line",
            "0",
            "--access-logfile",
            "/dev/null",
            # A first request on a loaded machine (imports, the OpenAPI description) can take
            # longer than gunicorn's default 30 s.
            "--timeout",
            str(int(START_SECONDS)),
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_for(f"{base}/api/v1/openapi.json")
        ndjson = work / "events.ndjson"
        run = subprocess.run(
            [
                str(BIN / "schemathesis"),
                "run",
                f"{base}/api/v1/openapi.json",
                "--url",
                base,
                "--phases",
                "fuzzing",
                "--max-examples",
                str(EXAMPLES),
                "--workers",
                WORKERS,
                "--seed",
                SEED,
                "--checks",
                CHECKS,
                "--report",
                "ndjson",
                "--report-ndjson-path",
                str(ndjson),
                *(["--include-path-regex", PATHS] if PATHS else []),
                *([f"--suppress-health-check={SUPPRESS}"] if SUPPRESS else []),
            ],
            cwd=ROOT,
            env=env,
        )
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    summary = summarise(ndjson)
    short = {label: n for label, n in summary["cases"].items() if n < EXAMPLES}
    summary.update(
        operations=len(summary["cases"]),
        total_cases=sum(summary["cases"].values()),
        schemathesis_exit_code=run.returncode,
        operations_below_minimum=short,
        seconds={"seed": round(seeded - started, 1), "run": round(time.monotonic() - seeded, 1)},
    )
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    failed = bool(run.returncode or short or summary["server_errors"])
    if failed:
        print(f"contract test failed; events and database kept in {work}", file=sys.stderr)
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
