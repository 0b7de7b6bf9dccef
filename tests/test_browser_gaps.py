"""The gaps page in a real browser says when its cells cannot show gaps, instead of ranking empty cells."""

import pytest

from knotenpunkt.graph.store import writing
from knotenpunkt.ingest.importer import import_files
from tests.test_browser import _german_only, _open, _shot, _start_app, _stop_app, chromium, page  # noqa: F401

pytestmark = pytest.mark.browser


def _app(tmp_path, lines):
    source = tmp_path / "angebote_wetzlar.csv"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    store = tmp_path / "store"
    with writing(store) as s:
        import_files([source], s, city="Wetzlar")
    return _start_app(store)


def test_gaps_page_says_gaps_cannot_be_assessed_without_mapped_fields(page, tmp_path):
    proc, url = _app(tmp_path, ["Titel;Träger;Zielgruppe;Themen",
                                "Sprechstunde;Caritas;Frauen;Blau",
                                "Gesprächskreis;AWO;Kinder;Grün"])
    try:
        _open(page, url + "/luecken", "Lückenanalyse nicht möglich")
        _german_only(page)
        assert page.get_by_text("Zuerst angehen").count() == 0
        assert page.get_by_text("Abdeckung Zielgruppe × Handlungsfeld").count() == 0
        assert page.get_by_text("Bedarf und Angebot je Stadtteil").count() == 0  # no district mapped either
        _shot(page, "luecken_nicht_bewertbar")
    finally:
        _stop_app(proc)


def test_gaps_page_counts_measures_that_count_in_no_cell(page, tmp_path):
    proc, url = _app(tmp_path, ["Titel;Träger;Zielgruppe;Handlungsfeld",
                                "Sprachcafé;Caritas;Frauen;Sprache",
                                "Gesprächskreis;AWO;Kinder;Grün",
                                "Hausaufgabenhilfe;AWO;Kinder;Schule"])
    try:
        _open(page, url + "/luecken", "Zuerst angehen")
        page.get_by_text("1 von 3 Angeboten haben keine zugeordnete Zielgruppe").wait_for(timeout=30_000)
    finally:
        _stop_app(proc)
