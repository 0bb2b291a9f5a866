"""The shipped benchmark runs end to end in its quick mode."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
REPOSITORY = Path(__file__).resolve().parent.parent
KEYS = {
    "scale",
    "search_p95_ms",
    "list_p95_ms",
    "detail_p95_ms",
    "pdf_warm_ms",
    "pdf_cold_ms",
    "rss_mb_after_10k",
    "startup_s",
    "sync_10k_s",
    "ratio_search_vs_fts",
    "ratio_list_vs_datasette",
    "ratio_pdf_vs_libreoffice",
}


def test_quick_benchmark_writes_every_contract_key(tmp_path):
    output = tmp_path / "bench.json"

    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--json", str(output)],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert completed.returncode == 0, completed.stderr[-2000:]
    results = json.loads(output.read_text(encoding="utf-8"))
    assert KEYS <= results.keys()
    assert results["scale"] == 2000
    for key in (
        "search_p95_ms",
        "list_p95_ms",
        "detail_p95_ms",
        "pdf_warm_ms",
        "startup_s",
    ):
        assert isinstance(results[key], int | float) and results[key] > 0, key
    assert "search_p95_ms" in completed.stdout
