"""Hostile files are refused with a German message naming the setting, in bounded time and memory.

Every file is generated here: small on disk, huge if a reader expanded it.
"""

import io
import json
import resource
import time
import zipfile

import pytest

from knotenpunkt.graph.errors import IngestError
from knotenpunkt.graph.texts import say
from knotenpunkt.ingest.importer import import_files
from tests.test_security_outbound import Listener

_ODS_HEAD = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
             'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
             'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
             'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
             '<table:table table:name="Tabelle1">')
_ODS_TAIL = "</table:table></office:spreadsheet></office:body></office:document-content>"


def _zip(path, members):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def _ods(path, body):
    return _zip(path, {"mimetype": "application/vnd.oasis.opendocument.spreadsheet",
                       "content.xml": _ODS_HEAD + body + _ODS_TAIL})


def _xlsx(path, workbook=None, sheet=None):
    """A minimal workbook; `workbook` or `sheet` replace the XML of that part."""
    members = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>",
        "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/workbook.xml": workbook or '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="A" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/worksheets/sheet1.xml": sheet or '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Angebot</t></is></c></row></sheetData></worksheet>',
    }
    return _zip(path, members)


_BOMB = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">'
         '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><workbook xmlns="http://schemas.openxmlformats.org/'
         'spreadsheetml/2006/main"><sheets><sheet name="&lol3;" sheetId="1"/></sheets></workbook>')


def _cases(tmp_path):
    repeated_cell = '<table:table-cell table:number-columns-repeated="16384" office:value-type="string"><text:p>x</text:p></table:table-cell>'
    return {
        "ods-repeated-columns": (_ods(tmp_path / "wiederholt.ods",
                                     f'<table:table-row table:number-rows-repeated="100000">{repeated_cell}</table:table-row>'),
                                 "too_many_columns", "Einstellung max_columns"),
        "ods-repeated-rows": (_ods(tmp_path / "zeilen.ods",
                                   '<table:table-row table:number-rows-repeated="10000000"><table:table-cell '
                                   'office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>'),
                              "too_many_cells", "Einstellung max_cells"),
        "xml-bomb-in-workbook-xml": (_xlsx(tmp_path / "bombe.xlsx", workbook=_BOMB), "unsafe_xml", "unsicheres XML"),
        "malformed-sheet-xml": (_xlsx(tmp_path / "kaputt.xlsx", sheet="<worksheet><sheetData><row><c r=A1"),
                                "unreadable", "lässt sich nicht lesen"),
        "million-columns-csv": ((tmp_path / "spalten.csv"), "too_many_columns", "Einstellung max_columns"),
        "ten-mb-cell": ((tmp_path / "zelle.csv"), "cell_too_long", "Einstellung max_cell_chars"),
    }


@pytest.fixture
def cases(tmp_path):
    found = _cases(tmp_path)
    (tmp_path / "spalten.csv").write_bytes(b"Angebot;Tr\xc3\xa4ger\n" + b";" * 1_000_000 + b"\n")
    (tmp_path / "zelle.csv").write_bytes(b"Angebot;Beschreibung\nSprachcaf\xc3\xa9;" + b"x" * 10_000_000 + b"\n")
    (tmp_path / "utf16.csv").write_bytes("Angebot;Träger\nA;B\n".encode("utf-16") + b"\x00")
    return found


@pytest.mark.parametrize("name", ["ods-repeated-columns", "ods-repeated-rows", "xml-bomb-in-workbook-xml",
                                  "malformed-sheet-xml", "million-columns-csv", "ten-mb-cell"])
def test_hostile_file_is_refused_quickly_with_a_message(store, cases, name):
    path, code, text = cases[name]
    before_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.monotonic()
    with pytest.raises(IngestError) as info:
        import_files([path], store, city="Wetzlar")
    elapsed = time.monotonic() - start
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before_rss) / 1024
    assert info.value.code == code, str(info.value)
    assert text in str(info.value)
    assert path.name in str(info.value)
    assert elapsed < 5, f"{name} took {elapsed:.1f} s"
    assert grown_mb < 300, f"{name} grew the process by {grown_mb:.0f} MB"


def test_odd_length_utf16_is_read_with_a_note_or_refused_with_a_message(store, cases):
    path = cases["million-columns-csv"][0].with_name("utf16.csv")
    try:
        plan = import_files([path], store, city="Wetzlar")
    except IngestError as e:
        assert path.name in str(e)
    else:
        assert "UTF-16" in " ".join(say(n, "de") for n in plan.report["files"][0]["sheets"][0]["notes"])


def test_limits_are_settings(store, tmp_path, monkeypatch):
    path = tmp_path / "breit.csv"
    path.write_text("Angebot;" + ";".join(f"S{i}" for i in range(30)) + "\nA;" + ";" * 29 + "\n", encoding="utf-8")
    monkeypatch.setenv("KNOTENPUNKT_MAX_COLUMNS", "10")
    with pytest.raises(IngestError, match="mehr als 10 Spalten \\(Einstellung max_columns\\)"):
        import_files([path], store, city="Wetzlar")


@pytest.mark.parametrize("context", [
    "http://127.0.0.1:{port}/context.jsonld",
    ["http://127.0.0.1:{port}/context.jsonld", {"name": "http://schema.org/name"}],
    {"@import": "http://127.0.0.1:{port}/context.jsonld"},
    "context.jsonld",
])
def test_jsonld_never_fetches_a_context(store, tmp_path, context):
    listener = Listener()
    text = json.dumps({"@context": context, "@id": "http://example.org/a", "name": "A",
                       "knows": {"@context": "http://127.0.0.1:{port}/inner"}}).replace("{port}", str(listener.port))
    path = tmp_path / "daten.jsonld"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(IngestError) as info:
        import_files([path], store, city="Wetzlar")
    listener.close()
    assert info.value.code == "remote_context"
    assert "lädt nichts aus dem Netz" in str(info.value)
    assert listener.connections == 0


def test_nested_remote_context_is_found_too(store, tmp_path):
    path = tmp_path / "verschachtelt.jsonld"
    path.write_text(json.dumps({"@context": {"name": "http://schema.org/name"}, "@graph": [
        {"@id": "http://example.org/a", "@context": "http://127.0.0.1:9/x"}]}), encoding="utf-8")
    with pytest.raises(IngestError, match="@context"):
        import_files([path], store, city="Wetzlar")


def test_embedded_context_is_imported(store, tmp_path):
    path = tmp_path / "eingebettet.jsonld"
    path.write_text(json.dumps({"@context": {"name": "http://schema.org/name"}, "@id": "http://example.org/a",
                                "name": "A"}), encoding="utf-8")
    plan = import_files([path], store, city="Wetzlar")
    assert plan.report["files"][0]["triples"] == 1
