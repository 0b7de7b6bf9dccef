"""Table detection on the shapes of the third round of real files (ingest/tables.py), each as a small synthetic
table: a grants register and a database dump without a header row, a record above the header, an event
programme, a grants register's own headers and a column of internal codes."""

import datetime as dt

import pytest

from knotenpunkt.graph.errors import IngestError
from knotenpunkt.graph.store import Store
from knotenpunkt.ingest.headers import match_role
from knotenpunkt.ingest.importer import import_files
from knotenpunkt.ingest.read import RawSheet
from knotenpunkt.ingest.tables import find_table, header_template

D = dt.datetime


def _columns(table):
    return {role: table.headers[i].replace("\n", " ") for role, i in table.columns.items()}


def _grants(n=6):
    """A grants register exported without its header: id, recipient, authority, US dates, amount, purpose."""
    return [[str(37874 + i), f"Verein {i} e.V.", "BAWandsbek", f"0{1 + i % 9}/01/2010", "12/31/2010",
             f"{1600 + 17.5 * i:.2f}", f"das Projekt „Rückenwind {i}“", "Projektförderung"] for i in range(n)]


def _dump(n=6):
    """Rows of a database dump: UUID keys, a flag, the city, the name, a paragraph, e-mail, web address, time stamp."""
    return [[f"{i:08x}-a7ca-4530-86a7-4cbd27730efd", "1", "dresden", f"Initiative {i}",
             "Wir treffen uns jede Woche zum gemeinsamen Kochen und Sprechen; alle Menschen sind willkommen, " * 2,
             f"kontakt{i}@initiative.de", f"https://initiative{i}.de", "2016-06-21 17:22:50"] for i in range(n)]


# --- a table without a header row ---------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [_grants(), _dump()], ids=["grants", "dump"])
def test_a_table_without_a_header_is_refused_with_its_columns_named_by_letter(rows):
    sheet = RawSheet("Daten", rows)
    with pytest.raises(IngestError) as raised:
        find_table(sheet)
    assert raised.value.key == "no_header" and raised.value.code == "no_table" and raised.value.row == 1
    assert "keine Kopfzeile" in raised.value.message("de")
    kind, columns = header_template(sheet)
    assert list(columns) == [f"Spalte {letter}" for letter in "ABCDEFGH"] and set(columns.values()) == {None}


def test_a_mapping_by_column_letter_imports_every_row_of_a_table_without_a_header():
    sheet = RawSheet("Daten", _grants())
    table = find_table(sheet, overrides={"Spalte A": "id", "Spalte B": "provider", "Spalte G": "title",
                                         "Spalte F": "amount"})
    assert table.kind == "measures" and table.header_row is None and table.title_lines == []
    assert [number for number, _ in table.rows] == [1, 2, 3, 4, 5, 6]
    assert _columns(table) == {"id": "Spalte A", "provider": "Spalte B", "title": "Spalte G", "amount": "Spalte F"}


def test_a_file_without_a_header_imports_nothing_and_takes_no_place_from_its_records(tmp_path):
    path = tmp_path / "zuwendungen.tsv"
    path.write_text("\n".join("\t".join(row) for row in _grants()) + "\n", encoding="utf-8")
    with pytest.raises(IngestError) as raised:
        import_files([path], Store(), dry_run=True)
    assert raised.value.key == "no_header" and raised.value.sheet == "zuwendungen"
    assert list(raised.value.template["columns"]["zuwendungen"])[:2] == ["Spalte A", "Spalte B"]


# --- rows above the header ----------------------------------------------------------------------------------


def test_a_record_above_the_header_is_a_record_and_a_title_stays_a_title():
    header = ["Name des Begünstigten", "Bezeichnung des Vorhabens", "Datum des Beginns", "Gesamtbetrag", "Ort"]
    rows = [[f"Träger {i}", f"Vorhaben {i}", D(2024, 1, 1 + i), 1000.5 * (i + 1), "Kamenz"] for i in range(6)]
    sheet = RawSheet("Liste", [["Liste der Vorhaben"] * 5, ["Stand: 30.06.2024"],
                               ["Verein Z", "Vorhaben Z", D(2023, 5, 1), 500.0, "Bautzen"], [], header, *rows])
    table = find_table(sheet)
    assert table.header_row == 5 and [number for number, _ in table.rows] == [3, 6, 7, 8, 9, 10, 11]
    assert table.title_lines == ["Liste der Vorhaben Liste der Vorhaben Liste der Vorhaben Liste der Vorhaben "
                                 "Liste der Vorhaben", "Stand: 30.06.2024"]


def test_headers_that_name_a_year_are_headers():
    sheet = RawSheet("Stadtteile", [["Stadtteil", "Einwohner", "2019", "2020", "2021"],
                                    *[[f"Ortsteil {i}", 1000 + i, 10 + i, 11 + i, 12 + i] for i in range(5)]])
    table = find_table(sheet)
    assert table.header_row == 1 and len(table.rows) == 5


# --- an event programme -------------------------------------------------------------------------------------


def _programme(dates):
    header = ["name", "dateFrom", "dateTo", "timeFrom", "placename", "street", "city", "description", "type"]
    return [header, *[[f"Lesung {i}", start, end, "18:00", "riesa efau", f"Wachsbleichstraße {i}", "Dresden",
                       f"Eine Lesung mit Gespräch, Teil {i}", "2"] for i, (start, end) in enumerate(dates)]]


