"""Importer features: mapping files, remembered decisions, ODS and RDF input."""

import json

import pytest
from typer.testing import CliRunner

from knotenpunkt.graph.errors import IngestError
from knotenpunkt.graph.store import Store
from knotenpunkt.ingest import mapping as mapping_file
from knotenpunkt.ingest.importer import import_files
from knotenpunkt.cli import app
from tests.conftest import DATA

ZG = "https://w3id.org/knotenpunkt/voc/zielgruppe/"


def _mapped(plan, text):
    return next(e for r in plan.report["rows"] for es in r["mapped"].values() if isinstance(es, list)
                for e in es if e.get("text") == text)


def test_written_mapping_lists_columns_and_undecided_values_and_reads_back(tmp_path, sample_workbook):
    runner = CliRunner()
    out = tmp_path / "mapping.json"
    result = runner.invoke(app, ["import", str(sample_workbook), "--store", str(tmp_path / "s"), "--dry-run",
                                 "--write-mapping", str(out)])
    assert result.exit_code == 0, result.output
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written["columns"]["Maßnahmen 2026"]["Träger"] == "provider"
    assert written["values"]["target_groups"]["Menschen in prekären Lebenslagen"] is None
    assert written["values"]["target_groups"]["Geflüchete"] == ZG + "gefluechtete"
    # The coordinator decides the unmapped value (by label) and passes the file back.
    written["values"]["target_groups"]["Menschen in prekären Lebenslagen"] = "Arbeitsuchende"
    mapping_file.write(out, written)
    plan = import_files([sample_workbook], Store(), mapping=mapping_file.load(out))
    entry = _mapped(plan, "Menschen in prekären Lebenslagen")
    assert (entry["iri"], entry["how"]) == (ZG + "arbeitsuchende", "user")


def test_mapping_with_an_unknown_concept_is_refused(sample_workbook):
    with pytest.raises(IngestError, match="kein bekannter Begriff"):
        import_files([sample_workbook], Store(), mapping={"values": {"target_groups": {"x": "Marsmenschen"}}})


def test_column_override_maps_an_unusual_header(tmp_path):
    path = tmp_path / "liste.csv"
    path.write_text("Was;Wer;Für wen\nSprachcafé;AWO;Geflüchtete\n", encoding="utf-8")
    with pytest.raises(IngestError, match="Keine Tabelle erkannt") as info:
        import_files([path], Store(), city="Wetzlar")
    assert info.value.template["columns"]["liste"] == {"Was": None, "Wer": None, "Für wen": "target_groups"}
    plan = import_files([path], Store(), city="Wetzlar",
                        mapping={"columns": {"*": {"Was": "title", "Wer": "provider"}}})
    assert plan.counts == {"rows": 1, "imported": 1, "warning": 0, "rejected": 0}


def test_organisation_decisions_are_kept_for_the_next_import(sample_workbook):
    g = Store()
    plan = import_files([sample_workbook], g)
    proposal = next(p for p in plan.report["organisations"]["proposals"]
                    if {p["a"], p["b"]} == {"Koordinationsbüro", "Koordinationsbüro Integration"})
    assert mapping_file.last_organisations(g)["proposals"]
    mapping_file.decide_organisations(g, proposal["a"], proposal["b"], "same")
    again = import_files([sample_workbook], g)
    merged = {v: m["canonical"] for m in again.report["organisations"]["merged"] for v in m["variants"]}
    assert merged["Koordinationsbüro Integration"] == merged["Koordinationsbüro"]
    mapping_file.decide_organisations(g, "AWO", "AWO Lahn-Dill", "different")
    third = import_files([sample_workbook], g)
    merged = {v: m["canonical"] for m in third.report["organisations"]["merged"] for v in m["variants"]}
    assert merged.get("AWO") != merged.get("AWO Lahn-Dill")


