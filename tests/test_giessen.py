"""A second city with real-world wording (tests/data/giessen): the analysis finds every planted
overlap, zero cell and unserved district, and nothing else.

The fixture is written by ``tests/data/giessen/make_giessen.py``; its expected.json carries
the gold concepts of every measure and the answers computed from them.
"""

import datetime as dt
import json

import pytest

from knotenpunkt.graph.analysis import analyse
from knotenpunkt.graph.store import Store
from knotenpunkt.ingest.builder import SCHEMES
from knotenpunkt.ingest.importer import import_files
from tests.conftest import ROOT

DATA = ROOT / "tests" / "data" / "giessen"
ROLES = {"target_groups": "target_groups", "fields": "fields"}


def _slug(iri):
    return str(iri).rsplit("/", 1)[-1]


@pytest.fixture(scope="module")
def expected():
    return json.loads((DATA / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def giessen(expected):
    store = Store()
    plan = import_files([DATA / expected["workbook"]], store)
    period = {k: dt.date.fromisoformat(v) for k, v in expected["period"].items()}
    return store, plan, analyse(store, start=period["start"], end=period["end"], use_cache=False)


def test_giessen_is_its_own_city_with_the_districts_of_its_sheet(giessen, expected):
    store, plan, _ = giessen
    assert plan.report["city"]["slug"] == "giessen"
    labels = {r["label"] for r in store.select(
        "SELECT ?label WHERE { ?d skos:broader ?c ; skos:prefLabel ?label . ?s kp:municipality ?c }")}
    assert {d["name"] for d in expected["districts"]} <= labels


def test_every_measure_gets_the_concepts_a_coordinator_would_choose(giessen, expected):
    _, plan, _ = giessen
    wrong = []
    for row in plan.report["rows"]:
        if row["table"] != "measures" or row["status"] == "rejected":
            continue
        truth = expected["ground_truth"][str(row["id"])]
        for role in ROLES:
            got = sorted({_slug(e["iri"]) for e in row["mapped"].get(role, []) if e.get("iri")})
            if got != truth[role]:
                wrong.append((row["id"], role, [e["text"] for e in row["mapped"].get(role, [])], got, truth[role]))
    assert wrong == []


def _overlaps(result):
    return {(tuple(sorted((m["source"]["id"] for m in o["measures"]), key=int)), _slug(o["target_group"]["iri"]),
             _slug(o["field"]["iri"]), o["district"]["label"]) for o in result["overlaps"]}


def test_every_planted_overlap_is_found_and_no_other(giessen, expected):
    _, _, result = giessen
    planted = {(tuple(o["measures"]), o["target_group"], o["field"], o["district"]) for o in expected["overlaps"]}
    assert _overlaps(result) == planted


@pytest.mark.parametrize("tag", ["C1", "C2", "C3", "D1", "D2", "D3"])
def test_cooperating_disjoint_same_provider_and_sibling_decoys_are_not_overlaps(giessen, expected, tag):
    _, _, result = giessen
    decoy = set(expected["decoys"][tag])
    assert not any(len(decoy & set(ids)) >= 2 for ids, *_ in _overlaps(result)), tag


def test_overlaps_that_meet_through_the_hierarchy_name_the_broader_group(giessen):
    _, _, result = giessen
    by_ids = {ids: tg for ids, tg, _, _ in _overlaps(result)}
    assert by_ids[("1", "2")] == "gefluechtete"  # asylum seekers and refugees
    assert by_ids[("9", "10")] == "frauen"  # refugee women and mothers


def test_zero_cells_are_exactly_the_cells_no_gold_concept_covers(giessen, expected):
    store, _, result = giessen
    reported = {(_slug(z["target_group"]["iri"]), _slug(z["field"]["iri"])) for z in result["gaps"]["zero_cells"]
                if z["district"] is None}
    groups = {_slug(r["c"]) for r in store.select("SELECT ?s ?c WHERE { ?c skos:inScheme ?s }",
                                                   bindings={"s": _iri(SCHEMES["target_groups"])})}
    fields = {_slug(r["c"]) for r in store.select("SELECT ?s ?c WHERE { ?c skos:inScheme ?s }",
                                                   bindings={"s": _iri(SCHEMES["fields"])})}
    covered = {(c["target_group"], c["field"]) for c in expected["covered_cells"]}
    assert reported == {(g, f) for g in groups for f in fields} - covered
    for cell in expected["zero_cells"]:
        assert (cell["target_group"], cell["field"]) in reported, cell
    for cell in expected["served_by_wording"]:
        assert (cell["target_group"], cell["field"]) not in reported, cell


def test_unserved_districts_are_the_planted_ones(giessen, expected):
    _, _, result = giessen
    assert sorted(d["label"] for d in result["gaps"]["unserved_districts"]) == expected["unserved_districts"]


def _iri(value):
    from rdflib import URIRef

    return URIRef(value)
