"""Write the bad-input fixtures under tests/data/invalid/ (and the ODS copy of the Lahnfels workbook).

Each file is named after its defect; tests/test_bad_input.py checks the exact message.
Run: .venv/bin/python tests/data/make_fixtures.py
"""

import io
import re
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd

HERE = Path(__file__).resolve().parent
INVALID = HERE / "invalid"
HEADER = ["Nr.", "Angebot", "Träger", "Zielgruppe", "Handlungsfeld", "Stadtteil", "Beginn", "Ende", "Telefon", "PLZ", "Turnus"]
ROW = ["1", "Sprachcafé Müller-Straße", "AWO", "Geflüchtete", "Sprache", "Niedergirmes", "01.09.2024", "laufend",
       "06441 407-1234", "01067", "NA"]


def _csv(name, rows, *, encoding="utf-8", delimiter=";", bom=False):
    text = "\r\n".join(delimiter.join(row) for row in rows) + "\r\n"
    data = text.encode(encoding)
    (INVALID / name).write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)


def _xlsx(name, fill):
    wb = openpyxl.Workbook()
    fill(wb.active)
    wb.save(INVALID / name)


def _header_below_title(ws):
    ws.append(["Bestandsaufnahme Integration Stadt Wetzlar – Stand 11/2026"])
    ws.append([])
    ws.append(["interne Liste"])
    ws.append(HEADER)
    ws.append(ROW)


def _merged_cells(ws):
    ws.append(HEADER)
    ws.append(ROW)
    ws.append(["2", "Hausaufgabenhilfe", None, "Kinder", "Schule und Bildung", "Niedergirmes", "2023", "", "", "", ""])
    ws.merge_cells("C2:C3")  # one provider for two measures, as coordinators merge it


def _formula_cells(ws):
    ws.append(HEADER + ["Teilnehmende"])
    ws.append(ROW + ["=3*4"])  # never calculated: openpyxl writes no cached value
    ws.append(["2", "Hausaufgabenhilfe", "Caritas", "Kinder", "Schule und Bildung", "Dalheim", "2023", "", "", "", "",
               "=2*5"])  # gets a cached value below, as Excel would have saved it


def _with_cached_value(path, cell, value):
    """Rewrite a workbook so that the formula in `cell` carries a cached value (as saved by Excel)."""
    out = io.BytesIO()
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rf'(<c r="{cell}"><f>[^<]*</f>)<v\s*/>'.encode(), rf"\g<1><v>{value}</v>".encode(), data)
            zout.writestr(item, data)
    path.write_bytes(out.getvalue())


def _hyperlink_text(ws):
    ws.append(HEADER + ["Beschreibung"])
    ws.append(ROW + ['=HYPERLINK("http://example.org","Info")'])
    ws.cell(row=2, column=len(HEADER) + 1).data_type = "s"


def _zip_bomb():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (64 * 1024 * 1024))
    (INVALID / "zip-bomb.xlsx").write_bytes(buffer.getvalue())


def _xml_bomb():
    source = io.BytesIO()
    wb = openpyxl.Workbook()
    wb.active.append(HEADER)
    wb.save(source)
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
            '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row></sheetData></worksheet>')
    out = io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = bomb.encode() if item.filename == "xl/worksheets/sheet1.xml" else zin.read(item.filename)
            zout.writestr(item, data)
    (INVALID / "xml-bomb.xlsx").write_bytes(out.getvalue())


def main():
    INVALID.mkdir(exist_ok=True)
    _csv("csv-cp1252-semicolon.csv", [HEADER, ROW], encoding="cp1252")
    _csv("csv-utf8-bom-comma.csv", [HEADER, [c.replace(",", " ") for c in ROW]], delimiter=",", bom=True)
    _csv("leading-zeros-and-na-texts.csv", [HEADER, ROW, ["2", "Elterncafé", "Caritas", "Eltern", "Familie", "Dalheim",
                                                         "2024", "-", "0049 6441 1", "09111", "None"]])
    _csv("extra-and-short-rows.csv", [HEADER, ROW + ["überzählig"], ROW[:6]])
    _csv("duplicate-headers.csv", [HEADER + ["Zielgruppe"], ROW + ["Kinder"]])
    _csv("missing-provider-header.csv", [[h for h in HEADER if h != "Träger"], [c for h, c in zip(HEADER, ROW) if h != "Träger"]])
    _csv("control-characters.csv", [HEADER, [ROW[0], "Sprach\x0bcafé\x00", *ROW[2:]]])
    (INVALID / "empty-file.csv").write_bytes(b"")
    (INVALID / "png-renamed.xlsx").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    _xlsx("header-not-in-first-row.xlsx", _header_below_title)
    _xlsx("merged-cells.xlsx", _merged_cells)
    # the same workbook in Excel 97–2003's binary format, as official lists are still published (LibreOffice writes it)
    subprocess.run(["soffice", "--headless", "--convert-to", "xls:MS Excel 97", "--outdir", str(INVALID),
                    str(INVALID / "merged-cells.xlsx")], check=True, capture_output=True)
    _xlsx("formula-cells.xlsx", _formula_cells)
    _with_cached_value(INVALID / "formula-cells.xlsx", "L3", 10)
    _xlsx("hyperlink-formula-as-text.xlsx", _hyperlink_text)
    _zip_bomb()
    _xml_bomb()
    sheets = pd.read_excel(HERE / "othercity" / "lahnfels_angebote.xlsx", sheet_name=None, header=None, dtype=object)
    with pd.ExcelWriter(HERE / "othercity" / "lahnfels_angebote.ods", engine="odf") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, header=False, index=False)


if __name__ == "__main__":
    main()
