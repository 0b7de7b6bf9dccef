"""The Streamlit app, run headless with AppTest.

The entry point (app.py) is run as a whole for the default page. The other pages are
callables registered with ``st.navigation`` under their own ``url_path``; AppTest's
``switch_page`` only reaches file pages, so each page is run by a two-line script
(`_page_script`) that initialises the session as app.py does and calls the page's
``render()`` — the same function ``st.navigation`` runs.
"""

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from knotenpunkt.graph.extract import HF_SCHEME, ZG_SCHEME, load_frames
from knotenpunkt.graph.store import Store, writing
from knotenpunkt.ingest.importer import import_files
from knotenpunkt.ingest.review import value_table
from knotenpunkt.pages.i18n import plain
from knotenpunkt.pages.state import Keys
from tests.conftest import ROOT

PAGES = ("overview", "importer", "measures", "organisations", "network", "gaps", "duplicates", "sparql", "export")


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory, sample_workbook):
    path = tmp_path_factory.mktemp("appstore") / "store"
    with writing(path) as g:
        import_files([sample_workbook], g)
    return str(path)


@pytest.fixture(scope="module")
def sample_frames(sample_store):
    g = Store(sample_store, read_only=True)
    try:
        return load_frames(g)
    finally:
        g.close()


EVIL_ORG = "<img src=x onerror=alert(1)>"
EVIL_TITLE = 'Kurs <a href="javascript:alert(2)">x</a>'


@pytest.fixture(scope="module")
def tiny_store(tmp_path_factory):
    """Two measures, one provider named like an HTML element, one title with a javascript: link."""
    import openpyxl

    folder = tmp_path_factory.mktemp("tiny")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["lfd. Nr.", "Maßnahme / Angebot", "Träger", "Kooperationspartner", "Zielgruppe(n)", "Handlungsfeld",
                  "Sozialraum / Stadtteil"])
    sheet.append(["X-1", EVIL_TITLE, EVIL_ORG, "Caritas Wetzlar", "Frauen", "Sprache", "Dalheim"])
    sheet.append(["X-2", "Sprachcafé", "Caritas Wetzlar", EVIL_ORG, "Geflüchtete", "Sprache", "Dalheim"])
    book.save(folder / "wetzlar_klein.xlsx")
    with writing(folder / "store") as g:
        import_files([folder / "wetzlar_klein.xlsx"], g)
    return str(folder / "store")


@pytest.fixture(autouse=True)
def _clear_caches():
    st.cache_data.clear()
    st.cache_resource.clear()


def _run(store_path, monkeypatch, lang=None):
    monkeypatch.setenv("KNOTENPUNKT_STORE", store_path)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    if lang:
        at.query_params["lang"] = lang
    return at.run()


def _page_script(name):
    import importlib

    from knotenpunkt.pages.state import init_session_state

    init_session_state()
    importlib.import_module(f"knotenpunkt.pages.{name}").render()


def _page(name, store_path, *, lang=None, state=None):
    """An AppTest of one page with its session state seeded (not yet run)."""
    at = AppTest.from_function(_page_script, args=(name,), default_timeout=60)
    at.session_state[Keys.STORE_PATH] = store_path
    for key, value in (state or {}).items():
        at.session_state[key] = value
    if lang:
        at.query_params["lang"] = lang
    return at


def _measures_in(path):
    g = Store.reader(path)
    try:
        return g.select("SELECT (COUNT(*) AS ?n) WHERE { ?m a <https://w3id.org/knotenpunkt/def#Measure> }")[0]["n"]
    finally:
        g.close()


def _at(expected):
    return dt.date.fromisoformat(expected["at"])


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
    assert plain("Senior*innen <img src=x> [a](b)") == "Senior\\*innen \\<img src=x\\> \\[a\\]\\(b\\)"


def test_overview_in_english(sample_store, monkeypatch):
    at = _run(sample_store, monkeypatch, lang="en")
    assert not at.exception
    assert "Measures" in [m.label for m in at.metric]


