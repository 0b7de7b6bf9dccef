"""Safe exports: nasty strings round-trip through Turtle, CSV, XLSX, PPTX and PDF as text; personal data stays out."""

import csv
import io
import re
import shutil
import subprocess

import openpyxl
import pandas as pd
import pytest
from lxml import etree
from pptx import Presentation
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import DCTERMS

from knotenpunkt.graph import exports
from knotenpunkt.graph.deck import deck_texts, write_deck
from knotenpunkt.graph.handout import FONT, write_handout
from knotenpunkt.graph.pictures import draw_pictures, figure_bytes
from knotenpunkt.graph.report import build_report
from knotenpunkt.graph.store import Store
from knotenpunkt.ontology.namespace import KP

NASTY = [
    '=HYPERLINK("http://evil.example","Klick")',
    "+SUM(1)",
    "-2+3",
    "@cmd",
    "=cmd|' /C calc'!A0",
    "<img src=x onerror=alert(1)>",
    "<b>fett</b> & <script>alert('x')</script>",
    "Preis: 5$ bis 10$ (kein $\\alpha$)",
    "Sprachcafé für Mütter – Grüße aus Büblingshausen",
    "Willkommen 😀🎉 مرحبا",
    "Glocke\x07 und Escape\x1b Ende",
]

HEADER = ["Nr.", "Maßnahme", "Kurzbeschreibung", "Träger", "Zielgruppe", "Handlungsfeld", "Stadtteil", "Beginn",
          "Telefon"]


def _pdftotext(pdf):
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True,
                          text=True).stdout


def _squash(text):
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def nasty_store(tmp_path_factory):
    """An inventory whose titles, descriptions and providers are the nasty strings, all in one overlap group."""
    from knotenpunkt.ingest.importer import import_files

    path = tmp_path_factory.mktemp("nasty") / "nasty_strings.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter=";")
        writer.writerow(HEADER)
        for i, text in enumerate(NASTY, start=1):
            writer.writerow([f"N-{i:03d}", text, text, f"Träger {i} {text}", "Kinder", "Sprache", "Niedergirmes",
                             "01.01.2025", "+49 6441 22897"])
    g = Store()
    import_files([path], g, city="Wetzlar")
    return g


def _titles(store):
    return {r["t"] for r in store.select("SELECT ?t WHERE { ?m a kp:Measure ; dct:title ?t }")}


def test_nasty_strings_are_imported_as_text(nasty_store):
    titles = _titles(nasty_store)
    for text in NASTY:
        assert exports.strip_control(text).strip() in {exports.strip_control(t) for t in titles}, text


def test_turtle_round_trips_every_title(nasty_store):
    g = Graph().parse(data=exports.to_turtle(nasty_store), format="turtle")
    assert {str(g.value(m, DCTERMS.title)) for m in g.subjects(RDF.type, KP.Measure)} == _titles(nasty_store)


@pytest.mark.parametrize("value", [*NASTY, "\tTab vorn", "\rCR vorn", "+49 6441 22897", "+49 (0)6441 / 9 36 74"])
def test_csv_cell_never_starts_like_a_formula_except_a_phone_number(value):
    cell = exports.neutralise_csv_cell(value)
    if exports.PHONE.fullmatch(value):
        assert cell == value
    elif value.startswith(exports.FORMULA_START):
        assert cell == "'" + value
    else:
        assert cell == value


def test_csv_round_trips_with_neutralised_formulas(nasty_store):
    frame = exports.measures_frame(nasty_store, include_personal_data=True)
    rows = list(csv.DictReader(io.StringIO(exports.to_csv(frame).decode("utf-8-sig")), delimiter=";"))
    assert {r["title"] for r in rows} == {exports.neutralise_csv_cell(t) for t in _titles(nasty_store)}
    for row in rows:
        for value in row.values():
            assert not value.startswith(exports.FORMULA_START) or exports.PHONE.fullmatch(value), value
    assert {r["telephone"] for r in rows} == {"+49 6441 22897"}  # readable, not quoted


def test_xlsx_has_text_cells_only_and_round_trips(tmp_path):
    frame = pd.DataFrame({"title": NASTY + ["\tTab vorn"], "n": range(len(NASTY) + 1)})
    path = tmp_path / "angebote.xlsx"
    path.write_bytes(exports.to_xlsx(frame))
    ws = openpyxl.load_workbook(path).active
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert cells and all(c.data_type == "s" for c in cells)
    assert [ws.cell(r, 1).value for r in range(2, ws.max_row + 1)] == [exports.strip_control(v) for v in frame["title"]]
    assert all(c.quotePrefix for c in cells if c.value.startswith(exports.FORMULA_START))


