"""Measure Xã Số against the budgets of DESIGN.md.

    python -m benchmarks [--scale N] [--requests N] [--json FILE] [--quick]

Builds a throw-away office with N generated dossiers, then measures, on one
core where the system allows it: search, list and detail answers (p95,
in-process through the WSGI app), PDF rendering (cold and warm), the real
server's start-up time and its resident memory after a run of requests.
Results print as a table and, with --json, as JSON.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
FEEDBACK_SEARCHES = (
    "rac thai",
    "Rác thải ùn ứ",
    "den duong",
    "Đồng Tâm",
    "xay dung lan chiem",
    "tro cap",
)
SEARCHES = (
    "nguyen thi thuy",
    "Nguyễn Thị Thủy",
    "Thuỷ",
    "duc",
    "Đức",
    "hoa",
    "Hoà",
    "le van an",
    "ánh",
    "phuong",
)
LISTS = (
    "",
    "?status=in_progress",
    "?due=overdue",
    "?due=soon",
    "?sort=name",
    "?status=received&sort=due",
    "?page=3",
)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks and report."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--scale", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--quick", action="store_true", help="small run for tests")
    args = parser.parse_args(argv)
    if args.quick:
        args.scale, args.requests, args.samples = 2000, 300, 30

    _pin_to_one_core(os.getpid())
    workdir = Path(tempfile.mkdtemp(prefix="xaso-bench-"))
    try:
        results = run(workdir, args.scale, args.requests, args.samples)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    _print_table(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


def run(workdir: Path, scale: int, requests: int, samples: int) -> dict:
    """Build the office, fill it and take every measurement."""
    os.environ["XASO_INSTANCE"] = str(workdir)
    os.environ.pop("XASO_DATABASE_URL", None)
    token, generate_s = _build_office(scale)

    from app import create_app

    app = create_app()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    codes = _sample_codes(workdir, samples)

    search = _p95(
        client, headers, [f"/api/v1/dossiers?q={q}" for q in SEARCHES], samples
    )
    listing = _p95(client, headers, [f"/api/v1/dossiers{q}" for q in LISTS], samples)
    detail = _p95(client, headers, [f"/api/v1/dossiers/{c}" for c in codes], samples)
    pdf_urls = [f"/api/v1/dossiers/{c}/forms/receipt.pdf" for c in codes]
    pdf_cold = _timed(client, headers, pdf_urls[0])
    pdf_warm = statistics.median(
        _timed(client, headers, url) for url in pdf_urls[1 : 1 + min(20, samples)]
    )
    feedback_search = _p95(
        client, headers, [f"/api/v1/feedback?q={q}" for q in FEEDBACK_SEARCHES], samples
    )
    intake = _intake_p95(client, headers, max(10, samples // 4))
    fts_p95 = _fts_p95(workdir, samples)
    startup_s, rss_mb = _serve_and_load(workdir, token, codes, requests)

    return {
        "scale": scale,
        "generate_s": round(generate_s, 2),
        "search_p95_ms": search,
        "list_p95_ms": listing,
        "detail_p95_ms": detail,
        "feedback_search_p95_ms": feedback_search,
        "feedback_intake_p95_ms": intake,
        "pdf_warm_ms": round(pdf_warm * 1000, 1),
        "pdf_cold_ms": round(pdf_cold * 1000, 1),
        "rss_mb_after_10k": rss_mb,
        "requests": requests,
        "startup_s": startup_s,
        # The sync engine comes with its own issue; until then nothing to time.
        "sync_10k_s": None,
        "ratio_search_vs_fts": round(search / fts_p95, 2) if fts_p95 else None,
        "ratio_list_vs_datasette": _ratio_vs_datasette(workdir, listing),
        "ratio_pdf_vs_libreoffice": _ratio_vs_libreoffice(workdir, pdf_warm),
        "cpu_affinity": sorted(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else None,
    }


def _build_office(scale: int) -> tuple[str, float]:
    from flask_migrate import upgrade

    from app import create_app
    from app.auth.services import create_token, create_user
    from app.feedback.reference import load_bundled_reference
    from app.office.catalog import load_bundled_catalog
    from app.office.services import set_up_office
    from benchmarks.generate import generate_dossiers, generate_feedback

    app = create_app()
    with app.app_context():
        upgrade()
        set_up_office("8707")
        load_bundled_catalog()
        load_bundled_reference()
        create_user("bench", "clerk", "benchmark-password-1", "Người đo")
        token = create_token("bench")
        started = time.perf_counter()
        generate_dossiers(scale)
        generate_feedback(scale)
        return token, time.perf_counter() - started


def _sample_codes(workdir: Path, count: int) -> list[str]:
    with sqlite3.connect(workdir / "xaso.sqlite3") as connection:
        rows = connection.execute(
            "SELECT code FROM dossiers ORDER BY random() LIMIT ?", (count + 21,)
        ).fetchall()
    return [row[0] for row in rows]


def _timed(client, headers, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url, headers=headers)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    response.close()
    return elapsed


def _p95(client, headers, urls: list[str], samples: int) -> float:
    for url in urls:  # warm caches and the statement cache first
        _timed(client, headers, url)
    rng = random.Random(7)
    times = sorted(_timed(client, headers, rng.choice(urls)) for _ in range(samples))
    return round(times[max(0, int(len(times) * 0.95) - 1)] * 1000, 2)


def _intake_p95(client, headers, samples: int) -> float:
    """Time feedback intake, duplicate check and durable write included."""
    from benchmarks.generate import PLACES, TOPICS

    rng = random.Random(5)
    times = []
    for number in range(samples):
        category = rng.choice(list(TOPICS))
        title, sentence = TOPICS[category]
        place = rng.choice(PLACES)
        body = {
            "channel": "counter",
            "category_code": category,
            "title": f"{title} ở {place}",
            "content": f"Tại {place}, {sentence}, kéo dài (lần {number}).",
            "location": place,
            "submitter": {"full_name": "Người Đo Thử", "address": place},
        }
        started = time.perf_counter()
        response = client.post("/api/v1/feedback", json=body, headers=headers)
        times.append(time.perf_counter() - started)
        if response.status_code != 201:
            raise RuntimeError(f"feedback intake answered {response.status_code}")
    times.sort()
    return round(times[max(0, int(len(times) * 0.95) - 1)] * 1000, 2)


def _fts_p95(workdir: Path, samples: int) -> float | None:
    """Time the bare FTS5 query behind a search, as the floor to compare to."""
    from app.core.search import TextQuery

    connection = sqlite3.connect(workdir / "xaso.sqlite3")
    rng = random.Random(7)
    times = []
    for _ in range(samples):
        match = TextQuery.parse(rng.choice(SEARCHES)).any_hit()
        started = time.perf_counter()
        connection.execute(
            "SELECT count(*) FROM dossier_search WHERE dossier_search MATCH ?", (match,)
        ).fetchone()
        connection.execute(
            "SELECT rowid FROM dossier_search WHERE dossier_search MATCH ? LIMIT 25",
            (match,),
        ).fetchall()
        times.append(time.perf_counter() - started)
    connection.close()
    times.sort()
    return times[max(0, int(len(times) * 0.95) - 1)] * 1000


def _serve_and_load(workdir, token, codes, requests) -> tuple[float, float | None]:
    port = _free_port()
    env = {**os.environ, "XASO_INSTANCE": str(workdir)}
    started = time.perf_counter()
    server = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", "serve", "--port", str(port)],
        cwd=REPOSITORY,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _pin_to_one_core(server.pid)
    try:
        startup = _wait_healthy(port, started)
        paths = (
            [f"/api/v1/dossiers?q={q}" for q in ("thuy", "duc", "hoa")]
            + [f"/api/v1/dossiers{q}" for q in LISTS[:4]]
            + [f"/api/v1/dossiers/{c}" for c in codes[:50]]
        )
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        rng = random.Random(11)
        for _ in range(requests):
            connection.request(
                "GET",
                _quote(rng.choice(paths)),
                headers={"Authorization": f"Bearer {token}"},
            )
            connection.getresponse().read()
        connection.close()
        return round(startup, 3), _rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=15)


def _wait_healthy(port: int, started: float) -> float:
    deadline = started + 30
    while time.perf_counter() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                connection.close()
                return time.perf_counter() - started
        except OSError:
            time.sleep(0.02)
    raise RuntimeError("the server did not answer within 30 s")


def _quote(path: str) -> str:
    from urllib.parse import quote

    return quote(path, safe="/?=&")


def _rss_mb(pid: int) -> float | None:
    status = Path(f"/proc/{pid}/status")
    if not status.exists():
        return None
    for line in status.read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _pin_to_one_core(pid: int) -> None:
    # DESIGN.md measures on one core; elsewhere the run says it was not pinned.
    if hasattr(os, "sched_setaffinity"):
        try:
            os.sched_setaffinity(pid, {min(os.sched_getaffinity(0))})
        except OSError:
            pass


def _ratio_vs_datasette(workdir: Path, list_p95: float) -> float | None:
    """Compare the list page with Datasette serving the same file, if installed."""
    if shutil.which("datasette") is None:
        return None
    port = _free_port()
    database = workdir / "xaso.sqlite3"
    server = subprocess.Popen(
        [
            "datasette",
            "serve",
            str(database),
            "--port",
            str(port),
            "--immutable",
            str(database),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(2)
        times = []
        for _ in range(50):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            started = time.perf_counter()
            connection.request(
                "GET", "/xaso/dossiers.json?_sort_desc=received_at&_size=25"
            )
            connection.getresponse().read()
            times.append(time.perf_counter() - started)
            connection.close()
        times.sort()
        peer = times[int(len(times) * 0.95) - 1] * 1000
        return round(list_p95 / peer, 2)
    except OSError:
        return None
    finally:
        server.terminate()
        server.wait(timeout=10)


def _ratio_vs_libreoffice(workdir: Path, pdf_warm: float) -> float | None:
    """Compare a warm form render with LibreOffice converting a page, if there."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        return None
    page = workdir / "page.html"
    page.write_text(
        "<html><body><h1>GIẤY TIẾP NHẬN HỒ SƠ</h1><p>Nguyễn Thị Thuỷ</p></body></html>",
        encoding="utf-8",
    )
    started = time.perf_counter()
    subprocess.run(
        [
            office,
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(workdir),
            str(page),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )
    return round(pdf_warm / (time.perf_counter() - started), 3)


def _print_table(results: dict) -> None:
    width = max(len(key) for key in results)
    for key, value in results.items():
        print(f"{key.ljust(width)}  {value}")  # noqa: T201 (the report itself)


if __name__ == "__main__":
    sys.exit(main())