def test_empty_store_says_how_to_import(tmp_path, monkeypatch):
    at = _run(str(tmp_path / "empty"), monkeypatch)
    assert not at.exception
    assert "Seite „Import“" in at.info[0].value and "knotenpunkt" not in at.info[0].value  # no command line in the UI


def test_overview_says_what_changed_since_the_previous_import(tmp_path, sample_workbook, expected):
    import openpyxl

    path = tmp_path / "store"
    with writing(path) as g:
        import_files([sample_workbook], g, label="Sitzung 1")
    book = openpyxl.load_workbook(sample_workbook)
    book[expected["sheets"]["measures"]].delete_rows(expected["ground_truth"]["M-001"]["row"])
    (tmp_path / "next").mkdir()
    book.save(tmp_path / "next" / sample_workbook.name)
    with writing(path) as g:
        import_files([tmp_path / "next" / sample_workbook.name], g, label="Sitzung 2")
    at = _page("overview", str(path)).run()
    assert not at.exception
    assert "Seit der letzten Sitzung" in [h.value for h in at.subheader]
    assert "Verglichen mit: Sitzung 1" in [c.value for c in at.caption]
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["beendete Angebote"], metrics["neue Angebote"]) == ("1", "0")
    ended = next(e for e in at.expander if e.label.startswith("beendete Angebote"))
    assert plain(expected["ground_truth"]["M-001"]["title"]) in ended.markdown[0].value


def test_overview_without_an_earlier_import_says_so(sample_store):
    at = _page("overview", sample_store).run()
    assert "Noch kein früherer Import zum Vergleichen." in [c.value for c in at.caption]


def test_every_text_key_is_written_once():
    import tomllib

    from knotenpunkt.graph.texts import TEXTS

    assert "ui.app_title" in TEXTS  # the app's texts are the ui.* part of the one catalogue
    with pytest.raises(tomllib.TOMLDecodeError):  # and the catalogue's format refuses a key written twice
        tomllib.loads('[ui.a]\nde = "x"\nen = "x"\n[ui.a]\nde = "y"\nen = "y"\n')


def test_every_text_has_both_languages():
    from knotenpunkt.pages.i18n import LANGUAGES, TEXTS

    assert [key for key, texts in TEXTS.items() if set(texts) != set(LANGUAGES) or not all(texts.values())] == []


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("name", PAGES)
def test_every_page_runs_on_the_sample(name, lang, sample_store):
    at = _page(name, sample_store, lang=lang).run()
    assert not at.exception
    assert at.title


@pytest.mark.parametrize("name", PAGES)
def test_every_page_runs_on_an_empty_store(name, tmp_path):
    at = _page(name, str(tmp_path / "empty")).run()
    assert not at.exception


@pytest.mark.parametrize("name", PAGES)
def test_every_page_runs_on_a_tiny_inventory_with_markup_in_names(name, tiny_store):
    at = _page(name, tiny_store).run()
    assert not at.exception
    shown = " ".join(e.value for kind in ("markdown", "header", "subheader", "caption") for e in getattr(at, kind))
    assert EVIL_ORG not in shown and EVIL_TITLE not in shown  # markdown is always escaped


@pytest.fixture(scope="module")
def initiatives_store(tmp_path_factory):
    """A list of initiatives: organisations with addresses and descriptions, no measures."""
    folder = tmp_path_factory.mktemp("initiatives")
    (folder / "initiativen.csv").write_text(
        "name,street,number,city code,city,desc,homepage\n"
        "Helferkreis Asyl Musterdorf,Hauptstraße,5,12345,Musterdorf,Sprachpaten und Begleitung,https://hk.example\n"
        "Flüchtlingshilfe Beispielstadt,,,,Beispielstadt,Kleiderkammer,\n", encoding="utf-8")
    with writing(folder / "store") as g:
        import_files([folder / "initiativen.csv"], g, city="Landkreis Musterkreis")
    return str(folder / "store")


