"""The Streamlit app, run headless with AppTest from the entry point."""

import pytest
from streamlit.testing.v1 import AppTest

from graph.store import Store
from ingest.importer import import_files
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory, sample_workbook):
    path = tmp_path_factory.mktemp("appstore") / "store"
    import_files([sample_workbook], Store(path))
    return str(path)


def _run(store_path, monkeypatch, lang=None):
    monkeypatch.setenv("KNOTENPUNKT_STORE", store_path)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    if lang:
        at.query_params["lang"] = lang
    return at.run()


def test_overview_shows_the_sample_counts(sample_store, monkeypatch, expected):
    at = _run(sample_store, monkeypatch)
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Angebote und Maßnahmen"] == str(expected["measures_imported"])
    assert int(metrics["Organisationen"]) >= expected["counts"]["organisations_min"]
    assert metrics["Stadtteile"] == str(expected["counts"]["districts"])


def test_overview_shows_the_top_findings_as_plain_text(sample_store, monkeypatch):
    at = _run(sample_store, monkeypatch)
    shown = " ".join(m.value for m in at.markdown)
    assert "Wichtigste Befunde" in " ".join(h.value for h in at.subheader)
    assert "kein Angebot vor Ort" in shown  # an unserved district of the sample


def test_plain_escapes_markdown_and_html_in_data():
    from pages.i18n import plain

    assert plain("Senior*innen <img src=x> [a](b)") == "Senior\\*innen \\<img src=x\\> \\[a\\]\\(b\\)"


def test_overview_in_english(sample_store, monkeypatch):
    at = _run(sample_store, monkeypatch, lang="en")
    assert not at.exception
    assert "Measures" in [m.label for m in at.metric]


def test_empty_store_says_how_to_import(tmp_path, monkeypatch):
    at = _run(str(tmp_path / "empty"), monkeypatch)
    assert not at.exception
    assert "knotenpunkt import" in at.info[0].value
