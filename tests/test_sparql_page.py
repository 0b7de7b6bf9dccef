"""The app's SPARQL page (AppTest): canned queries with parameters, the free editor, the URL, the rules."""

import pytest

from graph.queries import run_query
from graph.store import Store
from tests.test_app import _clear_caches, _page, sample_store  # noqa: F401 (fixtures)


def _run(sample_store, params, monkeypatch, **settings):
    for name, value in settings.items():
        monkeypatch.setenv(f"KNOTENPUNKT_{name.upper()}", str(value))
    at = _page("sparql", sample_store)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    at.button[0].click().run()
    assert not at.exception
    return at


def test_a_canned_query_with_a_parameter_from_the_url(sample_store, monkeypatch):
    store = Store.reader(sample_store)
    district = store.select("SELECT ?d WHERE { ?m a kp:Measure ; dct:spatial ?d } ORDER BY ?d LIMIT 1")[0]["d"]
    expected = run_query(store, "providers_in_district", district=district)
    at = _run(sample_store, {"q": "providers_in_district", "p_district": district}, monkeypatch)
    table = at.dataframe[0].value
    assert sorted(table["organisation"]) == sorted(row["organisation"] for row in expected)
    assert len(expected) > 0
    assert at.query_params["q"] == "providers_in_district" and at.query_params["p_district"] == district


def test_the_free_editor_runs_the_query_in_the_url(sample_store, monkeypatch, expected):
    query = "SELECT (COUNT(?m) AS ?n) WHERE { ?m a kp:Measure }"
    at = _run(sample_store, {"q": "custom", "sparql": query}, monkeypatch)
    assert int(at.dataframe[0].value["n"][0]) == expected["measures_imported"]
    assert at.text_area[0].value == query


@pytest.mark.parametrize("query, message", [
    ("DROP ALL", "Nur lesende"),
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "SERVICE"),
    ("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", "FROM"),
])
def test_the_endpoints_rules_hold_in_the_page(sample_store, monkeypatch, query, message):
    at = _run(sample_store, {"q": "custom", "sparql": query}, monkeypatch)
    assert message in at.error[0].value.replace("\\", "")
    assert not at.dataframe


def test_the_row_cap_truncates_with_a_warning(sample_store, monkeypatch):
    at = _run(sample_store, {"q": "custom", "sparql": "SELECT * WHERE { ?s ?p ?o }"}, monkeypatch, max_returned_rows=7)
    assert len(at.dataframe[0].value) == 7
    assert "Gekürzt" in at.warning[0].value
