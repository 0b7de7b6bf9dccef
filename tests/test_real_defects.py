"""Each defect that real inventories showed, in a small fixture of its own (tests/data/defects/)."""

import csv
import io
import json
import subprocess
import sys

import pytest

from knotenpunkt.graph.analysis import analyse
from knotenpunkt.graph.errors import IngestError
from knotenpunkt.graph.store import Store
from knotenpunkt.graph.texts import say
from knotenpunkt.ingest.importer import import_files
from knotenpunkt.ingest.read import _parse_csv, read_file
from tests.conftest import DATA, ROOT

DEFECTS = DATA / "defects"


def _import(name, store=None, **kwargs):
    store = store or Store()
    return store, import_files([DEFECTS / name], store, **kwargs)


def _rows(plan):
    return {r["row"]: r for r in plan.report["rows"]}


def _codes(row):
    return [m["code"] for m in row["messages"]]


def _sheet(plan):
    return plan.report["files"][0]["sheets"][0]


def test_same_offer_in_two_districts_is_two_measures_and_an_exact_copy_is_reported():
    store, plan = _import("same-offer-in-two-districts.csv")
    assert plan.counts == {"rows": 3, "imported": 2, "warning": 1, "rejected": 0}  # the copy warns; places from the data do not
    assert "duplicate_row" in _codes(_rows(plan)[4])
    places = {r["d"] for r in store.select("SELECT ?d WHERE { ?m a kp:Measure ; dct:spatial/skos:prefLabel ?d }")}
    assert places == {"Nordstadt", "Südstadt"}
    assert store.select("SELECT (COUNT(?m) AS ?n) WHERE { ?m a kp:Measure }")[0]["n"] == 2


def test_a_state_list_of_funded_operations_is_a_measures_table_with_municipalities_as_places():
    store, plan = _import("state-esf-list-of-operations.csv")
    sheet = _sheet(plan)
    assert sheet["kind"] == "measures" and sheet["header_row"] == 4
    assert sheet["columns"]["provider"] == "Name des Begünstigten"
    assert sheet["columns"]["fields"] == "Interventionskategorie"
    assert "Träger („Name des Begünstigten“)" in sheet["reason"]
    assert plan.report["city"]["name"] == "Hessen"
    assert sheet["note_rows"] == [{"row": 10, "text": "* Angaben gemäß Art. 49 Abs. 3 VO (EU) 2021/1060"},
                                  {"row": 11, "text": "Quelle: Hessisches Ministerium für Arbeit, Integration, "
                                                      "Jugend und Soziales"}]
    assert plan.counts["rows"] == 4 and plan.counts["rejected"] == 0
    areas = {r["l"]: r["t"] for r in store.select(
        "SELECT ?l ?t WHERE { ?a kp:areaType ?t ; skos:prefLabel ?l ; skos:broader ?state }")}
    assert areas == {"Wetzlar": "Gemeinde", "Gießen": "Gemeinde", "Marburg": "Gemeinde", "Offenbach am Main": "Gemeinde"}
    amounts = {r["v"] for r in store.select("SELECT ?v WHERE { ?m kp:additionalInfo ?v }")}
    assert "Gesamtbetrag der förderfähigen Ausgaben: 250.000,00 €" in amounts


def test_a_misspelt_provider_header_still_reads_as_the_provider():
    _, plan = _import("misspelt-provider-header.csv")
    assert _sheet(plan)["columns"]["provider"] == "Projekträger"
    assert plan.counts == {"rows": 2, "imported": 2, "warning": 0, "rejected": 0}


def test_a_bilingual_header_is_one_header():
    store, plan = _import("bilingual-header.csv")
    columns = _sheet(plan)["columns"]
    assert set(columns) == {"provider", "title", "description", "start", "end"}
    assert plan.counts["imported"] == 2
    providers = {r["p"] for r in store.select("SELECT ?p WHERE { ?m kp:provider/skos:prefLabel ?p }")}
    assert providers == {"Stadt Kassel", "Verein für Bildung e.V."}