def test_a_dated_list_of_names_is_a_programme_of_measures_not_a_list_of_organisations():
    table = find_table(RawSheet("Programm", _programme([("16.03.2017", "16.03.2017")] * 5)))
    assert table.kind == "measures"
    assert _columns(table) == {"title": "name", "start": "dateFrom", "end": "dateTo", "street": "street",
                               "description": "description"}
    assert any(note.key == "row.note.no_provider_column" for note in table.notes)


def test_dates_that_cannot_be_read_leave_the_column_without_its_role_instead_of_rejecting_every_row(tmp_path):
    rows = _programme([("27. March", "27. March")] * 5 + [("16.03.2017", "16.03.2017")])
    table = find_table(RawSheet("Programm", rows))
    assert table.kind == "measures" and "start" not in table.columns and "end" not in table.columns
    assert {"dateFrom", "dateTo"} <= set(table.extra_columns.values())
    assert [note.key for note in table.notes].count("row.note.date_column") == 2
    path = tmp_path / "programm.csv"
    path.write_text("\n".join(";".join(row) for row in rows) + "\n", encoding="utf-8")
    plan = import_files([path], Store(), dry_run=True, city="Dresden")
    assert plan.counts["rows"] == 6 and plan.counts["rejected"] == 0


def test_a_directory_of_organisations_without_dates_stays_one():
    header = ["name", "street", "zip", "city", "phone", "description"]
    rows = [[f"Verein {i} e.V.", f"Hauptstraße {i}", "02625", "Bautzen", "03591 1234", "Beratung"] for i in range(5)]
    assert find_table(RawSheet("Verzeichnis", [header, *rows])).kind == "providers"


@pytest.mark.parametrize("header, place", [
    (["shelter_name", "gen", "bez", "bundesland"], "gen"),  # GEN: the official name column of the BKG's lists
    (["Name", "Bundesland"], "Bundesland"),
    (["Name", "Stadtteil", "Landkreis"], "Stadtteil"),  # the nearer place; the county is further detail
])
def test_an_organisation_list_takes_its_nearest_place_column(header, place):
    rows = [[f"Frauenhaus {i}", *(["Aachen", "Kreis", "Nordrhein-Westfalen"][:len(header) - 1])] for i in range(4)]
    table = find_table(RawSheet("Verzeichnis", [header, *rows]))
    assert table.kind == "providers" and _columns(table).get("district") == place


# --- the headers of a grants register -----------------------------------------------------------------------


def test_a_grants_register_has_its_title_amount_dates_and_funder():
    header = ["INEZ-Nummer", "Zuwendungsempfänger /-in", "Behörde", "Zeitraum Von", "Zeitraum Bis",
              "Titel bzw. Position im Ergebnisplan bzw. Finanzplan",
              "Zuwendung für …                 (ggf. gekürzt)", "Förderungsart", "Gesamtzuwendung\n(in EURO)"]
    rows = [[str(49577 + i), f"Verein {i} e.V.", "BASFI", D(2012, 1, 1), D(2012, 12, 31), "684.12",
             f"das Projekt „Rückenwind {i}“", "Projektförderung", 75453 + i] for i in range(5)]
    sheet = RawSheet("Zuwendungen", [[None, "Es werden 4694 Datensätze angezeigt"], header, *rows])
    kind, roles = header_template(sheet)
    assert kind == "measures"
    assert {header: role for header, role in roles.items() if role} == {
        "INEZ-Nummer": "id", "Zuwendungsempfänger /-in": "provider", "Behörde": "funders", "Zeitraum Von": "start",
        "Zeitraum Bis": "end", "Zuwendung für … (ggf. gekürzt)": "title", "Gesamtzuwendung (in EURO)": "amount"}
    assert find_table(sheet).header_row == 2


@pytest.mark.parametrize("header, role", [
    ("Zuwendungszweck", "title"), ("Zweck der Zuwendung", "title"), ("Zuwendungsgeber", "funders"),
    ("Bewilligungsbehörde", "funders"), ("Förderzeitraum von", "start"), ("Bewilligungszeitraum bis", "end"),
    ("Höhe der Zuwendung", "amount"), ("Zuwendungsbetrag (EUR)", "amount"), ("Zeitraum", "period")])
def test_headers_of_grants_registers_have_their_roles(header, role):
    assert match_role("measures", header)[0] == role


# --- a column of internal codes -----------------------------------------------------------------------------


def _directory(types, header="type"):
    return RawSheet("Orte", [["name", "street", "city", header],
                             *[[f"Treff {i}", f"Hauptstraße {i}", "Leipzig", t] for i, t in enumerate(types)]])


@pytest.mark.parametrize("codes", [["0", "0", "3", "0", "3"], ["VENUE", "ORG", "ORG+VENUE", "ORG", "ORG"]])
def test_a_column_of_bare_digits_does_not_take_the_role_of_the_organisation_type(codes):
    table = find_table(_directory(codes))
    assert table.kind == "providers" and "type" not in table.columns and "type" in table.extra_columns.values()
    assert [note.key for note in table.notes if note.key == "row.note.code_column"] == ["row.note.code_column"]
    assert "type" not in header_template(_directory(codes))[1].values()


def test_a_type_column_of_words_or_one_the_mapping_names_keeps_its_role():
    assert "type" in find_table(_directory(["Verein", "Kirchengemeinde", "Verein", "Stiftung"])).columns
    assert "type" in find_table(_directory(["Verein", "VHS", "Verein", "Stiftung"])).columns
    assert "type" in find_table(_directory(["0", "2", "3", "2"]), overrides={"type": "type"}).columns
