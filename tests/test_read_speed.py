"""The fast workbook reader (python-calamine) gives the rows openpyxl gives, on every workbook we have.

Workbooks with formula cells are read by openpyxl (never-calculated formulas are reported per
cell), the others by calamine; both must give the importer the same rows, cell for cell.
"""

import glob
from pathlib import Path

import pytest

from bench.generate import generate_workbook
from knotenpunkt.graph.errors import IngestError
from knotenpunkt.ingest import read

ROOT = Path(__file__).resolve().parent.parent
WORKBOOKS = sorted(glob.glob(str(ROOT / "tests" / "data" / "**" / "*.xlsx"), recursive=True)) + \
    [str(ROOT / "data" / "sample" / "wetzlar_integrationsangebote.xlsx")]


def _both(path):
    data = Path(path).read_bytes()
    archive = read._check_zip(Path(path), data)
    return read._openpyxl_sheets(data, archive), read._calamine_sheets(data, archive)


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda p: Path(p).name)
def test_calamine_and_openpyxl_read_the_same_rows(path):
    try:
        slow, fast = _both(path)
    except IngestError:  # hostile fixtures are refused before either reader runs
        return
    assert [s.name for s in fast] == [s.name for s in slow]
    for a, b in zip(slow, fast):
        assert b.rows == a.rows, a.name


def test_generated_benchmark_workbook_reads_the_same_with_both(tmp_path):
    path = tmp_path / "synthetic.xlsx"
    generate_workbook(path, 400)
    slow, fast = _both(path)
    assert [s.rows for s in fast] == [s.rows for s in slow]


def test_a_workbook_without_formulas_is_read_by_calamine(tmp_path, monkeypatch):
    path = tmp_path / "synthetic.xlsx"
    generate_workbook(path, 50)
    monkeypatch.setattr(read, "_openpyxl_sheets", lambda *a: pytest.fail("openpyxl used"))
    raw = read.read_file(path)
    assert raw.sheets[0].name == "Maßnahmen"


def test_a_workbook_with_formulas_keeps_openpyxl_and_reports_uncalculated_cells():
    raw = read.read_file(ROOT / "tests" / "data" / "invalid" / "formula-cells.xlsx")
    assert any(sheet.formula_cells for sheet in raw.sheets)