def test_a_data_row_full_of_header_words_is_not_taken_for_the_header():
    _, plan = _import("data-row-with-header-words.csv")
    sheet = _sheet(plan)
    assert sheet["header_row"] == 2 and sheet["title_lines"] == ["Angebotsübersicht"]
    assert plan.counts["rows"] == 2


def test_a_quotation_mark_without_its_pair_does_not_swallow_the_rows_after_it():
    store, plan = _import("unbalanced-quote.csv")
    assert plan.counts == {"rows": 5, "imported": 4, "warning": 1, "rejected": 0}
    assert "unbalanced_quote" in _codes(_rows(plan)[3])
    titles = sorted(r["t"] for r in store.select("SELECT ?t WHERE { ?m a kp:Measure ; dct:title ?t }"))
    assert titles == ["Deutsch lernen", "Letzte Zeile", "Mehrzeilig\nzweite Zeile", "Nähcafé", "Sprachcafé"]


QUOTE_REPAIR_CODES = {"unbalanced_quote", "short_row", "extra_cells", "missing_title"}


def test_well_formed_quoted_cells_with_line_breaks_and_delimiters_are_read_as_the_csv_module_reads_them():
    """Descriptions over several lines whose lines hold as many commas as the header are cells, not records."""
    sheet = read_file(DEFECTS / "multiline-quoted-descriptions.csv").sheets[0]
    assert sheet.rows == [
        ["Titel", "Träger", "Zielgruppe", "Beschreibung"],
        ["Sprachcafé Mitte", "AWO Kreisverband", "Frauen",
         "Offener Treff jeden Dienstag\r\nWir sprechen, lesen, spielen und kochen zusammen, ohne Anmeldung.\r\n"
         "Kontakt: Frau Beispiel, Raum 2"],
        ["Lesepaten", "Diakonie", "Kinder",
         "Ehrenamtliche lesen in der Kita vor\r\n\r\nSie hören zu, spielen mit, begleiten Ausflüge, ermuntern bei "
         "Hausaufgaben; neue Freiwillige sind willkommen.\r\nMotto: \"Ich habe Zeit für dich, du bist mir wichtig.\""],
        ["Bewerbungswerkstatt", "Caritas", "Jugendliche", "Einzelberatung nach Termin"],
        ["Mentoring", "Verein Brücke e.V.", "Schülerinnen, Schüler",
         "Mentorinnen und Mentoren treffen sich einmal im Monat\r\n"
         "mit Schülerinnen, Schülern, Eltern, Lehrkräften, im Stadtteilzentrum, Raum 1, 2 und 3."]]
    assert sheet.repaired_rows == set()
    store, plan = _import("multiline-quoted-descriptions.csv")
    assert plan.counts["rows"] == 4 and plan.counts["rejected"] == 0
    assert not QUOTE_REPAIR_CODES & {code for row in plan.report["rows"] for code in _codes(row)}
    descriptions = {r["t"]: r["d"] for r in store.select(
        "SELECT ?t ?d WHERE { ?m a kp:Measure ; dct:title ?t ; dct:description ?d }")}
    assert descriptions["Mentoring"] == ("Mentorinnen und Mentoren treffen sich einmal im Monat\nmit Schülerinnen, "
                                         "Schülern, Eltern, Lehrkräften, im Stadtteilzentrum, Raum 1, 2 und 3.")
    assert descriptions["Lesepaten"].count("\n") == 3
    assert "ermuntern bei Hausaufgaben; neue" in descriptions["Lesepaten"]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_a_long_quoted_first_cell_full_of_other_separators_does_not_mislead_the_delimiter(tmp_path, delimiter):
    """The first description runs past the sniffer's 50 lines and is full of every other separator."""
    others = "".join(d for d in ",;\t|" if d != delimiter)
    description = "\n".join(f"Zeile {k}{others} noch{others} mehr{others} Text" for k in range(80))
    rows = [["Titel", "Träger", "Beschreibung"]] + [[f"Angebot {k}", "AWO", description] for k in range(3)]
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(rows)
    path = tmp_path / "angebote.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    sheet = read_file(path).sheets[0]
    assert sheet.rows == rows and sheet.repaired_rows == set()


