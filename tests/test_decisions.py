"""Organisation decisions: written as RDF at once, resolved in the analysis tables and the diff, undone."""

import datetime as dt
import json
import shutil

import openpyxl
import pytest
from typer.testing import CliRunner

from knotenpunkt.graph import decisions, summary
from knotenpunkt.graph.corrections import correct_measure
from knotenpunkt.graph.analysis import analyse
from knotenpunkt.graph.extract import load_frames
from knotenpunkt.graph.queries import run_query
from knotenpunkt.graph.report import build_report
from knotenpunkt.graph.store import Store, writing
from knotenpunkt.graph.summary import derive
from knotenpunkt.graph.versions import diff, list_versions
from knotenpunkt.ingest.importer import import_files
from knotenpunkt.ingest.mapping import last_organisations, load_remembered
from knotenpunkt.cli import app


@pytest.fixture(scope="module")
def two_versions(tmp_path_factory, sample_workbook, expected):
    """The sample imported as "Sitzung 1", then without measure M-001 as "Sitzung 2"."""
    folder = tmp_path_factory.mktemp("decisions")
    path = folder / "store"
    with writing(path) as g:
        import_files([sample_workbook], g, label="Sitzung 1")
    book = openpyxl.load_workbook(sample_workbook)
    book[expected["sheets"]["measures"]].delete_rows(expected["ground_truth"]["M-001"]["row"])
    (folder / "next").mkdir()
    book.save(folder / "next" / sample_workbook.name)
    with writing(path) as g:
        import_files([folder / "next" / sample_workbook.name], g, label="Sitzung 2")
    return path


@pytest.fixture
def store_path(two_versions, tmp_path):
    path = tmp_path / "store"
    shutil.copytree(two_versions, path)
    return path


def _review(g):
    frames = load_frames(g)
    return frames, decisions.review_proposals(last_organisations(g)["proposals"], frames,
                                              decisions.name_index(frames, decisions.other_names(g)))


def _cooperating_pair(frames, review):
    """An open proposal whose two organisations both have explicit cooperations."""
    partners = set(frames.cooperations["a"]) | set(frames.cooperations["b"])
    return next(p for p in review["open"] if p["a_iri"] in partners and p["b_iri"] in partners)


def test_canonical_map_keeps_the_organisation_with_more_measures_and_follows_chains():
    found = decisions.canonical_map([("a", "b", "same"), ("b", "c", "same"), ("x", "y", "different")],
                                    {"b": 5, "c": 2})
    assert found == {"a": "b", "c": "b"}


def test_a_same_decision_merges_the_organisations_at_once_and_undo_restores_them(store_path):
    g = Store(store_path, read_only=True)
    before, review = _review(g)
    pair = _cooperating_pair(before, review)
    with writing(store_path) as w:
        decisions.decide(w, pair, "same")
    after, review_after = _review(g)
    assert len(after.organisations) == len(before.organisations) - 1
    kept, gone = sorted((pair["a_iri"], pair["b_iri"]), key=lambda o: o in after.cache["merged"])
    assert after.cache["merged"] == {gone: kept}
    assert gone not in set(after.measures["provider"]) | set(after.cooperations["a"]) | set(after.cooperations["b"])
    assert not (after.cooperations["a"] == after.cooperations["b"]).any()
    assert [d["verdict"] for d in review_after["decided"]] == ["same"]
    assert all({p["a_iri"], p["b_iri"]} != {pair["a_iri"], pair["b_iri"]} for p in review_after["open"])
    assert [pair["a"], pair["b"]] in load_remembered(g)["organisations"]["same"]  # for the next import
    with writing(store_path) as w:
        decisions.decide(w, review_after["decided"][0], None)
    undone, review_undone = _review(g)
    assert len(undone.organisations) == len(before.organisations)
    assert not review_undone["decided"] and len(review_undone["open"]) == len(review["open"])
    assert [pair["a"], pair["b"]] not in load_remembered(g)["organisations"]["same"]
    g.close()


def test_a_merge_is_not_reported_as_a_change_since_the_last_session(store_path):
    g = Store(store_path, read_only=True)
    frames, review = _review(g)
    unchanged = diff(g)
    pair = _cooperating_pair(frames, review)
    with writing(store_path) as w:
        decisions.decide(w, pair, "same")
    changes = diff(g)  # versions.diff applies the decisions itself: the CLI, the app and the deck read this
    for kind in ("new_organisations", "lost_organisations", "new_cooperations", "lost_cooperations"):
        assert changes[kind] == unchanged[kind], kind
    assert changes["ended_measures"] == unchanged["ended_measures"]
    g.close()


def test_cli_diff_does_not_report_a_merged_organisation_as_lost(store_path):
    g = Store(store_path, read_only=True)
    frames, review = _review(g)
    pair = _cooperating_pair(frames, review)
    g.close()
    before = CliRunner().invoke(app, ["diff", "--json", "--store", str(store_path)])
    with writing(store_path) as w:
        decisions.decide(w, pair, "same", derive=derive)
    after = CliRunner().invoke(app, ["diff", "--json", "--store", str(store_path)])
    assert before.exit_code == after.exit_code == 0
    assert json.loads(after.output)["lost_organisations"] == json.loads(before.output)["lost_organisations"]
    assert json.loads(after.output)["lost_cooperations"] == json.loads(before.output)["lost_cooperations"]
    text = CliRunner().invoke(app, ["diff", "--store", str(store_path)]).output
    gone = {pair["a"], pair["b"]} - {frames.label(o) for o in load_frames(Store(store_path, read_only=True)).organisations["organisation"]}
    assert gone and not any(name in text for name in gone)


