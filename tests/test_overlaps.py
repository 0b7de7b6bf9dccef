"""Overlaps on inventories too small to have any: the analysis still answers."""

import datetime as dt

import openpyxl

from knotenpunkt.graph.overlaps import find_overlaps
from knotenpunkt.graph.extract import load_frames
from knotenpunkt.ingest.importer import import_files


def test_no_overlap_when_the_only_pair_shares_no_target_group(store, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["lfd. Nr.", "Maßnahme / Angebot", "Träger", "Zielgruppe(n)", "Handlungsfeld", "Sozialraum / Stadtteil"])
    sheet.append(["X-1", "Kurs", "Verein A", "Frauen", "Sprache", "Dalheim"])
    sheet.append(["X-2", "Café", "Verein B", "Ältere", "Sprache", "Dalheim"])
    path = tmp_path / "wetzlar_klein.xlsx"
    book.save(path)
    import_files([path], store)
    assert find_overlaps(load_frames(store), dt.date(2026, 1, 1), dt.date(2026, 1, 1)) == []