def test_a_quotation_mark_without_its_pair_is_repaired_and_well_formed_multiline_cells_beside_it_are_not():
    text = ('Nr;Angebot;Beschreibung;Zielgruppe\n'
            '1;Sprachcafé;"Eins; zwei; drei; vier\nfünf; sechs; sieben";Frauen\n'
            '2;"Deutsch lernen;Caritas;Kinder\n'
            '3;Nähcafé;"Mehr; zeilig; a; b\nc; d; e; f";Frauen\n'
            '4;Letzte;IB;Kinder\n')
    rows, repaired = _parse_csv(text, ";")
    assert rows == [["Nr", "Angebot", "Beschreibung", "Zielgruppe"],
                    ["1", "Sprachcafé", "Eins; zwei; drei; vier\nfünf; sechs; sieben", "Frauen"],
                    ["2", "Deutsch lernen", "Caritas", "Kinder"],
                    ["3", "Nähcafé", "Mehr; zeilig; a; b\nc; d; e; f", "Frauen"],
                    ["4", "Letzte", "IB", "Kinder"]]
    assert repaired == {3}


def test_notes_below_the_table_are_notes_with_row_numbers_and_a_title_only_row_is_a_measure():
    _, plan = _import("notes-below-the-table.csv")
    assert plan.counts == {"rows": 3, "imported": 2, "warning": 1, "rejected": 0}  # places from the data only inform
    assert "unknown_provider" in _codes(_rows(plan)[4]) and _rows(plan)[4]["status"] == "warning"
    assert [n["row"] for n in _sheet(plan)["note_rows"]] == [6, 7]
    assert "Zeile 7: Datenstand: 11/2026" in [say(n, "de") for n in _sheet(plan)["notes"]]


def test_cells_split_only_into_lists_of_values():
    store, plan = _import("multi-value-cells.csv")
    rows = _rows(plan)
    texts = lambda row, role: list(dict.fromkeys(e["text"] for e in rows[row]["mapped"][role]))  # noqa: E731
    assert texts(2, "target_groups") == ["Kinder- und Jugendhilfe"]
    assert texts(2, "fields") == ["Aus- und Weiterbildung"]
    assert texts(2, "districts") == ["Sulzbach/Ts."]
    assert texts(3, "target_groups") == ["Menschen mit und ohne Behinderung"]
    assert texts(4, "target_groups") == ["Frauen", "geflüchtete Frauen"]
    assert rows[3]["mapped"]["provider"]["text"] == "Code for Germany"
    assert texts(3, "partners") == ["OK Lab Berlin", "OKF"] and "provider_list" in _codes(rows[3])


def test_postcodes_citywide_words_and_placeholders():
    store, plan = _import("places-postcode-placeholders.csv")
    rows = _rows(plan)
    assert rows[2]["mapped"]["districts"][0]["iri"].endswith("/gebiet/kommune")  # stadtteilübergreifend
    assert "placeholder" in _codes(rows[3]) and rows[3]["mapped"]["target_groups"] == []
    assert "placeholder" in _codes(rows[4]) and rows[4]["mapped"]["districts"] == []
    assert "postcode_in_place" in _codes(rows[5])
    areas = {r["l"] for r in store.select("SELECT ?l WHERE { ?m a kp:Measure ; dct:spatial/skos:prefLabel ?l }")}
    assert "35578" not in areas
    postcodes = sorted(r["p"] for r in store.select("SELECT ?p WHERE { ?m schema:address/schema:postalCode ?p }"))
    assert postcodes == ["35576", "35578", "35578", "35579"]


def test_utf8_read_as_cp1252_is_repaired_with_a_warning():
    store, plan = _import("mojibake-utf8-read-as-cp1252.csv")
    assert "mojibake_repaired" in _codes(_rows(plan)[2])
    titles = {r["t"] for r in store.select("SELECT ?t WHERE { ?m a kp:Measure ; dct:title ?t }")}
    assert titles == {"Sprachcafé Müller", "Lernhilfe"}
    assert _rows(plan)[2]["mapped"]["target_groups"][0]["iri"].endswith("/gefluechtete")