@pytest.mark.parametrize("name", ["organisations", "network", "duplicates", "export"])
def test_a_list_of_initiatives_shows_its_organisations(name, initiatives_store):
    at = _page(name, initiatives_store).run()
    assert not at.exception and not at.info  # no "no data yet"


@pytest.mark.parametrize("name", ["overview", "measures", "gaps"])
def test_a_list_of_initiatives_says_offers_are_missing(name, initiatives_store):
    at = _page(name, initiatives_store).run()
    assert not at.exception
    assert "2 Organisationen, aber noch keine Angebote" in at.info[0].value


def test_an_organisations_profile_shows_its_address_website_and_description(initiatives_store):
    g = Store(initiatives_store, read_only=True)
    try:
        frames = load_frames(g)
    finally:
        g.close()
    org = next(iri for iri, (de, _) in frames.labels.items() if de == "Helferkreis Asyl Musterdorf")
    at = _page("organisations", initiatives_store, state={Keys.ORGANISATION: org}).run()
    shown = [m.value for m in at.markdown]
    assert "**Adresse:** Hauptstraße 5, 12345 Musterdorf" in shown
    assert "**Beschreibung:** Sprachpaten und Begleitung" in shown
    assert "**Website:** <https://hk.example>" in shown


def test_organisation_named_like_markup_is_escaped_on_its_profile(tiny_store):
    at = _page("organisations", tiny_store).run()
    assert [h.value for h in at.header] == [plain(EVIL_ORG)]  # the first organisation by name


def test_measures_filtered_by_district_and_day_are_that_districts_active_measures(sample_store, sample_frames,
                                                                                   expected):
    district = next(iri for iri, label in zip(sample_frames.districts["district"], sample_frames.districts["label"])
                    if iri.endswith("/dalheim"))
    at = _page("measures", sample_store, state={"measures_district": [district], "measures_start": _at(expected),
                                                "measures_end": _at(expected)}).run()
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == expected["gaps"]["active_measures_per_district"]["dalheim"]
    assert all("Dalheim" in d for d in table["Stadtteil"])


def test_measure_detail_shows_its_source_row(sample_store, sample_frames, expected):
    truth = expected["ground_truth"]["M-001"]
    measure = sample_frames.measures.loc[sample_frames.measures["source_id"] == "M-001", "measure"].iloc[0]
    at = _page("measures", sample_store, state={Keys.MEASURE: measure}).run()
    assert not at.exception
    assert truth["title"] in [h.value for h in at.subheader]
    provenance = at.dataframe[1].value
    assert provenance[["Datei", "Blatt", "Zeile"]].values.tolist() == [
        [expected["workbook"], expected["sheets"]["measures"], truth["row"]]]


def test_measures_text_search_in_english_uses_english_labels(sample_store, sample_frames, expected):
    truth = expected["ground_truth"]["M-001"]
    english = [sample_frames.label(ZG_SCHEME + key, "en") for key in truth["target_groups"]]
    assert english != [sample_frames.label(ZG_SCHEME + key) for key in truth["target_groups"]]
    at = _page("measures", sample_store, lang="en", state={"measures_text": truth["title"]}).run()
    table = at.dataframe[0].value
    assert table["Measure"].tolist() == [truth["title"]]
    assert table["Target group"].tolist() == [", ".join(sorted(english))]


def test_gaps_page_shows_the_planted_zero_cells(sample_store, sample_frames, expected):
    at = _page("gaps", sample_store, state={Keys.AT: _at(expected)}).run()
    assert not at.exception
    zeros = {tuple(r) for r in at.dataframe[2].value.values.tolist()}  # after the ranked top and full lists
    planted = {(sample_frames.label(ZG_SCHEME + z["target_group"]), sample_frames.label(HF_SCHEME + z["field"]))
               for z in expected["gaps"]["zero_cells"]}
    assert planted <= zeros


