"""Every bad-input fixture gives its named message; files that cannot be imported write nothing."""

import pytest

from knotenpunkt.graph.errors import IngestError
from knotenpunkt.graph.texts import say
from knotenpunkt.ingest.importer import import_files
from tests.conftest import DATA

INVALID = DATA / "invalid"


def _rows(plan):
    return {r["row"]: r for r in plan.report["rows"]}


def _codes(row):
    return [m["code"] for m in row["messages"]]


@pytest.mark.parametrize("name, code, text", [
    ("empty-file.csv", "empty_file", "Datei empty-file.csv: Die Datei ist leer."),
    ("png-renamed.xlsx", "not_a_spreadsheet", "Die Datei ist keine Tabelle, sondern ein PNG-Bild."),
    ("zip-bomb.xlsx", "zip_bomb", "verdächtig stark komprimiert (xl/worksheets/sheet1.xml: 1028-fach)"),
    ("xml-bomb.xlsx", "unsafe_xml", "enthält unsicheres XML (EntitiesForbidden"),
])
def test_unreadable_files_fail_with_their_message_and_write_nothing(store, name, code, text):
    before = store.content_digest()
    with pytest.raises(IngestError) as info:
        import_files([INVALID / name], store)
    assert info.value.code == code
    assert text in str(info.value)
    assert name in str(info.value)
    assert store.content_digest() == before


def test_oversized_file_is_refused_by_the_setting(store, monkeypatch):
    monkeypatch.setenv("KNOTENPUNKT_MAX_FILE_MB", "0")
    with pytest.raises(IngestError, match=r"größer als 0 MB \(Einstellung `max_file_mb`\)"):
        import_files([INVALID / "csv-cp1252-semicolon.csv"], store)


@pytest.mark.parametrize("name, note", [
    ("csv-cp1252-semicolon.csv", "Zeichenkodierung Windows-1252 (cp1252), Trennzeichen Semikolon"),
    ("csv-utf8-bom-comma.csv", "Zeichenkodierung UTF-8 mit BOM, Trennzeichen Komma"),
])
def test_csv_encoding_and_delimiter_are_detected_and_reported(store, name, note):
    plan = import_files([INVALID / name], store, city="Wetzlar")
    assert note in [say(n, "de") for n in plan.report["files"][0]["sheets"][0]["notes"]]
    titles = [r["t"] for r in store.select("SELECT ?t WHERE { ?m a kp:Measure ; dct:title ?t }")]
    assert titles == ["Sprachcafé Müller-Straße"]


def test_header_below_title_rows_is_found(store):
    plan = import_files([INVALID / "header-not-in-first-row.xlsx"], store)
    sheet = plan.report["files"][0]["sheets"][0]
    assert sheet["header_row"] == 4
    assert sheet["title_lines"][0].startswith("Bestandsaufnahme Integration Stadt Wetzlar")
    assert plan.report["city"]["slug"] == "wetzlar"


def test_merged_provider_cell_applies_to_every_row_it_spans(store):
    import_files([INVALID / "merged-cells.xlsx"], store, city="Wetzlar")
    providers = {r["t"]: r["p"] for r in store.select(
        "SELECT ?t ?p WHERE { ?m dct:title ?t ; kp:provider/skos:prefLabel ?p }")}
    assert providers == {"Sprachcafé Müller-Straße": "AWO", "Hausaufgabenhilfe": "AWO"}


@pytest.mark.parametrize("name", ["merged-cells.xls", "old-excel-renamed.xlsx"])
def test_excel_97_workbooks_are_read_whatever_their_ending(store, tmp_path, name):
    """Official lists are still published as .xls; an old workbook saved under .xlsx is read by its content."""
    path = tmp_path / name
    path.write_bytes((INVALID / "merged-cells.xls").read_bytes())
    plan = import_files([path], store, city="Wetzlar")
    assert plan.counts["rows"] == 2 and plan.counts["rejected"] == 0
    providers = {r["t"]: r["p"] for r in store.select(
        "SELECT ?t ?p WHERE { ?m dct:title ?t ; kp:provider/skos:prefLabel ?p }")}
    assert providers == {"Sprachcafé Müller-Straße": "AWO", "Hausaufgabenhilfe": "AWO"}  # the merged cell, filled