@pytest.mark.skipif(not shutil.which("libreoffice"), reason="needs LibreOffice (make test installs it)")
def test_libreoffice_reads_the_xlsx_as_text_not_formulas(tmp_path):
    frame = pd.DataFrame({"title": NASTY[:5]})
    (tmp_path / "angebote.xlsx").write_bytes(exports.to_xlsx(frame))
    subprocess.run(["libreoffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(tmp_path), str(tmp_path / "angebote.xlsx")],
                   check=True, capture_output=True, timeout=120)
    values = [row[0] for row in csv.reader((tmp_path / "angebote.csv").open(encoding="utf-8"))][1:]
    assert values == NASTY[:5]  # evaluated formulas would read "Klick", 1, 1, an error …


def test_pptx_and_svg_keep_markup_as_text(nasty_store, tmp_path):
    report = build_report(nasty_store, include_personal_data=False)
    deck = tmp_path / "deck.pptx"
    write_deck(report, deck)
    text = _squash("\n".join(deck_texts(deck)))
    for value in NASTY:
        assert _squash(exports.strip_control(value)) in text, value
    for slide in Presentation(deck).slides:
        tree = etree.fromstring(etree.tostring(slide._element))
        assert not tree.xpath("//*[local-name()='img' or local-name()='script' or local-name()='b']")
    svg = etree.fromstring(figure_bytes(draw_pictures(report)["netzwerk"], "svg"))
    assert not svg.xpath("//*[local-name()='img' or local-name()='script']")


def test_pdf_text_contains_every_string_the_font_covers(nasty_store, tmp_path):
    from reportlab.pdfbase import pdfmetrics

    pdf = tmp_path / "handout.pdf"
    write_handout(build_report(nasty_store, include_personal_data=False), pdf)
    text = _squash(_pdftotext(pdf))
    covered = pdfmetrics.getFont(FONT).face.charToGlyph
    printable = [exports.strip_control(v) for v in NASTY if all(ord(ch) in covered for ch in exports.strip_control(v))]
    assert len(printable) >= len(NASTY) - 1  # only the emoji are outside DejaVu Sans
    for value in printable:
        assert _squash(value) in text, value


@pytest.fixture(scope="module")
def overlap_email(sample_import):
    """The e-mail of a measure in an uncoordinated overlap of the sample (shown with personal data on)."""
    store, _ = sample_import
    people = exports.contacts(store)
    report = build_report(store, include_personal_data=True)
    emails = [m["contact"]["email"] for o in report["overlaps"] for m in o["measures"]
              if m["contact"] and m["contact"]["email"]]
    assert emails and all(e in {p["email"] for p in people.values()} for e in emails)
    return emails[0]


@pytest.mark.parametrize("allowed", [False, True])
def test_personal_data_only_with_the_setting(sample_import, overlap_email, tmp_path, monkeypatch, allowed):
    store, _ = sample_import
    monkeypatch.setenv("KNOTENPUNKT_INCLUDE_PERSONAL_DATA", "true" if allowed else "false")
    report = build_report(store)
    write_deck(report, tmp_path / "d.pptx")
    write_handout(report, tmp_path / "h.pdf")
    outputs = {
        "deck": "\n".join(deck_texts(tmp_path / "d.pptx")),
        "handout": _pdftotext(tmp_path / "h.pdf"),
        "csv": exports.to_csv(exports.measures_frame(store)).decode("utf-8-sig"),
        "xlsx": exports.to_xlsx(exports.measures_frame(store)),
        "turtle": exports.to_turtle(store).decode("utf-8"),
    }
    for name, output in outputs.items():
        found = (overlap_email.encode() if isinstance(output, bytes) else overlap_email) in output
        if name == "xlsx":  # compressed: read the cells instead
            ws = openpyxl.load_workbook(io.BytesIO(output)).active
            found = any(c.value == overlap_email for row in ws.iter_rows() for c in row)
        assert found == allowed, name


def test_contact_points_are_left_out_of_turtle_and_nothing_else(sample_import):
    store, _ = sample_import
    schema = "https://schema.org/"
    without = Graph().parse(data=exports.to_turtle(store, include_personal_data=False), format="turtle")
    full = Graph().parse(data=exports.to_turtle(store, include_personal_data=True), format="turtle")
    points = set(full.subjects(RDF.type, URIRef(schema + "ContactPoint")))
    assert points
    assert set(without) == {t for t in full if t[0] not in points and t[1] != URIRef(schema + "contactPoint")}


def test_spreadsheet_export_has_german_headings_names_first_and_the_values_kept_as_text(sample_import):
    store, _ = sample_import
    table = exports.export_table(store, lang="de")
    assert list(table.columns[:4]) == ["Nr.", "Angebot", "Träger", "Partner"]
    assert table.columns[-1] == "Link im Datenbestand"  # the IRI last, never first
    assert not table.iloc[:, 0].fillna("").str.startswith("http").any()
    notes = " ".join(table["Weitere Angaben (als Text)"].dropna())
    assert "Gießen-West" in notes and "Nachbarschaft allgemein" in notes
    assert table["Beginn"].dropna().str.fullmatch(r"\d{2}\.\d{2}\.\d{4}").all()
    assert table["Sprachen"].notna().any() and table["Turnus"].notna().any()
    english = exports.export_table(store, lang="en")
    assert list(english.columns[:2]) == ["No.", "Measure"]
    assert english["Start"].dropna().str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()


def test_xlsx_has_an_autofilter_and_column_widths(sample_import):
    store, _ = sample_import
    table = exports.export_table(store, lang="de")
    ws = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(table))).active
    assert ws.auto_filter.ref == ws.dimensions
    assert ws.freeze_panes == "A2"
    widths = {c: ws.column_dimensions[c].width for c in ("A", "B", "C")}
    assert widths["B"] > widths["A"] >= 8 and max(widths.values()) <= 60
    assert [c.value for c in ws[1]][:2] == ["Nr.", "Angebot"]