def test_gaps_page_for_an_unserved_district_marks_every_cell(sample_store, sample_frames, expected):
    district = next(iri for iri in sample_frames.districts["district"]
                    if iri.endswith("/" + expected["gaps"]["unserved_districts"][0]))
    at = _page("gaps", sample_store, state={Keys.AT: _at(expected), "gaps_district": district}).run()
    targets = sum(1 for c in sample_frames.ancestors["concept"].unique() if c.startswith(ZG_SCHEME))
    fields = sum(1 for iri in sample_frames.labels if iri.startswith(HF_SCHEME))
    assert len(at.dataframe[2].value) == targets * fields


def test_gaps_page_lists_the_most_needed_empty_cells_first(sample_store, sample_frames, expected):
    at = _page("gaps", sample_store, state={Keys.AT: _at(expected)}).run()
    assert not at.exception
    assert "Zuerst angehen" in [h.value for h in at.subheader]
    top, full = at.dataframe[0].value, at.dataframe[1].value
    assert len(top) == 10 and len(full) > len(top)
    need = full["Bedarf: Menschen mit Migrationsgeschichte ohne Angebot vor Ort"].map(
        lambda v: float(v.replace(".", "").replace(",", ".")))
    assert need.is_monotonic_decreasing and need.iloc[0] > need.iloc[-1]
    assert full["Rang"].tolist() == list(range(1, len(full) + 1))
    assert top["Zielgruppe"].nunique() > 3 and top["Handlungsfeld"].nunique() > 3  # equal need: groups take turns
    planted = {(sample_frames.label(ZG_SCHEME + z["target_group"]), sample_frames.label(HF_SCHEME + z["field"]))
               for z in expected["gaps"]["zero_cells"]}
    assert planted <= set(zip(full["Zielgruppe"], full["Handlungsfeld"]))


def test_rank_gaps_puts_a_cell_missing_in_a_populous_district_first(sample_frames, expected):
    from knotenpunkt.graph import gaps

    day = _at(expected)
    ranked = gaps.rank_gaps(sample_frames, day, day, thin=0)
    residents = gaps.supply(sample_frames, day, day).set_index("district")["residents_with_migration"]
    assert ranked["need"].iloc[0] <= residents.sum()
    assert (ranked["measures"] == 0).all()
    assert ranked["need"].tolist() == sorted(ranked["need"], reverse=True)


def test_heatmap_sorts_umlauts_with_their_base_letter(sample_frames, expected):
    from knotenpunkt.graph import gaps
    from knotenpunkt.pages.gaps import _heatmap

    matrix = gaps.coverage_matrix(sample_frames, _at(expected), _at(expected))
    spec = _heatmap(matrix, sample_frames, "de").to_dict()
    rows = spec["layer"][0]["encoding"]["y"]["sort"]
    assert spec["layer"][0]["encoding"]["y"]["title"] is None  # no axis title over the labels
    elder = next(r for r in rows if r.startswith("Ältere"))
    assert rows.index(elder) < len(rows) // 2  # "Ä" sorts as "A", not after "Z"


def test_organisation_profile_shows_its_other_names_and_measures(sample_store, sample_frames, expected):
    merged = expected["organisations"]["merged"][0]
    org = next(iri for iri, (de, _) in sample_frames.labels.items() if de == merged["canonical"])
    at = _page("organisations", sample_store, state={Keys.ORGANISATION: org}).run()
    assert not at.exception
    assert at.header[0].value == plain(merged["canonical"])
    names = " ".join(m.value for m in at.markdown)
    assert all(plain(variant) in names for variant in merged["variants"] if variant != merged["canonical"])
    provided = {m for m, truth in expected["ground_truth"].items() if truth["provider"] == merged["canonical"]}
    assert provided & set(at.dataframe[0].value["Nr."])


def test_network_page_draws_every_organisation_of_the_graph(sample_store, sample_frames):
    from knotenpunkt.graph.network import build_cooperation_graph

    at = _page("network", sample_store).run()
    assert not at.exception
    caption = " ".join(c.value for c in at.caption)
    G = build_cooperation_graph(sample_frames)
    assert f"{len(G)} Organisationen, {G.number_of_edges()} Verbindungen" in caption


