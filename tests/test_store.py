"""The store facade: transactional graph replacement, export, backup and restore."""

import pytest
from rdflib import Dataset, Graph

from graph.errors import QueryError, StoreError
from graph.store import MODEL_GRAPH, Store

G1 = "https://w3id.org/knotenpunkt/graph/data/test/a"
NT = '<http://example.org/s> <http://example.org/p> "Müller \\"quoted\\"" .\n<http://example.org/s> <http://example.org/q> <http://example.org/o> .\n'


def test_new_store_loads_the_model(store):
    assert store.count_quads(graph=MODEL_GRAPH) > 1000
    assert store.select("SELECT (COUNT(*) AS ?n) WHERE { ?c a skos:ConceptScheme }")[0]["n"] >= 3


def test_a_new_store_holds_no_territory():
    """Territories are written by the import of their municipality, never with the model."""
    from graph.store import Store

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
    from ingest.importer import import_files

    whole = Store()
    import_files([sample_workbook], whole)
    monkeypatch.setattr("graph.store._BULK_SLICE", 500)
    sliced = Store()
    import_files([sample_workbook], sliced)
    assert sliced.count_quads() == whole.count_quads() > 500
    assert sliced.graphs() == whole.graphs()