def test_the_cli_decides_a_pair_at_once_lists_it_as_decided_and_undoes_it(store_path):
    g = Store(store_path, read_only=True)
    frames, review = _review(g)
    pair = _cooperating_pair(frames, review)
    before = run_query(g, "count_inventory")[0]["organisations"]
    cli = CliRunner()

    def orgs(*args):
        result = cli.invoke(app, ["orgs", *args, "--store", str(store_path)])
        assert result.exit_code == 0, result.output
        return result.output

    said = orgs("same", pair["a"], pair["b"])
    assert "ab sofort" in said
    assert run_query(g, "count_inventory")[0]["organisations"] == before - 1  # applied without a new import
    listing = orgs()
    assert f"{pair['a']} = {pair['b']}" in listing and f"≟ {pair['b']} " not in listing
    assert "wieder offen" in orgs("undo", pair["a"], pair["b"])
    assert run_query(g, "count_inventory")[0]["organisations"] == before
    assert f"{pair['a']} = {pair['b']}" not in orgs()
    g.close()


def test_key_figures_count_a_merged_organisation_once_everywhere_and_undo_restores_them(store_path):
    g = Store(store_path, read_only=True)
    frames, review = _review(g)
    before = run_query(g, "count_inventory")[0]
    pair = _cooperating_pair(frames, review)
    with writing(store_path) as w:
        decisions.decide(w, pair, "same", derive=derive)
    after = run_query(g, "count_inventory")[0]
    assert after["organisations"] == before["organisations"] - 1 == len(load_frames(g).organisations)
    assert {k: v for k, v in after.items() if k != "organisations"} == \
        {k: v for k, v in before.items() if k != "organisations"}
    status = CliRunner().invoke(app, ["status", "--store", str(store_path)])
    assert f"organisations: {after['organisations']}" in status.output
    assert build_report(g)["counts"]["organisations"] == after["organisations"]  # deck and handout
    assert summary.reference_day(g) == dt.date.fromisoformat(list_versions(g)[-1]["time"][:10])  # the import's
    review_after = _review(g)[1]
    with writing(store_path) as w:
        decisions.decide(w, review_after["decided"][0], None, derive=derive)
    assert run_query(g, "count_inventory")[0] == before
    g.close()


def test_a_correction_changes_the_target_groups_counted(store_path):
    g = Store(store_path, read_only=True)
    frames = load_frames(g)
    groups = frames.links[frames.links["kind"] == "target_group"]
    rare = groups["value"].value_counts()
    only = rare[rare == 1].index[0]  # a target group served by one measure
    measure = groups.loc[groups["value"] == only, "measure"].iloc[0]
    other = groups.loc[groups["value"] != only, "value"].iloc[0]
    before = run_query(g, "count_inventory")[0]["target_groups"]
    with writing(store_path) as w:
        correct_measure(w, measure, {"target_group": [other]}, derive=derive)
    assert run_query(g, "count_inventory")[0]["target_groups"] == before - 1
    with writing(store_path) as w:
        correct_measure(w, measure, {}, derive=derive)
    assert run_query(g, "count_inventory")[0]["target_groups"] == before
    g.close()


def test_a_different_decision_keeps_both_and_closes_the_proposal(store_path):
    g = Store(store_path, read_only=True)
    frames, review = _review(g)
    pair = review["open"][0]
    with writing(store_path) as w:
        decisions.decide(w, pair, "different")
    after, review_after = _review(g)
    assert len(after.organisations) == len(frames.organisations)
    assert [(d["a"], d["verdict"]) for d in review_after["decided"]] == [(pair["a"], "different")]
    assert len(review_after["open"]) == len(review["open"]) - 1
    g.close()


def test_the_analysis_sees_a_merge_without_a_new_import(store_path, expected):
    g = Store(store_path, read_only=True)
    frames, review = _review(g)
    pair = _cooperating_pair(frames, review)
    day = dt.date.fromisoformat(expected["at"])
    nodes = analyse(g, start=day, use_cache=False)["network"]["nodes"]
    with writing(store_path) as w:
        decisions.decide(w, pair, "same")
    assert analyse(g, start=day, use_cache=False)["network"]["nodes"] == nodes - 1
    g.close()


def test_decision_source_is_plain_rdf(store_path):
    g = Store(store_path, read_only=True)
    _, review = _review(g)
    with writing(store_path) as w:
        decisions.decide(w, review["open"][0], "same")
    rows = g.select(f"SELECT ?a ?b WHERE {{ ?a <{decisions.SAME}> ?b }}")
    assert {rows[0]["a"], rows[0]["b"]} == {review["open"][0]["a_iri"], review["open"][0]["b_iri"]}
    json.dumps(rows)
    g.close()