def test_ods_workbook_imports_like_the_xlsx():
    expected = json.loads((DATA / "othercity" / "expected.json").read_text(encoding="utf-8"))
    a, b = Store(), Store()
    plan_xlsx = import_files([DATA / "othercity" / "lahnfels_angebote.xlsx"], a)
    plan_ods = import_files([DATA / "othercity" / "lahnfels_angebote.ods"], b)
    assert plan_ods.counts == plan_xlsx.counts
    titles = lambda s: sorted(r["t"] for r in s.select("SELECT ?t WHERE { ?m a kp:Measure ; dct:title ?t }"))  # noqa: E731
    assert titles(a) == titles(b)
    assert len(titles(b)) == expected["measures_imported"]


def test_a_missing_reader_package_is_named_as_an_installation_problem(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def without_odfpy(name, *args, **kwargs):
        if name == "odf" or name.startswith("odf."):
            raise ModuleNotFoundError(f"No module named '{name}'", name=name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without_odfpy)
    with pytest.raises(IngestError) as caught:
        import_files([DATA / "othercity" / "lahnfels_angebote.ods"], Store())
    assert caught.value.code == "installation"
    assert "„odf“" in str(caught.value) and "make install" in str(caught.value)
    assert "beschädigt" not in str(caught.value)


def test_turtle_passes_through_validated(store):
    plan = import_files([DATA / "valid" / "measure-minimal.ttl"], store)
    assert plan.report["files"][0]["triples"] > 0
    assert store.select("SELECT ?t WHERE { ?m a kp:Measure ; dct:title ?t }") == [{"t": "Sprachcafé"}]


def test_jsonld_with_a_remote_context_is_refused(store, tmp_path):
    path = tmp_path / "remote.jsonld"
    path.write_text('{"@context": "http://127.0.0.1:9/context.jsonld", "@id": "http://example.org/x"}', encoding="utf-8")
    with pytest.raises(IngestError) as info:
        import_files([path], store)
    assert info.value.code == "remote_context"


def _data_quads(store):
    """The N-Quads lines of the data graphs (without the model and the import runs)."""
    return {line for line in store.export("nquads").decode().splitlines()
            if "/graph/data/" in line.rsplit(" ", 2)[-2]}


def test_an_edited_file_changes_only_what_changed(tmp_path, sample_workbook):
    import openpyxl

    g = Store()
    import_files([sample_workbook], g)
    before = _data_quads(g)
    wb = openpyxl.load_workbook(sample_workbook)
    ws = wb["Maßnahmen 2026"]
    ws["C6"] = ws["C6"].value + " (neu)"  # one description changed
    edited = tmp_path / sample_workbook.name  # same file name: the same source, a new version
    wb.save(edited)
    import_files([edited], g)
    changed = {line.split(" ")[0] for line in before ^ _data_quads(g)}
    assert changed == {"<https://w3id.org/knotenpunkt/id/wetzlar/massnahme/m-001>",
                       "<https://w3id.org/knotenpunkt/id/wetzlar/datei/wetzlar-integrationsangebote-xlsx>"}


def test_an_interrupted_import_leaves_the_store_as_it_was_or_complete(tmp_path, sample_workbook):
    import signal
    import subprocess
    import sys
    import time

    reference = Store()
    import_files([sample_workbook], reference)
    complete = _data_quads(reference)
    path = tmp_path / "store"
    Store(path)
    code = ("from graph.store import Store; from ingest.importer import import_files; "
            f"import_files([{str(sample_workbook)!r}], Store({str(path)!r}))")
    outcomes = []
    for delay in (0.5, 1.5, 2.5, 3.5):
        proc = subprocess.Popen([sys.executable, "-c", code])
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        state = _data_quads(Store(path, read_only=True))
        assert state in (set(), complete), f"partial import after {delay} s: {len(state)} of {len(complete)} quads"
        outcomes.append(bool(state))
        if state:
            break
    assert outcomes[0] is False  # at least one import really was interrupted before its commit


def _no_planning(*args, **kwargs):
    raise AssertionError("the unchanged file was read and mapped again")


def test_an_unchanged_file_is_not_imported_again(sample_workbook, monkeypatch):
    g = Store()
    first = import_files([sample_workbook], g)
    version = g.data_version()
    monkeypatch.setattr("knotenpunkt.ingest.importer.plan_import", _no_planning)
    again = import_files([sample_workbook], g)
    assert again.report["unchanged"] and again.report["changed"] == [] and again.report["run"] is None
    assert again.counts == first.counts and again.report["rows"] == first.report["rows"]
    assert g.data_version() == version


def test_an_unchanged_file_reports_no_change_in_the_cli(tmp_path, sample_workbook):
    runner = CliRunner()
    store = str(tmp_path / "store")
    assert runner.invoke(app, ["import", str(sample_workbook), "--store", store]).exit_code == 0
    result = runner.invoke(app, ["import", str(sample_workbook), "--store", store])
    assert result.exit_code == 0
    assert "Keine Änderung: der Bestand ist schon auf diesem Stand." in result.output
    assert "Zeilen: " in result.output


def test_a_changed_file_or_mapping_or_store_is_imported_again(tmp_path, sample_workbook, monkeypatch):
    g = Store()
    import_files([sample_workbook], g)
    copy = tmp_path / sample_workbook.name
    copy.write_bytes(sample_workbook.read_bytes() + b"\0")  # other bytes, same name
    calls = []
    real = __import__("knotenpunkt.ingest.importer", fromlist=["plan_import"]).plan_import
    monkeypatch.setattr("knotenpunkt.ingest.importer.plan_import", lambda *a, **k: calls.append(1) or real(*a, **k))
    import_files([copy], g)  # the bytes are read again
    assert calls == [1]
    import_files([sample_workbook], g, mapping={"city": "wetzlar"})  # another mapping
    assert calls == [1, 1]
    import_files([sample_workbook], g, mapping={"city": "wetzlar"})  # the same again: skipped
    assert calls == [1, 1]
    import_files([sample_workbook], g, mapping={"city": "wetzlar"}, add=True)  # another way of writing
    assert calls == [1, 1, 1]
    g.drop_graph(g.inventory_sources()[0])  # the store no longer holds what the import wrote
    import_files([sample_workbook], g, mapping={"city": "wetzlar"}, add=True)
    assert calls == [1, 1, 1, 1]


def test_a_dry_run_always_reads_the_file(sample_workbook, monkeypatch):
    g = Store()
    import_files([sample_workbook], g)
    monkeypatch.setattr("knotenpunkt.ingest.importer.plan_import", _no_planning)
    with pytest.raises(AssertionError):
        import_files([sample_workbook], g, dry_run=True)


def test_literals_written_directly_are_what_pyoxigraph_writes():
    import datetime as dt
    import random
    from decimal import Decimal

    import pyoxigraph as ox

    from knotenpunkt.ingest.builder import literal

    rng = random.Random(7)
    specials = [chr(c) for c in range(0x80)] + ["\ufffe", "\uffff", "\ufeff", "\u2028", "é", "„", "😀"]
    texts = ["".join(rng.choice(specials + ["a", " "]) for _ in range(rng.randint(0, 12))) for _ in range(3000)]
    assert all(literal(t) == str(ox.Literal(t)) for t in texts)
    xsd = "http://www.w3.org/2001/XMLSchema#"
    assert literal(12) == str(ox.Literal("12", datatype=ox.NamedNode(xsd + "integer")))
    assert literal(dt.date(2024, 2, 29)) == str(ox.Literal("2024-02-29", datatype=ox.NamedNode(xsd + "date")))
    assert literal(Decimal("0.1230"), datatype=xsd + "decimal") == '"0.1230"^^<http://www.w3.org/2001/XMLSchema#decimal>'
    assert literal("Gebiete", lang="de") == str(ox.Literal("Gebiete", language="de"))


def test_an_area_the_data_adds_is_named_once_then_mapped(tmp_path):
    """A district the data names first becomes an area (with an info on that row: with no list of areas, areas
    from the data are what is expected); later rows that name it map to that area without a message, also when a
    cell text recurs (the importer maps each cell text once)."""
    path = tmp_path / "massnahmen.csv"
    path.write_text("Maßnahme;Träger;Stadtteil;Zielgruppe\n"
                    "Sprachcafé;Caritas Beispielstadt;Nordviertel;Frauen\n"
                    "Lernhilfe;AWO Beispielstadt;Nordviertel;Kinder\n"
                    "Elterncafé;AWO Beispielstadt;Nordviertel, Südhang;Eltern\n", encoding="utf-8")
    plan = import_files([path], Store(), city="Beispielstadt", dry_run=True)
    rows = [([m["code"] for m in r["messages"]], [(e["text"], e["how"]) for e in r["mapped"]["districts"]])
            for r in plan.report["rows"]]
    assert rows == [(["district_from_data"], [("Nordviertel", "new")]),
                    ([], [("Nordviertel", "exact")]),
                    (["district_from_data"], [("Nordviertel", "exact"), ("Südhang", "new")])]
    assert plan.counts["warning"] == 0  # an area from the data asks for nothing


def test_the_location_column_of_a_list_of_operations_gives_postcodes_and_places(tmp_path):
    # the EU's lists of operations name "the postcode of the operation or another appropriate location indicator"
    path = tmp_path / "liste_der_vorhaben.csv"
    path.write_text(
        "Liste der Vorhaben – Europäischer Sozialfonds, Land Hessen\n\n"
        "Name des Begünstigten;Bezeichnung des Vorhabens;Datum des Beginns;"
        "Postleitzahl des Vorhabens oder andere angemessene Standortindikatoren\n"
        "Caritas Wetzlar e.V.;Sprachkurs;01.01.2024;35578\n"
        "Diakonie Riedstadt e.V.;Jobcoaching;01.02.2024;Riedstadt\n"
        "IB Süd e.V.;Ausbildung;01.03.2024;Gießen, 35390\n"
        "Jugendwerk Sachsen e.V.;Werkstatt;01.04.2024;1067\n", encoding="utf-8")
    store = Store()
    plan = import_files([path], store)
    assert plan.counts["rows"] == 4 and plan.counts["rejected"] == 0
    rows = store.select("SELECT ?t ?plz ?place WHERE { ?m a kp:Measure ; dct:title ?t . "
                        "OPTIONAL { ?m schema:address/schema:postalCode ?plz } "
                        "OPTIONAL { ?m dct:spatial/skos:prefLabel ?place } } ORDER BY ?t")
    assert [(r["t"], r["plz"], r["place"]) for r in rows] == [
        ("Ausbildung", "35390", "Gießen"), ("Jobcoaching", None, "Riedstadt"), ("Sprachkurs", "35578", None),
        ("Werkstatt", "01067", None)]
    restored = [m for r in plan.report["rows"] for m in r["messages"] if m["code"] == "postcode_zero_restored"]
    assert [m["de"] for m in restored] == [
        "Postleitzahl „1067“ als 01067 gelesen: in einer Zahlenzelle fehlt die führende Null."]


@pytest.mark.parametrize("org_names, city", [
    (["Stadt Wetzlar – Jugendamt", "Stadt Wetzlar – Sozialamt", "Stadt Wetzlar", "Caritas e.V.", "Stadt Gießen"],
     "Wetzlar"),  # a city's inventory names its own offices
    (["Stadt Erfurt"] * 6 + [f"Gemeinde Ort{i}" for i in range(20)] + ["Stadt Jena", "Stadt Jena"],
     "Kommune"),  # a Land's list names the offices of many towns: none of them is its municipality
    (["Freie und Hansestadt Hamburg"] * 4 + ["Bundesministerium"] * 300 + ["KfW"] * 200,
     "Kommune"),  # a national list names one city's offices in a handful of its rows
])
def test_the_municipality_is_taken_from_organisation_names_only_when_one_city_stands_out(org_names, city):
    from knotenpunkt.ingest.territory import detect_city

    assert detect_city(Store(), org_names=org_names)[0].name == city
