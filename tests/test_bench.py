"""A 1k smoke run of the benchmark, so it keeps working (no timing assertions)."""

from bench.run import main


def test_benchmark_smoke_run_writes_a_report(tmp_path):
    report = tmp_path / "REPORT.md"
    # rdflib's canned queries need about a minute at 1k; the smoke run gives every baseline 30 s
    main(["--scales", "1000", "--repeat", "1", "--baseline-limit", "30", "--data", str(tmp_path), "--report", str(report)])
    text = report.read_text(encoding="utf-8")
    assert "| 1,000 | import |" in text
    assert "Machine:" in text and "pyoxigraph" in text
    row = next(line for line in text.splitlines() if line.startswith("| 1,000 | import |"))
    assert "–" not in row.split("|")[3]  # our time is filled
    assert "–" not in row.split("|")[5]  # the baseline ran and its time is filled
    for step in ("cold-start", "queries", "analyse", "network-page", "network-draw", "deck", "endpoint"):
        assert f"| 1,000 | {step} |" in text
    assert "| sample | deck |" in text
    assert "| count_inventory | interactive |" in text and "(two-hop yardstick)" in text
