"""The app's SPARQL page (AppTest): canned queries with parameters, the free editor, the URL, the rules."""

import pytest

from knotenpunkt.graph.queries import run_query
from knotenpunkt.graph.store import Store
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


@pytest.mark.browser
def test_the_endpoint_query_page_shows_a_503_with_its_reason(tmp_path):
    """A runaway query stopped by the worker limits shows its status and the setting to change on the YASGUI page."""
    import os
    import shutil

    from playwright.sync_api import sync_playwright

    from tests.conftest import ROOT
    from tests.test_endpoint import start_server
    from tests.test_security_endpoint import RUNAWAY

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(chromium):
        pytest.fail("chromium is not installed; run `make test`, which installs it")
    Store(tmp_path / "store").close()
    process, url = start_server(tmp_path / "store", query_time_limit_ms=1500, query_memory_mb=512)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu",
                                                                        "--disable-background-networking"])
            page = browser.new_page(viewport={"width": 1300, "height": 900})
            errors = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(url + "/sparql")
            page.locator(".yasqe .CodeMirror").wait_for(timeout=20_000)
            page.evaluate(f"window.knotenpunktYasgui.getTab().setQuery({RUNAWAY!r}); 0")
            page.locator(".yasqe_queryButton").click()
            page.locator(".yasr .errorResult", has_text="503").wait_for(timeout=30_000)
            shown = page.locator(".yasr .errorResult").inner_text()
            (ROOT / "tests" / "screenshots").mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ROOT / "tests" / "screenshots" / "sparql-endpoint-503.png"))
            browser.close()
    finally:
        process.terminate()
        process.wait(10)
    assert errors == []
    assert "abgebrochen" in shown
    assert "query_time_limit_ms" in shown or "query_memory_mb" in shown  # the setting to change
