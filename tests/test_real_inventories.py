"""Real public inventories that nobody on the team wrote (../shared/data/real/), imported as a new user
would: `knotenpunkt import FILE` with no mapping file, then again, then the deck.

They stand for classes of files (a Land's ESF list of funded operations, a volunteering directory,
a national project database, a list of initiatives); each must give a usable graph with every
row accounted for, only its own places, and no change on a second import.
"""

import json
import subprocess
import sys
import zipfile

import pytest

from knotenpunkt.graph.store import Store
from tests.conftest import ROOT

REAL = ROOT.parent / "shared" / "data" / "real"

# folder -> (file, kind of table, rows, measures, organisations at least, city)
SETS = {
    "berlin-esf": ("CSV_ESF-Berlin-2014-2020.csv", "measures", 336, 336, 100, "Berlin"),
    "hh-ehrenamt": ("ehrenamt.csv", "measures", 2311, 2311, 800, "Hamburg"),
    "civicdata-projekte": ("combined_all_projects.csv", "measures", 585, 585, 150, None),
    "muc-helferkreise": ("map_refugee_initiatives_munich.csv", "providers", 56, 0, 56, "München"),
}

pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="the real inventories live in ../shared/data/real")


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "knotenpunkt.cli", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=600)


@pytest.fixture(scope="module", params=sorted(SETS))
def imported(request, tmp_path_factory):
    """One real set imported twice with the CLI into its own store: (name, store dir, report, outputs)."""
    name = request.param
    file = REAL / name / SETS[name][0]
    tmp = tmp_path_factory.mktemp(name)
    first = _cli("import", file, "--store", tmp / "store", "--report", tmp / "report.json")
    second = _cli("import", file, "--store", tmp / "store")
    return name, tmp / "store", json.loads((tmp / "report.json").read_text(encoding="utf-8")), first, second


def test_plain_import_exits_0_without_a_traceback(imported):
    _, _, _, first, second = imported
    for run in (first, second):
        assert run.returncode == 0, run.stderr[-2000:]
        assert "Traceback" not in run.stderr + run.stdout


def test_the_sheet_is_recognised_as_its_kind_with_a_reason(imported):
    name, _, report, _, _ = imported
    sheet = report["files"][0]["sheets"][0]
    assert sheet["kind"] == SETS[name][1]
    assert sheet["reason"].startswith({"measures": "Maßnahmen", "providers": "Organisationen"}[SETS[name][1]])
    assert sheet["header_row"] == 1


def test_every_row_is_accounted_for(imported):
    name, _, report, _, _ = imported
    counts = report["counts"]
    assert counts["rows"] == SETS[name][2] == counts["imported"] + counts["warning"] + counts["rejected"]
    assert len(report["rows"]) == counts["rows"]
    assert sorted(r["row"] for r in report["rows"]) == list(range(2, counts["rows"] + 2))
    for row in report["rows"]:
        if row["status"] != "imported":
            assert any(m["level"] in ("warning", "error") for m in row["messages"]), row


def test_the_store_holds_the_measures_and_organisations(imported):
    name, store_dir, _, _, _ = imported
    store = Store(store_dir, read_only=True)
    figures = store.select("""SELECT (COUNT(DISTINCT ?m) AS ?measures) WHERE { ?m a kp:Measure }""")[0]
    orgs = store.select("""SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?o a org:Organization }""")[0]["n"]
    assert figures["measures"] == SETS[name][3]
    assert orgs >= SETS[name][4]


def test_a_second_import_changes_nothing(imported):
    _, _, _, _, second = imported
    assert "Keine Änderung" in second.stdout


def test_only_the_own_territory_is_in_the_store(imported):
    name, store_dir, report, _, _ = imported
    store = Store(store_dir, read_only=True)
    base = f"https://w3id.org/knotenpunkt/id/{report['city']['slug']}/"
    areas = [r["a"] for r in store.select("SELECT ?a WHERE { ?a skos:inScheme ?s . ?s kp:municipality ?c }")]
    assert areas and all(a.startswith(base) for a in areas)
    assert not [a for a in areas if "/wetzlar/" in a]
    if SETS[name][5]:
        assert report["city"]["name"] == SETS[name][5]


def test_the_deck_is_written_for_the_inventory(imported, tmp_path):
    name, store_dir, report, _, _ = imported
    out = tmp_path / "deck.pptx"
    run = _cli("deck", "--store", store_dir, "--out", out)
    assert run.returncode == 0, run.stderr[-2000:]
    with zipfile.ZipFile(out) as deck:
        first_slide = deck.read("ppt/slides/slide1.xml").decode("utf-8")
    assert report["city"]["name"] in first_slide and "Wetzlar" not in first_slide
