"""The store facade: transactional graph replacement, export, backup and restore."""

import pytest
from rdflib import Dataset, Graph

from knotenpunkt.graph.errors import QueryError, StoreError
from knotenpunkt.graph.store import MODEL_GRAPH, Store

G1 = "https://w3id.org/knotenpunkt/graph/data/test/a"
NT = '<http://example.org/s> <http://example.org/p> "Müller \\"quoted\\"" .\n<http://example.org/s> <http://example.org/q> <http://example.org/o> .\n'


def test_new_store_loads_the_model(store):
    assert store.count_quads(graph=MODEL_GRAPH) > 1000
    assert store.select("SELECT (COUNT(*) AS ?n) WHERE { ?c a skos:ConceptScheme }")[0]["n"] >= 3


def test_a_new_store_holds_no_territory():
    """Territories are written by the import of their municipality, never with the model."""
    from knotenpunkt.graph.store import Store

    assert Store().select("SELECT ?s WHERE { ?s kp:municipality ?c }") == []


def test_replace_graphs_writes_and_then_reports_no_change(store):
    assert store.replace_graphs({G1: NT}) == [G1]
    version = store.data_version()
    assert store.replace_graphs({G1: NT}) == []
    assert store.data_version() == version
    assert store.count_quads() == store.count_quads()


def test_replace_graphs_is_all_or_nothing(store):
    store.replace_graphs({G1: NT})
    before = store.content_digest()
    with pytest.raises(SyntaxError):
        store.replace_graphs({G1: "<http://example.org/x> <http://example.org/p> 1 .",
                              G1 + "b": "this is not N-Triples"})
    assert store.content_digest() == before


def test_bindings_are_substituted_not_formatted(store):
    store.replace_graphs({G1: NT})
    injection = 'x" || true) FILTER("a" = "a'
    rows = store.select("SELECT ?name ?s WHERE { ?s <http://example.org/p> ?name }", bindings={"name": injection})
    assert rows == []


def test_bad_query_raises_query_error(store):
    with pytest.raises(QueryError, match="fehlerhaft"):
        store.select("SELECT WHERE {")


@pytest.mark.parametrize("fmt, parser", [("turtle", "turtle"), ("jsonld", "json-ld"), ("trig", "trig"), ("nquads", "nquads")])
def test_export_parses_back(store, fmt, parser):
    store.replace_graphs({G1: NT})
    data = store.export(fmt)
    parsed = (Graph() if fmt == "turtle" else Dataset()).parse(data=data, format=parser)
    assert len(parsed) >= store.count_quads(graph=MODEL_GRAPH)
    if fmt == "turtle":
        assert b"@prefix skos:" in data


def test_backup_and_restore_give_the_same_content(tmp_path):
    live = Store(tmp_path / "live")
    live.replace_graphs({G1: NT})
    live.write_json("mapping.json", {"city": "Test"})
    info = live.backup(tmp_path / "backup")
    restored = Store.restore(tmp_path / "backup", tmp_path / "restored")
    assert restored == info
    assert Store(tmp_path / "restored").read_json("mapping.json", {}) == {"city": "Test"}


def test_backup_refuses_an_existing_target(tmp_path):
    live = Store(tmp_path / "live")
    (tmp_path / "exists").mkdir()
    with pytest.raises(StoreError, match="gibt es schon"):
        live.backup(tmp_path / "exists")


def test_loading_in_slices_gives_the_same_content(sample_workbook, monkeypatch):
    from knotenpunkt.ingest.importer import import_files

    whole = Store()
    import_files([sample_workbook], whole)
    monkeypatch.setattr("knotenpunkt.graph.store._BULK_SLICE", 500)
    sliced = Store()
    import_files([sample_workbook], sliced)
    assert sliced.count_quads() == whole.count_quads() > 500
    assert sliced.graphs() == whole.graphs()


# --------------------------------------------------------------------------------------
# Read commands read; errors name the real cause (issue 17)

