"""Versions and `knotenpunkt diff`: two imports of the sample, the second edited with openpyxl."""

import datetime as dt
import json

import openpyxl
import pytest
from typer.testing import CliRunner

from knotenpunkt.graph.extract import load_frames
from knotenpunkt.graph.gaps import measure_cells
from knotenpunkt.graph.store import Store
from knotenpunkt.graph.versions import diff, find_version, list_versions
from knotenpunkt.cli import app

runner = CliRunner()


def _removable_measure(store, today):
    """A measure whose removal changes nothing else: active today, no partners, its provider and
    funders used by other measures too, and every cell it covers covered by another measure."""
    frames = load_frames(store)
    cells = measure_cells(frames, today, today)
    links = frames.links
    partners = set(links.loc[links["kind"] == "partner", "measure"])
    provider_count = frames.measures.groupby("provider")["measure"].nunique()
    funders = links[links["kind"] == "funder"]
    funder_count = funders.groupby("value")["measure"].nunique()
    by_measure = {m: set(zip(g["target_group"], g["field"])) for m, g in cells.groupby("measure")}
    for r in frames.measures.drop_duplicates("measure").sort_values("source_id").itertuples():
        if r.measure in partners or r.measure not in by_measure or not isinstance(r.source_id, str):
            continue
        if provider_count[r.provider] < 2 or any(funder_count[f] < 2 for f in funders.loc[funders["measure"] == r.measure, "value"]):
            continue
        others = set().union(*(c for m, c in by_measure.items() if m != r.measure))
        if by_measure[r.measure] <= others:
            return r
    raise AssertionError("the sample has no measure that can be removed without side effects")


def _new_pair(store):
    """Two providers of the Träger sheet with no cooperation entry between them."""
    from knotenpunkt.graph.queries import run_query

    cooperating = {frozenset((c["a_label"], c["b_label"])) for c in run_query(store, "list_cooperations")}
    names = sorted({r["provider_label"] for r in run_query(store, "list_measures")} - {None})
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            if frozenset((a, b)) not in cooperating:
                return a, b
    raise AssertionError("every pair cooperates")


@pytest.fixture(scope="module")
def two_imports(tmp_path_factory, sample_workbook, expected):
    """The sample imported, then a copy with one measure removed and one cooperation added."""
    tmp = tmp_path_factory.mktemp("versions")
    store_dir = str(tmp / "store")
    first = runner.invoke(app, ["import", str(sample_workbook), "--store", store_dir, "--label", "Sitzung Herbst"])
    assert first.exit_code == 0, first.output
    store = Store(store_dir)
    removed = _removable_measure(store, dt.date.today())
    a, b = _new_pair(store)
    del store
    wb = openpyxl.load_workbook(sample_workbook)
    ws = wb[expected["sheets"]["measures"]]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == removed.source_id)
    ws.delete_rows(row)
    coops = wb[expected["sheets"]["cooperations"]]
    coops.append([a, b, "Abstimmung nach der Lenkungsgruppe", "2026"])
    edited = tmp / "edited"
    edited.mkdir()
    wb.save(edited / sample_workbook.name)  # same file name: the same source, a new version
    second = runner.invoke(app, ["import", str(edited / sample_workbook.name), "--store", store_dir,
                                 "--label", "Sitzung Winter"])
    assert second.exit_code == 0, second.output
    return {"store": store_dir, "removed": removed, "pair": (a, b)}


def test_versions_lists_both_imports_with_labels(two_imports):
    result = runner.invoke(app, ["versions", "--store", two_imports["store"]])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 2
    assert lines[0].split()[0] == "1" and "Sitzung Herbst" in lines[0]
    assert lines[1].split()[0] == "2" and "Sitzung Winter" in lines[1]


def test_diff_reports_exactly_the_removed_measure_and_the_added_cooperation(two_imports):
    result = runner.invoke(app, ["diff", "--json", "--store", two_imports["store"]])
    assert result.exit_code == 0, result.output
    changes = json.loads(result.output)
    removed = two_imports["removed"]
    assert changes["since"]["label"] == "Sitzung Herbst"
    assert [(m["iri"], m["title"], m["reason"]) for m in changes["ended_measures"]] == \
        [(removed.measure, removed.title, "removed")]
    assert [{c["a"]["label"], c["b"]["label"]} for c in changes["new_cooperations"]] == [set(two_imports["pair"])]
    for key in ("new_measures", "new_organisations", "lost_organisations", "lost_cooperations", "cells_gained",
                "cells_lost"):
        assert changes[key] == [], key


def test_diff_text_names_the_changes(two_imports):
    result = runner.invoke(app, ["diff", "--since", "Sitzung Herbst", "--store", two_imports["store"]])
    assert result.exit_code == 0, result.output
    assert "Vergleich mit Version 1" in result.output
    assert "Beendete Angebote: 1" in result.output and two_imports["removed"].title in result.output
    a, b = two_imports["pair"]
    assert "Neue Kooperationen: 1" in result.output and f"{a} – {b}" in result.output
    assert "Neue Angebote: 0" in result.output


def test_since_by_number_label_and_date(two_imports):
    store = Store(two_imports["store"], read_only=True)
    versions = list_versions(store)
    assert find_version(store) == versions[0]
    assert find_version(store, "1") == find_version(store, "Sitzung Herbst") == versions[0]
    assert find_version(store, dt.date.today()) == versions[1]  # the last on or before the day
    assert diff(store, dt.date.today().isoformat())["ended_measures"] == []


def test_since_an_unknown_version_exits_2_and_lists_the_versions(two_imports):
    result = runner.invoke(app, ["diff", "--since", "1999-01-01", "--store", two_imports["store"]])
    assert result.exit_code == 2
    assert "Keine Version passt zu „1999-01-01“" in result.output and "Sitzung Herbst" in result.output


def test_reimporting_the_same_file_adds_no_version(tmp_path, sample_workbook):
    store_dir = str(tmp_path / "s")
    for _ in range(2):
        assert runner.invoke(app, ["import", str(sample_workbook), "--store", store_dir]).exit_code == 0
    assert len(list_versions(Store(store_dir, read_only=True))) == 1


def test_first_version_has_nothing_to_compare_with(sample_import):
    store, _ = sample_import
    assert diff(store)["since"] is None


@pytest.mark.parametrize("command", ["versions", "diff", "deck", "handout", "pictures"])
def test_steering_group_commands_have_help_with_an_example_and_are_in_the_readme(command):
    from tests.conftest import ROOT

    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert any(f"{word} knotenpunkt {command}" in result.output for word in ("Example:", "Beispiel:"))  # the setting's language
    assert f"knotenpunkt {command}" in (ROOT / "README.md").read_text(encoding="utf-8")