def test_leading_zeros_and_na_texts_stay_text(store):
    plan = import_files([INVALID / "leading-zeros-and-na-texts.csv"], store, city="Wetzlar")
    assert plan.counts["rejected"] == 0
    phones = {r["v"] for r in store.select("SELECT ?v WHERE { ?c schema:telephone ?v }")}
    assert phones == {"06441 407-1234", "0049 6441 1"}
    postcodes = {r["v"] for r in store.select("SELECT ?v WHERE { ?m a kp:Measure ; schema:address/schema:postalCode ?v }")}
    assert postcodes == {"01067", "09111"}
    assert {r["v"] for r in store.select("SELECT ?v WHERE { ?m kp:schedule ?v }")} == {"NA", "None"}


def test_extra_row_is_rejected_and_short_row_warned(store):
    plan = import_files([INVALID / "extra-and-short-rows.csv"], store, city="Wetzlar")
    rows = _rows(plan)
    assert rows[2]["status"] == "rejected" and "extra_cells" in _codes(rows[2])
    assert rows[2]["messages"][0]["de"] == "Die Zeile hat mehr Zellen (12) als Überschriften."
    assert rows[3]["status"] == "warning" and "short_row" in _codes(rows[3])


def test_formula_values_are_imported_and_never_calculated_ones_flagged(store):
    plan = import_files([INVALID / "formula-cells.xlsx"], store, city="Wetzlar")
    message = next(m for m in _rows(plan)[2]["messages"] if m["code"] == "formula_not_calculated")
    assert message["column"] == "Teilnehmende"
    assert "nie berechnet" in message["de"]
    assert "formula_not_calculated" not in _codes(_rows(plan)[3])
    info = {r["v"] for r in store.select("SELECT ?v WHERE { ?m kp:additionalInfo ?v }")}
    assert "Teilnehmende: 10" in info and not any(v.startswith("Teilnehmende: =") for v in info)


def test_formula_typed_as_text_is_stored_as_text(store):
    import_files([INVALID / "hyperlink-formula-as-text.xlsx"], store, city="Wetzlar")
    info = {r["v"] for r in store.select("SELECT ?v WHERE { ?m a kp:Measure ; dct:description ?v }")}
    assert info == {'=HYPERLINK("http://example.org","Info")'}


def test_control_characters_are_stripped(store):
    import_files([INVALID / "control-characters.csv"], store, city="Wetzlar")
    titles = [r["t"] for r in store.select("SELECT ?t WHERE { ?m a kp:Measure ; dct:title ?t }")]
    assert titles == ["Sprachcafé"]


def test_shapes_violation_in_rdf_passthrough_writes_nothing(store):
    from knotenpunkt.graph.errors import ValidationError

    before = store.content_digest()
    with pytest.raises(ValidationError) as info:
        import_files([INVALID / "measure-end-before-start.ttl"], store)
    assert "darf nicht nach dem Ende liegen" in info.value.results_text
    assert store.content_digest() == before


def test_two_columns_of_one_multi_valued_role_are_both_read(store):
    """Two "Zielgruppe" columns: both are target groups of the measure (no error, nothing lost)."""
    plan = import_files([INVALID / "duplicate-headers.csv"], store, city="Wetzlar")
    assert plan.report["files"][0]["sheets"][0]["more_columns"] == {"target_groups": ["Zielgruppe"]}
    groups = {r["g"].rsplit("/", 1)[-1] for r in store.select("SELECT ?g WHERE { ?m dct:audience ?g }")}
    assert groups == {"gefluechtete", "kinder"}


def test_a_measure_list_without_a_provider_column_is_imported_with_one_note_on_the_sheet(store):
    plan = import_files([INVALID / "missing-provider-header.csv"], store, city="Wetzlar")
    assert plan.counts["rows"] == 1 and plan.counts["rejected"] == 0
    assert "unknown_provider" not in _codes(plan.report["rows"][0])  # not said on every row
    notes = [say(n, "de") for n in plan.report["files"][0]["sheets"][0]["notes"]]
    assert any(n.startswith("Keine Spalte nennt den Träger") for n in notes)
    assert [r["t"] for r in store.select("SELECT ?t WHERE { ?m a kp:Measure ; dct:title ?t }")] == \
        ["Sprachcafé Müller-Straße"]