def _cli(*args, env=None):
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    return subprocess.run([sys.executable, "-m", "knotenpunkt.cli", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=300)


@pytest.fixture
def small_store(tmp_path):
    from tests.test_transactions import write_inventories

    september, november = write_inventories(tmp_path)
    done = _cli("import", str(september), "--store", str(tmp_path / "store"), "--city", "Wetzlar")
    assert done.returncode == 0, done.stderr
    return tmp_path / "store", november


def test_read_commands_work_while_a_writer_holds_the_store_and_a_second_writer_names_it(small_store):
    import os

    from typer.testing import CliRunner

    from knotenpunkt.cli import app

    path, november = small_store
    writer = Store(path)  # holds the writer lock, as a running import does
    try:
        for command in (["status"], ["versions"], ["diff"], ["query", "count_inventory"], ["orgs"]):
            result = CliRunner().invoke(app, [*command, "--store", str(path)])
            assert result.exit_code == 0, (command, result.output)
        done = _cli("import", str(november), "--store", str(path), "--city", "Wetzlar")
        assert done.returncode == 2
        assert f"von Prozess {os.getpid()} beschrieben" in done.stderr
    finally:
        writer.close()


def test_read_commands_work_on_a_read_only_mount_and_an_import_names_it(small_store):
    import shutil
    import subprocess
    import sys

    path, november = small_store
    if not shutil.which("unshare") or subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode:
        pytest.skip("no mount namespaces here")
    cli = f"{sys.executable} -m knotenpunkt.cli"
    script = (f"mount --bind {path} {path} && mount -o remount,ro,bind {path} {path} || exit 77; "
              f"{cli} status --store {path} && {cli} versions --store {path} && {cli} analyse --store {path} >/dev/null "
              f"&& {cli} export --out /tmp/kp-ro-export.ttl --store {path} >/dev/null || exit 3; "
              f"{cli} import {november} --store {path} --city Wetzlar; echo exit=$?")
    from tests.conftest import ROOT

    done = subprocess.run(["unshare", "-m", "sh", "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300)
    if done.returncode == 77:
        pytest.skip("read-only bind mounts are not allowed here")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "measures: 3" in done.stdout
    assert "exit=2" in done.stdout and "schreibgeschützten Datenträger" in done.stderr


def test_a_damaged_store_is_named_as_damaged(small_store):
    path, _ = small_store
    generation = (path / "CURRENT").read_text().strip()
    for manifest in (path / "generations" / generation / "oxigraph").glob("MANIFEST-*"):
        manifest.write_text("garbage")
    done = _cli("status", "--store", str(path))
    assert done.returncode == 2
    assert "ist beschädigt" in done.stderr and "knotenpunkt restore" in done.stderr


def test_a_store_of_the_earlier_layout_is_read_and_becomes_a_generation_at_its_first_write(tmp_path):
    live = Store(tmp_path / "live")
    live.replace_graphs({G1: NT})
    live.write_json("mapping.json", {"city": "Test"})
    live.backup(tmp_path / "old")  # the backup is the earlier layout: oxigraph/ and JSON files
    old = Store(tmp_path / "old", read_only=True)
    assert G1 in old.graphs() and old.read_json("mapping.json", {}) == {"city": "Test"}
    old.close()
    writer = Store(tmp_path / "old")
    writer.write_json("versions.json", [])
    assert writer.generation == "g-000001"
    assert G1 in writer.graphs() and writer.read_json("mapping.json", {}) == {"city": "Test"}


@pytest.mark.parametrize("loaders", [1, 2])
def test_a_source_larger_than_a_slice_is_staged_whole_and_digested_as_a_set(tmp_path, monkeypatch, loaders):
    """Staging loads a dump in slices, several at once on an on-disk store; the digest does not depend on
    the order of the lines, or on whether they came as text or as a dump file."""
    import random
    import tempfile

    from knotenpunkt.graph import store as store_module
    from knotenpunkt.graph.store import GraphDump, _digest_lines

    monkeypatch.setattr(store_module, "_BULK_SLICE", 7)
    lines = [f'<http://example.org/s{i}> <http://example.org/p> "Wert {i % 5}" .' for i in range(100)]
    dump = tempfile.TemporaryFile(dir=tmp_path)
    dump.write("".join(line + "\n" for line in reversed(lines)).encode())
    g = Store(tmp_path / "store")
    monkeypatch.setattr(g.backend, "loaders", loaders)
    assert g.replace_graphs({G1: GraphDump(dump)}) == [G1]
    assert g.count_quads(graph=G1) == 100
    shuffled = random.Random(1).sample(lines, len(lines))
    assert g.stored_digest(G1) == GraphDump(dump).digest() == _digest_lines(shuffled + lines[:3])
    assert g.replace_graphs({G1: "\n".join(shuffled)}) == []  # the same set of lines: nothing to stage
    assert _digest_lines(lines[1:]) != _digest_lines(lines)
