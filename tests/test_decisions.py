"""Organisation decisions: written as RDF at once, resolved in the analysis tables and the diff, undone."""

import json
import shutil

import openpyxl
import pytest

from graph import decisions
from graph.analysis import analyse
from graph.extract import load_frames
from graph.queries import run_query
from graph.store import Store, writing
from graph.versions import diff
from ingest.importer import import_files
from ingest.mapping import last_organisations, load_remembered


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
    names = {r["organisation"]: [n for n in (r["other_names"] or "").split(" | ") if n]
             for r in run_query(g, "organisation_names")}
    return frames, decisions.review_proposals(last_organisations(g)["proposals"], frames,
                                              decisions.name_index(frames, names))


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
    raw = diff(g)
    assert raw["lost_organisations"]  # what versions.diff alone would report
    resolved = decisions.resolve_diff(raw, load_frames(g))
    for kind in ("new_organisations", "lost_organisations", "new_cooperations", "lost_cooperations"):
        assert resolved[kind] == unchanged[kind], kind
    assert resolved["ended_measures"] == unchanged["ended_measures"]
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
    import datetime as dt

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