@pytest.mark.parametrize("lines, header_row", [
    (["Titel;Träger;Zielgruppe"], 1),  # an empty template
    (["Liebe Kolleginnen, anbei die Übersicht.", "Bitte melden Sie sich bei Fragen.",
      "Träger, Zielgruppe und Titel stehen im Anhang."], 3),  # a letter that names column words
])
def test_a_table_without_data_rows_is_refused_with_its_header_row_and_writes_nothing(store, tmp_path, lines,
                                                                                       header_row):
    path = tmp_path / "angebote.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = store.content_digest()
    with pytest.raises(IngestError) as info:
        import_files([path], store, city="Wetzlar")
    assert info.value.code == "no_rows"
    assert f"Datei angebote.csv, Blatt angebote, Zeile {header_row}: " in str(info.value)
    assert "keine Datenzeilen" in str(info.value)
    assert store.content_digest() == before


def test_an_empty_template_sheet_beside_a_filled_one_is_skipped_with_its_reason(store, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Angebote"
    book.active.append(["Titel", "Träger", "Zielgruppe"])
    book.active.append(["Sprachcafé", "Caritas", "Geflüchtete"])
    book.create_sheet("Kooperationen").append(["Organisation A", "Organisation B", "Art der Kooperation"])
    book.save(path := tmp_path / "bestand.xlsx")
    plan = import_files([path], store, city="Wetzlar")
    assert plan.counts["rows"] == 1
    sheets = {s["name"]: s for s in plan.report["files"][0]["sheets"]}
    assert sheets["Angebote"]["status"] == "used"
    assert sheets["Kooperationen"]["status"] == "skipped" and sheets["Kooperationen"]["kind"] == "cooperations"
    assert sheets["Kooperationen"]["reason"] == "Kopfzeile in Zeile 1 erkannt, aber darunter keine Datenzeilen."


def test_a_folder_is_imported_as_the_readable_files_in_it(store, tmp_path, sample_workbook):
    folder = tmp_path / "bestand"
    folder.mkdir()
    (folder / sample_workbook.name).write_bytes(sample_workbook.read_bytes())
    (folder / f"~${sample_workbook.name}").write_bytes(b"lock")  # Office's lock file of an open workbook
    (folder / "Liesmich.txt").write_text("Stand: September", encoding="utf-8")
    plan = import_files([folder], store)
    assert [f["name"] for f in plan.report["files"]] == [sample_workbook.name]
    assert plan.counts["rows"] > 0
    (empty := tmp_path / "leer").mkdir()
    with pytest.raises(IngestError, match=f"Im Ordner {empty} liegt keine Datei, die Knotenpunkt lesen kann"):
        import_files([empty], store)


def test_excel_error_values_are_emptied_with_a_warning_and_kept_as_a_title(store, tmp_path):
    path = tmp_path / "fehlerwerte.csv"
    path.write_text("Titel;Träger;Zielgruppe;Bemerkung\n"
                    "Sprachcafé;AWO;#NV;#WERT!\n"
                    "#NAME?;Caritas;Frauen;offen\n"
                    "Hausaufgabenhilfe;AWO;Kinder;Preis #1 der Stadt\n", encoding="utf-8")
    plan = import_files([path], store, city="Wetzlar")
    rows = _rows(plan)
    errors = [(m["column"], m["en"].split("“")[1].split("”")[0]) for m in rows[2]["messages"] if m["code"] == "excel_error"]
    assert errors == [("Zielgruppe", "#NV"), ("Bemerkung", "#WERT!")]
    assert rows[2]["status"] == "warning" and "unmapped_value" not in _codes(rows[2])
    assert rows[3]["status"] == "warning" and _codes(rows[3]).count("excel_error") == 1
    assert "Excel-Fehlerwert „#NAME?“" in rows[3]["messages"][0]["de"]
    assert "excel_error" not in _codes(rows[4])
    titles = {r["t"] for r in store.select("SELECT ?t WHERE { ?m a kp:Measure ; dct:title ?t }")}
    assert titles == {"Sprachcafé", "#NAME?", "Hausaufgabenhilfe"}
    info = {r["v"] for r in store.select("SELECT ?v WHERE { ?m kp:additionalInfo ?v }")}
    assert not any("#WERT!" in v for v in info) and "Bemerkung: Preis #1 der Stadt" in info
