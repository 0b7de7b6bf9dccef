"""One transaction per import: killed at every phase boundary, the store is old or new, never between.

An import runs in its own process with ``KNOTENPUNKT_TEST_KILL_AT=<phase>`` (`graph.backend.phase`
kills it there with SIGKILL). After each kill the test reads the store through the CLI
(`status`, `versions`) and through a `knotenpunkt serve` that runs the whole time, and checks
that data, summary and versions all tell the same state: September (3 measures) or November
(2 measures, one version more). It also fills a disk (ENOSPC at the commit) and checks the cause
in the message.
"""

import csv
import errno
import io
import os
import subprocess
import sys
import urllib.parse
import urllib.request

import pytest
from typer.testing import CliRunner

from knotenpunkt.graph.store import Store
from knotenpunkt.cli import app
from tests.conftest import ROOT
from tests.test_endpoint import start_server

runner = CliRunner()

HEADER = "Nr.;Maßnahme;Träger;Zielgruppe;Handlungsfeld;Stadtteil;Beginn;Ende\n"
ROWS = ["M1;Sprachcafé Niedergirmes;AWO Wetzlar;Geflüchtete;Sprache;Niedergirmes;01.01.2025;\n",
        "M2;Hausaufgabenhilfe;Caritas Wetzlar;Kinder;Schule und Bildung;Altstadt;01.09.2024;\n",
        "M3;Stadtteilmütter;Diakonie Wetzlar;Eltern und Familien;Familie und Elternarbeit;Dalheim;01.03.2025;\n"]
# Phase boundaries in the order an import passes them; the commit point is "published".
PHASES = ["staged", "derived", "recorded", "side-state", "switched", "cleaned", "generation-written", "published",
          "tidied"]
AFTER_COMMIT = {"published", "tidied"}
MEASURES_QUERY = """SELECT ?measures ?summary WHERE {
  { SELECT (COUNT(?m) AS ?measures) WHERE { ?m a kp:Measure } }
  OPTIONAL { ?o kp:keyFigure "measures" ; kp:count ?summary }
}"""


def write_inventories(folder):
    """September with three measures, November (another file name) with the third removed."""
    september, november = folder / "bestand-september.csv", folder / "bestand-november.csv"
    september.write_text(HEADER + "".join(ROWS), encoding="utf-8")
    november.write_text(HEADER + "".join(ROWS[:2]), encoding="utf-8")
    return september, november


def import_in_process(path, store, *, kill_at=None, label=None):
    """`knotenpunkt import` in a process of its own, optionally killed at a phase boundary."""
    env = {**os.environ, "KNOTENPUNKT_TEST_KILL_AT": kill_at or ""}
    command = [sys.executable, "-m", "knotenpunkt.cli", "import", str(path), "--store", str(store), "--city", "Wetzlar"]
    return subprocess.run(command + (["--label", label] if label else []), cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)


def endpoint_counts(url):
    """(measures, measures in the summary) as the running endpoint answers."""
    data = urllib.parse.urlencode({"query": MEASURES_QUERY}).encode()
    request = urllib.request.Request(url + "/sparql", data=data, headers={"Accept": "text/csv"})
    with urllib.request.urlopen(request, timeout=30) as response:
        row = next(csv.DictReader(io.StringIO(response.read().decode("utf-8"))))
    return int(row["measures"]), int(row["summary"]) if row["summary"] else None


def cli_state(store):
    """(measures by `status`, number of versions by `versions`), read through the CLI."""
    status = runner.invoke(app, ["status", "--store", str(store)])
    assert status.exit_code == 0, status.output
    measures = int(next(line.split(":")[1] for line in status.output.splitlines() if line.startswith("measures:")))
    versions = runner.invoke(app, ["versions", "--store", str(store)])
    assert versions.exit_code == 0, versions.output
    return measures, sum(1 for line in versions.output.splitlines() if line[:3].strip().isdigit())


@pytest.fixture(scope="module")
def inventories(tmp_path_factory):
    return write_inventories(tmp_path_factory.mktemp("inventories"))


