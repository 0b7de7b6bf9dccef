"""The distribution: one top-level package, its data files, and the console script (issue 17)."""

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_the_wheel_installs_one_top_level_package_with_its_data(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(tmp_path),
                    str(ROOT)], check=True, capture_output=True)
    (wheel,) = tmp_path.glob("knotenpunkt-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert {n.split("/")[0] for n in names} == {"knotenpunkt", wheel.name.split("-")[0] + "-" + wheel.name.split("-")[1]
                                                + ".dist-info"}
    for needed in ("knotenpunkt/app.py", "knotenpunkt/cli.py", "knotenpunkt/graph/texts.toml",
                   "knotenpunkt/ontology/knotenpunkt.ttl", "knotenpunkt/ontology/shapes.ttl",
                   "knotenpunkt/ontology/queries/count_inventory.rq", "knotenpunkt/ontology/territories/places-de.tsv",
                   "knotenpunkt/pages/network.py", "knotenpunkt/ingest/read.py", "knotenpunkt/static/"):
        assert any(n.startswith(needed) for n in names), needed
    assert not any(n.startswith(("tests/", "bench/", "data/")) for n in names)
    meta = zipfile.ZipFile(wheel)
    dist_info = next(n for n in names if n.endswith(".dist-info/METADATA"))
    metadata = meta.read(dist_info).decode()
    requires = [line for line in metadata.splitlines() if line.startswith("Requires-Dist:")]
    runtime = [r for r in requires if "extra ==" not in r]
    runtime_names = {re.split(r"[<>=~!; ]", r.split(":", 1)[1].strip())[0].lower() for r in runtime}
    assert not runtime_names & {"pytest", "playwright", "sparqlwrapper", "oxigraph", "pyshacl"}
    assert {"rdflib", "pyoxigraph", "pandas", "streamlit", "numpy", "altair", "pyparsing"} <= runtime_names
    assert all(any(c in r for c in "<>~") for r in runtime), runtime  # ranges, not pins or nothing
    entry_points = meta.read(dist_info.replace("METADATA", "entry_points.txt")).decode()
    assert "knotenpunkt = knotenpunkt.cli:main" in entry_points