def test_network_ego_network_of_one_hop_is_the_organisation_and_its_partners(sample_store, sample_frames):
    from knotenpunkt.graph.network import build_cooperation_graph

    G = build_cooperation_graph(sample_frames)
    hub = max(G, key=G.degree)
    at = _page("network", sample_store, state={"network_focus": hub}).run()
    caption = " ".join(c.value for c in at.caption)
    assert f"{G.degree(hub) + 1} Organisationen" in caption


def test_network_above_the_limit_shows_groups_and_drills_down_into_one(sample_store, sample_frames, monkeypatch):
    from knotenpunkt.graph.network import build_cooperation_graph

    monkeypatch.setattr("knotenpunkt.pages.network.AGGREGATE_LIMIT", 10)  # the sample's ~60 organisations count as "many"
    G = build_cooperation_graph(sample_frames)
    types = {G.nodes[n]["type"] for n in G}
    at = _page("network", sample_store).run()
    assert not at.exception
    assert f"zusammengefasst zu {len(types)} Gruppen" in at.info[0].value
    group = at.selectbox(key="network_group")
    sizes = [int(option.rsplit("(", 1)[1].rstrip(")")) for option in group.options]
    assert sum(sizes) == len(G)
    at = group.select_index(0).run()
    assert f"{sizes[0]} Organisationen" in " ".join(c.value for c in at.caption)


def test_duplicates_page_lists_the_uncoordinated_overlaps(sample_store, expected):
    at = _page("duplicates", sample_store, state={Keys.AT: _at(expected)}).run()
    assert not at.exception
    shown = [set(e.children[1].value["Nr."]) for e in at.expander]
    assert all(any(set(p["measures"]) <= ids for ids in shown) for p in expected["overlaps"]["uncoordinated"])


def _buttons(at, prefix):
    return [b for b in at.button if b.key and b.key.startswith(prefix)]


def test_a_merge_on_the_duplicates_page_applies_at_once_and_can_be_undone(sample_store, tmp_path):
    path = tmp_path / "store"
    shutil.copytree(sample_store, path)
    at = _page("duplicates", str(path)).run()
    heading = next(h.value for h in at.subheader if h.value.startswith("Mögliche Dubletten"))
    organisations = len(load_frames(Store.reader(str(path))).organisations)
    _buttons(at, "org_same_")[0].click().run()
    assert not at.exception
    assert len(load_frames(Store.reader(str(path))).organisations) == organisations - 1  # no new import needed
    assert "entschieden: dieselbe Organisation" in " ".join(m.value for m in at.markdown)
    assert next(h.value for h in at.subheader if h.value.startswith("Mögliche Dubletten")) != heading
    decisions = Store(path, read_only=True).read_json("mapping.json", {})["organisations"]
    assert len(decisions["same"]) == 1  # remembered for the next import
    _buttons(at, "org_undo_")[0].click().run()
    assert not at.exception
    assert not _buttons(at, "org_undo_")  # back to open
    assert next(h.value for h in at.subheader if h.value.startswith("Mögliche Dubletten")) == heading
    assert len(load_frames(Store.reader(str(path))).organisations) == organisations
    decisions = Store(path, read_only=True).read_json("mapping.json", {})["organisations"]
    assert decisions["same"] == []


def test_overview_counts_merged_organisations_once(sample_store, tmp_path):
    path = tmp_path / "store"
    shutil.copytree(sample_store, path)
    before = {m.label: m.value for m in _page("overview", str(path)).run().metric}["Organisationen"]
    at = _page("duplicates", str(path)).run()
    _buttons(at, "org_same_")[0].click().run()
    st.cache_data.clear()
    after = {m.label: m.value for m in _page("overview", str(path)).run().metric}["Organisationen"]
    assert int(after) == int(before) - 1


def test_duplicates_page_searches_and_pages_the_overlaps(sample_store, expected):
    at = _page("duplicates", sample_store, state={Keys.AT: _at(expected)}).run()
    total = len(at.expander)
    at.text_input(key="overlaps_search").input("zzzz-nichts").run()
    assert not at.exception
    assert "Nichts passt zur Suche." in [c.value for c in at.caption]
    assert len(at.expander) < total


