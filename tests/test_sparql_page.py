"""The app's SPARQL page (AppTest): canned queries with parameters, the free editor, the URL, the rules."""

import pytest
import streamlit as st

from graph.queries import run_query
from graph.store import Store
from tests.test_app import _page


@pytest.fixture(scope="module")
def store_path(tmp_path_factory, sample_workbook):
    from graph.store import writing
    from ingest.importer import import_files

    path = tmp_path_factory.mktemp("sparqlpage") / "store"
    with writing(path) as g:
        import_files([sample_workbook], g)
    return str(path)


@pytest.fixture(autouse=True)
def _clear_caches():
    st.cache_data.clear()
    st.cache_resource.clear()  # also stops the page's query workers of the previous test


def _run(store_path, params, monkeypatch, **settings):
    for name, value in settings.items():
        monkeypatch.setenv(f"KNOTENPUNKT_{name.upper()}", str(value))
    at = _page("sparql", store_path)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    at.button[0].click().run()
    assert not at.exception
    return at


def test_a_canned_query_with_a_parameter_from_the_url(store_path, monkeypatch):
    store = Store.reader(store_path)
    district = store.select("SELECT ?d WHERE { ?m a kp:Measure ; dct:spatial ?d } ORDER BY ?d LIMIT 1")[0]["d"]
    expected = run_query(store, "providers_in_district", district=district)
    at = _run(store_path, {"q": "providers_in_district", "p_district": district}, monkeypatch)
    table = at.dataframe[0].value
    assert sorted(table["organisation"]) == sorted(row["organisation"] for row in expected)
    assert len(expected) > 0
    assert at.query_params["q"] == "providers_in_district" and at.query_params["p_district"] == district


def test_the_free_editor_runs_the_query_in_the_url(store_path, monkeypatch, expected):
    query = "SELECT (COUNT(?m) AS ?n) WHERE { ?m a kp:Measure }"
    at = _run(store_path, {"q": "custom", "sparql": query}, monkeypatch)
    assert int(at.dataframe[0].value["n"][0]) == expected["measures_imported"]
    assert at.text_area[0].value == query


@pytest.mark.parametrize("query, message", [
    ("DROP ALL", "Nur lesende"),
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "SERVICE"),
    ("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", "FROM"),
])
def test_the_endpoints_rules_hold_in_the_page(store_path, monkeypatch, query, message):
    at = _run(store_path, {"q": "custom", "sparql": query}, monkeypatch)
    assert message in at.error[0].value.replace("\\", "")
    assert not at.dataframe


def test_the_row_cap_truncates_with_a_warning(store_path, monkeypatch):
    at = _run(store_path, {"q": "custom", "sparql": "SELECT * WHERE { ?s ?p ?o }"}, monkeypatch, max_returned_rows=7)
    assert len(at.dataframe[0].value) == 7
    assert "Gekürzt" in at.warning[0].value
