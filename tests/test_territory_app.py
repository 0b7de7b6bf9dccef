"""The app names the territory with its kind: the import page ("Land: Hessen · 2 Zeilen gelesen"), a field to
name it when the files do not say it, the overview, and the gaps page's places ("Gemeinde", "ganzes Land")."""

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from knotenpunkt.graph.store import writing
from knotenpunkt.ingest.importer import import_files
from knotenpunkt.pages.state import Keys

_CSV = ("Angebot;Träger;Zielgruppe;Handlungsfeld;Ort\n"
        "Sprachcafé;AWO;Geflüchtete;Sprache;Bergheim\n"
        "Deutschkurs;Caritas;Frauen;Sprache;Talhausen\n")


@pytest.fixture(autouse=True)
def _clear_caches():
    st.cache_data.clear()
    st.cache_resource.clear()


def _page_script(name):
    import importlib

    from knotenpunkt.pages.state import init_session_state

    init_session_state()
    importlib.import_module(f"knotenpunkt.pages.{name}").render()


def _page(name, store_path, *, lang=None):
    at = AppTest.from_function(_page_script, args=(name,), default_timeout=60)
    at.session_state[Keys.STORE_PATH] = store_path
    if lang:
        at.query_params["lang"] = lang
    return at


def _upload(tmp_path, file_name, *, lang=None):
    at = _page("importer", str(tmp_path / "store"), lang=lang).run()
    return at.file_uploader[0].set_value((file_name, _CSV.encode("utf-8"), "text/csv")).run()


@pytest.mark.parametrize("file_name, lang, shown", [
    ("liste_der_vorhaben_hessen.csv", None, "Land: Hessen · 2 Zeilen gelesen"),
    ("angebote_landkreis_giessen.csv", None, "Landkreis: Gießen · 2 Zeilen gelesen"),
    ("angebote_wetzlar.csv", None, "Stadt: Wetzlar · 2 Zeilen gelesen"),
    ("liste_der_vorhaben_hessen.csv", "en", "State: Hessen · 2 rows read"),
    ("angebote_wetzlar.csv", "en", "City: Wetzlar · 2 rows read"),
])
def test_the_import_page_names_the_territory_with_its_kind(tmp_path, file_name, lang, shown):
    at = _upload(tmp_path, file_name, lang=lang)
    assert not at.exception
    assert at.info[0].value == shown


def test_the_import_page_asks_for_a_territory_the_files_do_not_name(tmp_path):
    at = _upload(tmp_path, "angebote.csv")
    assert not at.exception
    assert at.info[0].value == "Gebiet: nicht erkannt · 2 Zeilen gelesen"
    assert "Landkreis Gießen" in at.warning[0].value
    at.text_input(key="import_city_input").input("Landkreis Gießen").run()
    assert not at.exception
    assert at.info[0].value == "Landkreis: Gießen · 2 Zeilen gelesen"
    assert not [w for w in at.warning if "Landkreis Gießen" in w.value]  # the field is gone once it is known
    assert at.session_state[Keys.IMPORT_PLAN].city.kind == "Kreis"


def test_a_recognised_territory_asks_nothing(tmp_path):
    at = _upload(tmp_path, "liste_der_vorhaben_hessen.csv")
    assert "import_city_input" not in [w.key for w in at.text_input]


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    """A store of a Land, of a Landkreis and of a city, each from the same small list."""
    out = {}
    for city in ("Hessen", "Landkreis Gießen", "Lahnau"):
        folder = tmp_path_factory.mktemp("territory")
        (folder / "angebote.csv").write_text(_CSV, encoding="utf-8")
        with writing(folder / "store") as g:
            import_files([folder / "angebote.csv"], g, city=city)
        out[city] = str(folder / "store")
    return out


@pytest.mark.parametrize("city, lang, shown, places", [
    ("Hessen", None, "Land: Hessen", "Gemeinden"),
    ("Landkreis Gießen", None, "Landkreis: Gießen", "Gemeinden"),
    ("Lahnau", None, "Stadt: Lahnau", "Stadtteile"),
    ("Hessen", "en", "State: Hessen", "Municipalities"),
])
def test_the_overview_names_the_territory_and_its_places(stores, city, lang, shown, places):
    at = _page("overview", stores[city], lang=lang).run()
    assert not at.exception
    assert shown in [m.value.replace("*", "") for m in at.markdown]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[places] == "2"
    assert not {"Stadtteile", "Districts"} & set(metrics) or city == "Lahnau"


@pytest.mark.parametrize("city, label, whole", [
    ("Hessen", "Gemeinde", "ganzes Land"),
    ("Landkreis Gießen", "Gemeinde", "ganzer Landkreis"),
    ("Lahnau", "Stadtteil", "ganze Stadt"),
])
def test_the_gaps_page_names_the_places_and_the_whole_territory(stores, city, label, whole):
    at = _page("gaps", stores[city]).run()
    assert not at.exception
    choice = at.selectbox(key="gaps_district")
    assert choice.label == label and choice.options[0] == whole
