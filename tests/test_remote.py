"""Server-backed mode against a real standalone server: `oxigraph serve` (PyPI package `oxigraph`).

The sample is imported through the CLI with the setting `sparql_endpoint` (writes by the
Graph Store Protocol), then every canned query and the analysis must give the same
answers as the embedded store holding the same import.
"""

import datetime as dt
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from bench.steps import query_params
from knotenpunkt.graph.analysis import analyse
from knotenpunkt.graph.queries import list_queries, run_query
from knotenpunkt.graph.backend import STATE_PREFIX
from knotenpunkt.graph.remote import SparqlBackend
from knotenpunkt.graph.store import Store
from knotenpunkt.ingest.importer import import_files
from tests.conftest import ROOT, free_port

OXIGRAPH = Path(sys.executable).parent / "oxigraph"
DAY = dt.date(2026, 11, 15)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = free_port()
    process = subprocess.Popen([str(OXIGRAPH), "serve", "--location", str(tmp_path_factory.mktemp("oxigraph")),
                                "--bind", f"127.0.0.1:{port}"], stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/query"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail(process.stderr.read().decode())
    yield url
    process.terminate()
    process.wait(10)


@pytest.fixture(scope="module")
def remote(server, sample_workbook, tmp_path_factory):
    """The sample imported into the server by the CLI in server-backed mode."""
    side = tmp_path_factory.mktemp("side")
    env = {**os.environ, "KNOTENPUNKT_SPARQL_ENDPOINT": server, "KNOTENPUNKT_STORE": str(side)}
    done = subprocess.run([sys.executable, "-m", "knotenpunkt.cli", "import", str(sample_workbook)],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return Store(backend=SparqlBackend(server))


@pytest.fixture(scope="module")
def embedded(sample_workbook):
    store = Store()
    import_files([sample_workbook], store)
    return store


CASES = [(q.name, with_params) for q in list_queries() for with_params in ((False, True) if q.params else (False,))
         if with_params or all(p.optional for p in q.params)]
# Rows that name the import run differ by the time of the import, which is part of the run's IRI.
_PER_IMPORT = {"imports_since", "extract_sources"}


def _value(value):
    """A value as text; GROUP_CONCAT lists ("a; b", "a | b") sorted, as SPARQL leaves their order open."""
    return sorted(re.split(r"; | \| ", value)) if isinstance(value, str) else str(value)


def _rows(rows, name):
    if name in _PER_IMPORT:
        return len(rows)
    return sorted(str(sorted((k, _value(v)) for k, v in row.items())) for row in rows)


@pytest.mark.parametrize("name, with_params", CASES)
def test_canned_queries_give_the_same_answers_as_the_embedded_store(remote, embedded, name, with_params):
    query = next(q for q in list_queries() if q.name == name)
    params = query_params(embedded, query) if with_params else {}
    expected = run_query(embedded, name, **params)
    got = run_query(remote, name, **params)
    assert _rows(got, name) == _rows(expected, name)
    if name in ("list_measures", "count_inventory", "coverage_matrix", "coverage_in_area", "providers_in_district"):
        assert expected, "the query answers something on the sample"


def test_the_analysis_gives_the_same_findings(remote, embedded):
    local = analyse(embedded, start=DAY, use_cache=False)
    served = analyse(remote, start=DAY, use_cache=False)
    assert served["gaps"]["zero_cells"] == local["gaps"]["zero_cells"]
    assert [o["measures"] for o in served["overlaps"]] == [o["measures"] for o in local["overlaps"]]
    assert served["network"]["nodes"] == local["network"]["nodes"] > 0


def test_reimport_changes_nothing_and_leaves_no_stray_graphs(server, remote, sample_workbook):
    graphs_before = _all_graphs(remote)
    import_files([sample_workbook], remote)
    graphs_after = _all_graphs(remote)
    assert graphs_after == graphs_before
    side_state = {g for g in graphs_after if g.startswith(STATE_PREFIX)}
    assert {"mapping.json", "versions.json", "version-1.json"} <= {g[len(STATE_PREFIX):].split("/")[0] for g in side_state}
    assert {g.value for g in remote.live_graphs()} | side_state == graphs_after  # side state: never in queries


def test_status_through_the_cli_in_server_backed_mode(server, remote, expected, tmp_path):
    env = {**os.environ, "KNOTENPUNKT_SPARQL_ENDPOINT": server, "KNOTENPUNKT_STORE": str(tmp_path)}
    out = subprocess.run([sys.executable, "-m", "knotenpunkt.cli", "status"], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=True).stdout
    assert f"measures: {expected['measures_imported']}" in out


def test_a_source_loaded_in_slices_arrives_whole(remote, monkeypatch):
    """Bulk loads go in slices (graph.store._BULK_SLICE); over the Graph Store Protocol each slice adds."""
    from tests.conftest import DATA

    monkeypatch.setattr("knotenpunkt.graph.store._BULK_SLICE", 300)
    workbook = DATA / "othercity" / "lahnfels_angebote.xlsx"
    plan = import_files([workbook], remote)
    local = Store()
    import_files([workbook], local)
    key = next(k for k in plan.report["graphs"] if "/data/" in k)
    assert remote.count_quads(key) == local.count_quads(key) > 300


def test_readers_leave_other_clients_staged_graphs_alone(server, remote, monkeypatch, tmp_path):
    from knotenpunkt.graph.store import open_store

    stray = "https://w3id.org/knotenpunkt/graph/data/x/staged/0123456789abcdef"
    remote._ox.put_graph(ox_node(stray), "<urn:a> <urn:b> <urn:c> .")
    monkeypatch.setenv("KNOTENPUNKT_SPARQL_ENDPOINT", server)
    open_store(tmp_path, write=False)
    assert stray in _all_graphs(remote)
    open_store(tmp_path, write=True)  # a writer removes what no pointer refers to
    assert stray not in _all_graphs(remote)


def ox_node(iri):
    import pyoxigraph as ox

    return ox.NamedNode(iri)


def _all_graphs(remote):
    """Every named graph on the server (queries through the facade see only the current ones)."""
    return {g.value for g in remote._ox.named_graphs()}
