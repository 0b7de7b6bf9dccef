"""A 1k smoke run of the benchmark, so it keeps working (no timing assertions)."""

from bench.run import main


def test_benchmark_smoke_run_writes_a_report(tmp_path):
    report = tmp_path / "REPORT.md"
    main(["--scales", "1000", "--repeat", "1", "--data", str(tmp_path), "--report", str(report)])
    text = report.read_text(encoding="utf-8")
    assert "| 1,000 | import |" in text
    assert "Machine:" in text and "pyoxigraph" in text
    row = next(line for line in text.splitlines() if line.startswith("| 1,000 | import |"))
    assert "–" not in row.split("|")[3]  # our time is filled
    assert "–" not in row.split("|")[5]  # the baseline ran and its time is filled
