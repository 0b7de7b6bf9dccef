"""The app's Turtle export, the deck and the handout leave out personal data found by content
when ``include_personal_data`` is off (fixtures ``tests/data/invalid/personal-*``)."""

import io
import json
import shutil
import subprocess
import zipfile

import pytest

from knotenpunkt.graph import exports
from knotenpunkt.graph.deck import write_deck
from knotenpunkt.graph.handout import write_handout
from knotenpunkt.graph.report import build_report
from knotenpunkt.graph.store import Store
from knotenpunkt.ingest.importer import import_files
from tests.test_security_personal import FILES, SECRETS


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("personal-outputs") / "store")
    import_files(FILES, store, city="Wetzlar")
    return store


def _leaks(text):
    text = text.decode("utf-8") if isinstance(text, bytes) else text
    return [s for s in SECRETS if s in text]


def _pptx_text(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist() if n.endswith(".xml"))


def test_the_turtle_export_leaves_them_out_unless_allowed(store):
    assert _leaks(exports.to_turtle(store, include_personal_data=False)) == []
    assert _leaks(exports.to_turtle(store, include_personal_data=True))  # the setting does let them through


@pytest.mark.slow
def test_the_deck_and_the_handout_leave_them_out(store, tmp_path):
    report = build_report(store, include_personal_data=False)
    assert _leaks(json.dumps(report, ensure_ascii=False, default=str)) == []
    deck = write_deck(report)
    assert _leaks(_pptx_text(deck if isinstance(deck, bytes) else deck.getvalue())) == []
    handout = write_handout(report)
    data = handout if isinstance(handout, bytes) else handout.getvalue()
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils, `make office`) is not installed")
    pdf = tmp_path / "handout.pdf"
    pdf.write_bytes(data)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Sprachcafé" in text or "Angebot" in text or text.strip()  # the handout has text to search
    assert _leaks(text) == []
