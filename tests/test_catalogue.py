"""Browsing the inventory: filters over measures, the measure table, organisation profiles."""

import datetime as dt

import pytest

from knotenpunkt.graph.catalogue import filter_options, measure_table, organisation_profile, organisations_of, select_measures
from knotenpunkt.graph.extract import HF_SCHEME, ZG_SCHEME, load_frames
from knotenpunkt.graph.network import build_cooperation_graph, centralities


@pytest.fixture(scope="module")
def frames(sample_import):
    return load_frames(sample_import[0])


def _ids(frames, measures):
    table = frames.measures[frames.measures["measure"].isin(measures)]
    return set(table["source_id"])


def _truth(expected, **where):
    """Ground-truth measure ids (imported ones) whose list `key` contains `value`."""
    (key, value), = where.items()
    return {m for m, truth in expected["ground_truth"].items() if value in truth[key]}


def test_district_and_day_select_the_active_measures_located_there(frames, expected):
    at = dt.date.fromisoformat(expected["at"])
    district = next(d for d in frames.districts["district"] if d.endswith("/niedergirmes"))
    found = select_measures(frames, district=[district], start=at, end=at)
    assert len(found) == expected["gaps"]["active_measures_per_district"]["niedergirmes"]


def test_a_target_group_selects_measures_for_narrower_groups_too(frames, expected):
    imported = _ids(frames, set(frames.measures["measure"]))
    broad = _ids(frames, select_measures(frames, target_group=[ZG_SCHEME + "frauen"]))
    narrow = _ids(frames, select_measures(frames, target_group=[ZG_SCHEME + "gefluechtete-frauen"]))
    assert narrow and narrow <= broad
    assert _truth(expected, target_groups="gefluechtete-frauen") & imported <= broad


def test_filters_combine_with_and_and_values_with_or(frames):
    language = select_measures(frames, field=[HF_SCHEME + "sprache"])
    health = select_measures(frames, field=[HF_SCHEME + "gesundheit"])
    assert select_measures(frames, field=[HF_SCHEME + "sprache", HF_SCHEME + "gesundheit"]) == language | health
    women = select_measures(frames, target_group=[ZG_SCHEME + "frauen"])
    assert select_measures(frames, field=[HF_SCHEME + "sprache"], target_group=[ZG_SCHEME + "frauen"]) == \
        language & women


def test_text_search_finds_the_title_and_the_own_id(frames, expected):
    truth = expected["ground_truth"]["M-001"]
    assert "M-001" in _ids(frames, select_measures(frames, text=truth["title"].upper()))
    assert _ids(frames, select_measures(frames, text="M-001")) == {"M-001"}


def test_measure_table_has_one_row_per_measure_with_labels_in_the_language(frames, expected):
    table = measure_table(frames, lang="en")
    assert len(table) == expected["measures_imported"] == table["measure"].nunique()
    row = table[table["id"] == "M-001"].iloc[0]
    truth = expected["ground_truth"]["M-001"]
    assert row["target_group"] == ", ".join(sorted(frames.label(ZG_SCHEME + g, "en") for g in truth["target_groups"]))
    assert (row["sheet"], row["row"]) == (expected["sheets"]["measures"], truth["row"])


def test_filter_options_offer_every_vocabulary_concept_and_the_areas_with_their_parents(frames):
    options = filter_options(frames, "de")
    assert len(options["field"]) == sum(1 for iri in frames.labels if iri.startswith(HF_SCHEME))
    assert set(frames.values("district")["value"]) <= set(options["district"])
    assert any(label == "Wetzlar" for label in options["district"].values())  # the city contains every district


def test_organisations_of_measures_are_their_providers_and_partners(frames):
    measure = frames.values("partner")["measure"].iloc[0]
    expected = set(frames.measures.loc[frames.measures["measure"] == measure, "provider"]) | \
        set(frames.values("partner").query("measure == @measure")["value"])
    assert organisations_of(frames, [measure]) == expected


def test_organisation_profile_lists_measures_partners_networks_and_metrics(frames, expected):
    G = build_cooperation_graph(frames)
    org = max(G, key=G.degree)
    profile = organisation_profile(frames, G, org, names=["Alias"], metrics=centralities(G))
    assert profile["names"] == ["Alias"]
    assert set(profile["partners"]["organisation"]) == set(G[org])
    assert set(profile["measures"]["role"]) <= {"provider", "partner"}
    assert profile["metrics"]["degree"] == pytest.approx(G.degree(org) / (len(G) - 1), abs=1e-4)
    members = frames.memberships[frames.memberships["member"] == org]["network"]
    assert profile["networks"] == sorted(frames.label(n) for n in set(members))