def test_import_page_writes_nothing_until_commit(tmp_path, sample_workbook, expected):
    path = str(tmp_path / "store")
    at = _page("importer", path).run()
    at.file_uploader[0].set_value((sample_workbook.name, sample_workbook.read_bytes(),
                                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")).run()
    assert not at.exception
    sheets = at.dataframe[0].value
    assert set(expected["sheets"].values()) <= set(sheets["Blatt"])
    assert {m.label: m.value for m in at.metric}["abgelehnt"] == str(len(expected["rejected"]))
    at.multiselect(key="import_status").set_value(["rejected"]).run()
    report = at.dataframe[-1].value
    assert report["Zeile"].tolist() == [r["row"] for r in expected["rejected"]]
    assert _measures_in(path) == 0
    uploads = Path(at.session_state[Keys.IMPORT_DIR])
    assert (uploads / sample_workbook.name).read_bytes() == sample_workbook.read_bytes()  # kept its name
    at.button(key="import_commit").click().run()
    assert not at.exception
    assert "Übernommen" in at.success[0].value
    assert not uploads.exists()
    assert _measures_in(path) == expected["measures_imported"]


def test_import_page_reports_a_store_held_by_another_writer(tmp_path, sample_workbook):
    path = str(tmp_path / "store")
    at = _page("importer", path).run()
    at.file_uploader[0].set_value((sample_workbook.name, sample_workbook.read_bytes(), "application/octet-stream")).run()
    with writing(path):  # another import is writing right now
        at.button(key="import_commit").click().run()
    assert not at.exception
    assert "--store" in at.error[0].value  # the store's message: what happened and which option
    assert _measures_in(path) == 0


def test_the_english_import_page_shows_the_store_error_in_english(tmp_path, sample_workbook, monkeypatch):
    monkeypatch.setenv("KNOTENPUNKT_LANGUAGE", "en")  # the setting is the app's default language
    path = str(tmp_path / "store")
    at = _page("importer", path).run()
    at.file_uploader[0].set_value((sample_workbook.name, sample_workbook.read_bytes(), "application/octet-stream")).run()
    assert at.button(key="import_commit").label == "Commit to the store"
    with writing(path):
        at.button(key="import_commit").click().run()
    assert not at.exception
    assert "is being written by process" in at.error[0].value and "--store" in at.error[0].value


def test_import_page_maps_a_free_text_value_as_the_user_decides(tmp_path, sample_workbook, sample_frames):
    path = str(tmp_path / "store")
    at = _page("importer", path).run()
    at.file_uploader[0].set_value((sample_workbook.name, sample_workbook.read_bytes(), "application/octet-stream")).run()
    before = at.session_state[Keys.IMPORT_PLAN]
    text = next(e["text"] for r in before.report["rows"] for e in r["mapped"].get("target_groups") or []
                if e["how"] == "unmapped")
    aeltere = sample_frames.label(ZG_SCHEME + "aeltere")
    rows = value_table(before)  # the editor shows the values in this order
    index = list(rows[rows["role"] == "target_groups"]["text"]).index(text)
    at.session_state["values_target_groups"] = {"edited_rows": {index: {"choice": aeltere}}, "added_rows": [],
                                                "deleted_rows": []}
    at.button(key="import_replan").click().run()
    assert not at.exception
    after = at.session_state[Keys.IMPORT_PLAN]
    assert after.user_mapping["values"]["target_groups"][text] == ZG_SCHEME + "aeltere"
    assert text not in set(value_table(after)["text"])


def _unknown_header_workbook(folder):
    """Two measures whose title column is headed "Was wir machen", a header no synonym knows."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Kurse"
    sheet.append(["Kursübersicht – Stand 11/2026"])
    sheet.append([])
    sheet.append(["Was wir machen", "Träger", "Zielgruppe", "Handlungsfeld", "Stadtteil"])
    sheet.append(["Deutsch im Quartier", "Caritas Wetzlar", "Frauen", "Sprache", "Dalheim"])
    sheet.append(["Nähcafé", "AWO Wetzlar", "Geflüchtete", "Partizipation und Engagement", "Niedergirmes"])
    path = folder / "kurse.xlsx"
    book.save(path)
    return path


def test_import_page_maps_an_unknown_column_header_in_the_app_and_commits(tmp_path):
    workbook = _unknown_header_workbook(tmp_path)
    path = str(tmp_path / "store")
    at = _page("importer", path).run()
    at.file_uploader[0].set_value((workbook.name, workbook.read_bytes(), "application/octet-stream")).run()
    assert not at.exception  # a measures table without a title column: the column editor opens
    warning = at.warning[0].value
    assert "Kurse" in warning and "Titel des Angebots" in warning and "--mapping" not in warning
    assert not at.error
    editor = at.session_state[Keys.IMPORT_FIX]
    index = editor["headers"].index("Was wir machen")
    at.session_state["import_fix_measures"] = {"edited_rows": {index: {"role": "Titel des Angebots"}},
                                               "added_rows": [], "deleted_rows": []}
    at.button(key="import_fix_replan").click().run()
    assert not at.exception
    plan = at.session_state[Keys.IMPORT_PLAN]
    assert plan.counts["imported"] + plan.counts["warning"] == 2
    at.button(key="import_commit").click().run()
    assert not at.exception
    assert _measures_in(path) == 2
    remembered = Store(path, read_only=True).read_json("mapping.json", {})
    assert remembered["columns"]["Kurse"]["Was wir machen"] == "title"  # the same mapping the CLI writes


def test_error_page_instead_of_a_traceback(sample_store, monkeypatch):
    def broken():
        raise RuntimeError("kaputt")

    monkeypatch.setattr("knotenpunkt.pages.overview.render", broken)
    at = _run(sample_store, monkeypatch)
    assert not at.exception
    assert "konnte nicht vollständig angezeigt werden" in at.error[0].value
    assert "kaputt" not in " ".join(m.value for m in at.markdown)


def test_a_measure_is_corrected_in_the_app_at_once_and_the_correction_can_be_undone(sample_store, sample_frames,
                                                                                    tmp_path, expected):
    path = tmp_path / "store"
    shutil.copytree(sample_store, path)
    truth = expected["ground_truth"]["M-001"]
    measure = next(m for m in sample_frames.measures["measure"] if m.endswith("/m-001"))
    at = _page("measures", str(path), state={Keys.MEASURE: measure}).run()
    assert not at.exception
    at.text_input(key="fix_title").input("Sprachkurs (korrigiert)")
    at.date_input(key="fix_end").set_value(dt.date(2030, 6, 30))
    submit = next(b for b in at.button if b.label == "Korrektur speichern")
    submit.click().run()
    assert not at.exception
    frames = load_frames(Store.reader(str(path)))
    row = frames.measures[frames.measures["measure"] == measure].iloc[0]
    assert (row["title"], row["end"]) == ("Sprachkurs (korrigiert)", dt.date(2030, 6, 30))
    assert "Sprachkurs (korrigiert)" in at.dataframe[0].value["Angebot"].tolist()  # the table shows it at once
    assert any("In der App korrigiert" in i.value for i in at.info)
    next(b for b in at.button if b.label == "Korrektur zurücknehmen").click().run()
    assert not at.exception
    frames = load_frames(Store.reader(str(path)))
    assert frames.measures[frames.measures["measure"] == measure].iloc[0]["title"] == truth["title"]


def test_the_measures_table_shows_an_empty_cell_empty_and_a_date_as_a_date(tiny_store, sample_store):
    empty = _page("measures", tiny_store).run().dataframe[0].value  # the tiny inventory names no dates
    assert set(empty["Beginn"]) == {""} and "None" not in empty.to_string()
    dated = _page("measures", sample_store).run().dataframe[0].value
    assert all(len(day) == 10 and day[4] == "-" for day in dated["Beginn"] if day)