def test_a_bom_followed_by_cp1252_bytes_is_read_as_cp1252_and_said_so():
    store, plan = _import("bom-then-cp1252.csv")
    assert any("Windows-1252" in say(n, "de") and "BOM" in say(n, "de") for n in _sheet(plan)["notes"])
    assert [r["t"] for r in store.select("SELECT ?t WHERE { ?m a kp:Measure ; dct:title ?t }")] == ["Sprachcafé Müller"]


def test_an_unmapped_dimension_is_said_instead_of_reporting_every_cell_as_a_gap():
    store, _ = _import("no-target-group-mapped.csv")
    result = analyse(store)
    assert result["gaps"]["not_assessable"] == ["target_group", "district"]
    assert result["gaps"]["zero_cells"] == []
    finding = next(f for f in result["findings"] if f["kind"] == "not_assessable")
    assert finding["de"] == "Keine Zielgruppen zugeordnet: die Daten nennen keine, oder keiner ihrer Texte passt zu " \
                            "einem Begriff; Lückenanalyse nicht möglich."


def test_a_file_without_known_headers_fails_briefly_and_still_writes_a_mapping_template(tmp_path):
    with pytest.raises(IngestError) as info:
        _import("no-known-headers.csv")
    assert info.value.code == "no_table" and len(str(info.value)) < 400
    assert "sehr langen Beschreibung" not in str(info.value)
    template = tmp_path / "mapping.json"
    run = subprocess.run([sys.executable, "-m", "knotenpunkt.cli", "import", str(DEFECTS / "no-known-headers.csv"),
                          "--store", str(tmp_path / "store"), "--write-mapping", str(template)],
                         capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    written = json.loads(template.read_text(encoding="utf-8"))
    assert written["columns"]["no-known-headers"] == {"Spalte 1": None, "Spalte 2": None, "Spalte 3": None}
    written["columns"]["no-known-headers"].update({"Spalte 1": "title", "Spalte 2": "provider",
                                                   "Spalte 3": "target_groups"})
    template.write_text(json.dumps(written), encoding="utf-8")
    again = subprocess.run([sys.executable, "-m", "knotenpunkt.cli", "import", str(DEFECTS / "no-known-headers.csv"),
                            "--store", str(tmp_path / "store"), "--mapping", str(template)],
                           capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert again.returncode == 0, again.stderr
    assert "übernommen: 1" in again.stdout


def test_the_mapping_decides_the_kind_of_a_sheet():
    """A list of initiatives with name and address is an organisations table; the mapping can say otherwise."""
    path = DATA / "defects" / "misspelt-provider-header.csv"
    _, plan = _import(path.name, mapping={"kinds": {path.stem: "providers"},
                                          "columns": {path.stem: {"Projekträger": "name"}}})
    assert _sheet(plan)["kind"] == "providers" and "Mapping-Datei" in _sheet(plan)["reason"]


def test_a_second_import_of_the_same_and_of_an_edited_file_works_for_any_city(tmp_path):
    store = Store()
    _import("same-offer-in-two-districts.csv", store, city="Lahnau")
    again = import_files([DEFECTS / "same-offer-in-two-districts.csv"], store, city="Lahnau")
    assert again.report["changed"] == []
    edited = tmp_path / "same-offer-in-two-districts.csv"
    edited.write_text((DEFECTS / edited.name).read_text(encoding="utf-8").replace("Nordstadt", "Weststadt"),
                      encoding="utf-8")
    third = import_files([edited], store, city="Lahnau")
    assert third.report["committed"] and third.report["changed"]
    areas = {r["l"] for r in store.select("SELECT ?l WHERE { ?m a kp:Measure ; dct:spatial/skos:prefLabel ?l }")}
    assert areas == {"Weststadt", "Südstadt"}
