"""A sheet that repeats the records of another sheet of the same workbook (a cleaned copy, a "Druckansicht",
an export beside the original) is recognised by its content and imported once (ingest/copies.py); sheets that
only share some records stay two sheets."""

import datetime as dt

import openpyxl
import pytest

from knotenpunkt.graph.store import Store
from knotenpunkt.ingest.copies import find_copies, record_value
from knotenpunkt.ingest.importer import import_files
from knotenpunkt.ingest.read import RawSheet
from knotenpunkt.ingest.tables import find_table

D = dt.datetime
FULL = ["Projektnummer", "Projekttitel", "Träger", "Beschreibung", "Beginn", "Ende", "Fördersumme"]


def _records(n, first=0):
    """Measures as dicts by header: dates as date cells, amounts as numbers."""
    return [{"Projektnummer": f"P-{i:03}", "Projekttitel": f"Sprachkurs {i} für Eltern",
             "Träger": f"Verein {i % 7} e.V.", "Beschreibung": f"Kurs Nummer {i} im Stadtteil",
             "Beginn": D(2024, 1 + i % 12, 1 + i % 28), "Ende": D(2025, 1 + i % 12, 1 + i % 28),
             "Fördersumme": 1000 + 12.5 * i} for i in range(first, first + n)]


def _sheet(ws, records, headers, *, title=None, as_text=False):
    """Write records under `headers` (in that order); with `title`, two title rows above the header; with
    `as_text`, dates and amounts as German texts and names in another case, as a print view writes them."""
    if title:
        ws.append([title])
        ws.append([])
    ws.append(headers)
    for record in records:
        row = []
        for h in headers:
            value = record[h]
            if as_text and isinstance(value, dt.datetime):
                value = value.strftime("%d.%m.%Y")
            elif as_text and isinstance(value, float):
                value = f"{value:,.2f} €".replace(",", "X").replace(".", ",").replace("X", ".")
            elif as_text and h == "Träger":
                value = value.upper().replace(" E.V.", "\ne. V.")
            row.append(value)
        ws.append(row)


