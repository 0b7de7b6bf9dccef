"""The same data gives the same analysis, whatever Python's string hash seed (set and dict order)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = """
import datetime as dt, json, sys
from knotenpunkt.graph.analysis import analyse
from knotenpunkt.graph.store import Store
from knotenpunkt.ingest.importer import import_files
store = Store()
import_files([sys.argv[1]], store)
result = analyse(store, start=dt.date(2026, 11, 15), use_cache=False)
result.pop("data_version", None)
print(json.dumps(result, sort_keys=False, ensure_ascii=False, default=str))
"""


@pytest.mark.slow
@pytest.mark.parametrize("workbook", ["sample", "synthetic"])
def test_analysis_is_the_same_under_two_hash_seeds(tmp_path, workbook):
    if workbook == "sample":
        path = ROOT / "data" / "sample" / "wetzlar_integrationsangebote.xlsx"
    else:
        from bench.generate import generate_workbook

        path = tmp_path / "synthetic.xlsx"
        generate_workbook(path, 4000)  # over MEDIUM_GRAPH organisations: the igraph path too
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run([sys.executable, "-c", SCRIPT, str(path)], cwd=ROOT, env=env, capture_output=True,
                             text=True, timeout=600)
        assert out.returncode == 0, out.stderr[-2000:]
        outputs.append(out.stdout.strip().splitlines()[-1])
    assert outputs[0] == outputs[1]