def kill_at_phases(tmp_path, inventories, phases, capsys):
    """Import alternately November and September, killed at each of `phases`; check and print the table."""
    september, november = inventories
    store = tmp_path / "store"
    done = import_in_process(september, store, label="September")
    assert done.returncode == 0, done.stderr
    process, url = start_server(store)
    table = [("phase", "exit", "state after", "status", "versions", "endpoint (measures/summary)")]
    try:
        state, versions = 3, 1  # measures now, versions recorded
        for phase in phases:
            target = november if state == 3 else september
            done = import_in_process(target, store, kill_at=phase)
            assert done.returncode == -9, f"{phase}: the import was not killed ({done.returncode}) {done.stderr}"
            if phase in AFTER_COMMIT:
                state, versions = 5 - state, versions + 1  # 3 ↔ 2 measures
            measures, recorded = cli_state(store)
            served = endpoint_counts(url)
            table.append((phase, "SIGKILL", "new" if phase in AFTER_COMMIT else "old", measures, recorded, served))
            assert (measures, recorded) == (state, versions), phase
            assert served == (state, state), phase  # data and summary of one state, at the endpoint too
        # the next import after all these kills works and sees no leftovers
        target = november if state == 3 else september
        done = import_in_process(target, store)
        assert done.returncode == 0, done.stderr
        assert cli_state(store) == (5 - state, versions + 1)
        assert sorted(p.name for p in (store / "generations").iterdir() if not p.name.startswith("g-")) == []
    finally:
        process.terminate()
        process.wait(10)
    with capsys.disabled():
        print("\n" + "\n".join(" | ".join(str(c) for c in row) for row in table))


@pytest.mark.slow
def test_an_import_killed_at_every_phase_leaves_the_old_or_the_whole_new_state(tmp_path, inventories, capsys):
    kill_at_phases(tmp_path, inventories, PHASES, capsys)


def test_an_import_killed_just_before_and_after_the_commit_point(tmp_path, inventories, capsys):
    kill_at_phases(tmp_path, inventories, ["generation-written", "published"], capsys)


def test_a_full_disk_at_the_commit_names_the_cause_and_keeps_the_old_state(tmp_path, inventories, monkeypatch):
    september, november = inventories
    store = tmp_path / "store"
    assert runner.invoke(app, ["import", str(september), "--store", str(store), "--city", "Wetzlar"]).exit_code == 0
    before = cli_state(store)
    real_replace = os.replace

    def full(src, dst, *args, **kwargs):
        if str(dst).endswith("CURRENT"):
            raise OSError(errno.ENOSPC, "No space left on device", str(dst))
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", full)
    result = runner.invoke(app, ["import", str(november), "--store", str(store), "--city", "Wetzlar"])
    monkeypatch.undo()
    assert result.exit_code == 2
    assert "Kein Platz mehr auf dem Datenträger" in result.output and "unverändert" in result.output
    assert cli_state(store) == before
    assert not [p for p in (store / "generations").iterdir() if p.name.startswith(".tmp-")]


def test_side_state_switches_with_the_data_in_one_transaction(tmp_path):
    store = Store(tmp_path / "store")
    generation = store.generation
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.replace_graphs({"https://w3id.org/knotenpunkt/graph/data/x/a": "<urn:a> <urn:b> <urn:c> ."})
            store.write_json("versions.json", [{"number": 1}])
            assert store.read_json("versions.json", None) == [{"number": 1}]  # the transaction reads its writes
            raise RuntimeError("interrupted")
    assert store.generation == generation
    assert store.read_json("versions.json", None) is None
    assert "https://w3id.org/knotenpunkt/graph/data/x/a" not in store.graphs()
    with store.transaction():
        store.replace_graphs({"https://w3id.org/knotenpunkt/graph/data/x/a": "<urn:a> <urn:b> <urn:c> ."})
        store.write_json("versions.json", [{"number": 1}])
    reader = Store(tmp_path / "store", read_only=True)
    assert reader.read_json("versions.json", None) == [{"number": 1}]
    assert "https://w3id.org/knotenpunkt/graph/data/x/a" in reader.graphs()
    assert store.generation == reader.generation != generation