def _workbook(path, *sheets):
    """sheets: (name, records, headers, options)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, records, headers, options in sheets:
        _sheet(wb.create_sheet(name), records, headers, **options)
    wb.save(path)
    return path


def _import(path):
    plan = import_files([path], Store(), dry_run=True)
    sheets = {s["name"]: s for s in plan.report["files"][0]["sheets"]}
    codes = [m["code"] for row in plan.report["rows"] for m in row["messages"]]
    return plan, sheets, codes


# The print view: title rows, another column order, no description column, dates and amounts as text.
PRINT = ["Träger", "Projekttitel", "Fördersumme", "Ende", "Beginn", "Projektnummer"]


@pytest.mark.parametrize("copy_first", [False, True])
def test_a_print_view_of_the_records_is_a_copy_and_not_imported_twice(tmp_path, copy_first):
    records = _records(40)
    data = ("Daten", records, FULL, {})
    view = ("Druckansicht", records[::-1], PRINT, {"title": "Maßnahmen – Druckansicht, Stand 2026", "as_text": True})
    plan, sheets, codes = _import(_workbook(tmp_path / "liste.xlsx", *([view, data] if copy_first else [data, view])))
    # Whichever comes first, the sheet with every column is imported: the print view lacks the description.
    assert sheets["Daten"]["status"] == "used" and sheets["Daten"]["rows"] == 40
    skipped = sheets["Druckansicht"]
    assert skipped["status"] == "skipped" and skipped["copy_of"] == "Daten" and skipped["repeated_rows"] == 40
    assert "„Daten“" in skipped["reason"] and "40 von 40" in skipped["reason"]
    assert '"Daten"' in skipped["reason_en"] and "40 of 40" in skipped["reason_en"]
    assert skipped["nonempty_rows"] == 42  # the title and the header besides the records
    assert plan.counts["rows"] == 40 and "duplicate_row" not in codes


def test_of_two_equal_copies_the_first_sheet_is_imported(tmp_path):
    records = _records(12)
    plan, sheets, codes = _import(_workbook(tmp_path / "liste.xlsx", ("Bereinigt", records, FULL, {}),
                                            ("Original", records, FULL, {"title": "Liste der Vorhaben"})))
    assert sheets["Bereinigt"]["status"] == "used" and sheets["Original"]["copy_of"] == "Bereinigt"
    assert plan.counts["rows"] == 12 and "duplicate_row" not in codes


def test_two_years_sharing_some_projects_stay_two_sheets(tmp_path):
    earlier, later = _records(30), _records(30, first=20)  # ten projects in both lists
    plan, sheets, codes = _import(_workbook(tmp_path / "liste.xlsx", ("2023", earlier, FULL, {}),
                                            ("2024", later, FULL, {})))
    assert [sheets[n]["status"] for n in ("2023", "2024")] == ["used", "used"]
    assert "copy_of" not in sheets["2023"] and "copy_of" not in sheets["2024"]
    assert plan.counts["rows"] == 60 and codes.count("duplicate_row") == 10  # handled row by row, as before


def test_a_subset_that_brings_a_column_of_its_own_is_not_a_copy(tmp_path):
    records = _records(20)
    for r in records:
        r["Zielgruppe"] = "Eltern"
    plan, sheets, _ = _import(_workbook(tmp_path / "liste.xlsx", ("Alle", records, FULL, {}),
                                        ("Auswahl", records[:10], FULL + ["Zielgruppe"], {})))
    assert sheets["Auswahl"]["status"] == "used" and "copy_of" not in sheets["Auswahl"]
    assert plan.counts["rows"] == 30


def test_a_copy_with_a_corrected_record_imports_only_that_record_from_the_copy(tmp_path):
    records = _records(40)
    corrected = [dict(r) for r in records]
    corrected[7]["Projekttitel"] = "Sprachkurs 7 für Eltern und Kinder"
    plan, sheets, _ = _import(_workbook(tmp_path / "liste.xlsx", ("Daten", records, FULL, {}),
                                        ("Export", corrected, FULL, {})))
    export = sheets["Export"]
    assert export["status"] == "used" and export["copy_of"] == "Daten"
    assert export["repeated_rows"] == 39 and export["rows"] == 1
    assert "39 von 40" in export["copy_reason"] and "39 of 40" in export["copy_reason_en"]
    assert [r["row"] for r in plan.report["rows"] if r["sheet"] == "Export"] == [9]  # row 9: record 7
    assert plan.counts["rows"] == 41


def test_too_many_differing_records_make_no_copy(tmp_path):
    records = _records(20)
    changed = [dict(r, Fördersumme=r["Fördersumme"] + 1) if i % 5 == 0 else r for i, r in enumerate(records)]
    _, sheets, _ = _import(_workbook(tmp_path / "liste.xlsx", ("A", records, FULL, {}), ("B", changed, FULL, {})))
    assert "copy_of" not in sheets["A"] and "copy_of" not in sheets["B"]  # 16 of 20 is no copy


def test_tables_of_different_kinds_are_not_compared():
    names = [["Träger", "Straße", "PLZ", "Ort"]] + [[f"Verein {i}", "Hauptstr. 1", "35578", "Wetzlar"]
                                                   for i in range(5)]
    measures = [["Angebot", "Träger", "Beginn"]] + [[f"Kurs {i}", f"Verein {i}", "01.01.2024"] for i in range(5)]
    tables = [find_table(RawSheet("Träger", names)), find_table(RawSheet("Angebote", measures))]
    assert [t.kind for t in tables] == ["providers", "measures"] and find_copies(tables) == []


def test_values_written_differently_compare_equal_and_different_values_do_not():
    assert record_value(D(2024, 9, 1)) == record_value("01.09.2024") == record_value("1.9.24")
    assert record_value(1234.5) == record_value("1.234,50 €") == record_value("1234.50")
    assert record_value(35578) == record_value("35578")
    assert record_value("AWO  Kreisverband\nWetzlar e.V.") == record_value("awo kreisverband wetzlar e. v.")
    assert record_value("01.09.2024") != record_value("02.09.2024")
    assert record_value(1234.5) != record_value(1234.05)
    assert record_value("Sprachkurs A") != record_value("Sprachkurs B")


def test_the_cli_names_the_copy_and_the_sheet_it_repeats(tmp_path):
    from typer.testing import CliRunner

    from knotenpunkt.cli import app

    records = _records(40)
    corrected = [dict(r) for r in records]
    corrected[3]["Projekttitel"] = "Sprachkurs 3 für Väter"
    path = _workbook(tmp_path / "bestand.xlsx", ("Daten", records, FULL, {}),
                     ("Druckansicht", records, PRINT, {"title": "Druckansicht", "as_text": True}),
                     ("Export", corrected, FULL, {}))
    result = CliRunner().invoke(app, ["import", str(path), "--city", "Wetzlar", "--dry-run", "--store",
                                      str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    skipped = [line for line in result.output.splitlines() if line.startswith("nicht übernommen")]
    assert len(skipped) == 2
    assert skipped[0].startswith("nicht übernommen bestand.xlsx | Druckansicht | Zeilen mit Inhalt: 42 | "
                                 "Wiederholt die Datensätze des Blatts „Daten“: 40 von 40")
    assert skipped[1].startswith("nicht übernommen bestand.xlsx | Export | Zeilen mit Inhalt: 39 | 39 von 40")
    assert "„Daten“" in skipped[1]
    assert "Zeilen: 41," in result.output  # 40 from Daten, the corrected one from Export


def test_a_sorted_copy_that_numbers_its_rows_anew_is_a_copy(tmp_path):
    records = _records(25)
    by_provider = [dict(r, Projektnummer=str(i + 1)) for i, r in enumerate(sorted(records, key=lambda r: r["Träger"]))]
    plan, sheets, codes = _import(_workbook(tmp_path / "liste.xlsx", ("Liste", records, FULL, {}),
                                            ("nach Träger", by_provider, FULL, {})))
    assert sheets["nach Träger"]["copy_of"] == "Liste" and sheets["nach Träger"]["status"] == "skipped"
    assert plan.counts["rows"] == 25
