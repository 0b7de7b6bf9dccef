"""Organisation name reconciliation: variants merged, look-alikes kept apart, decisions kept."""

import pytest

from knotenpunkt.ingest.orgs import OrgName, resolve_organisations

REGION = {"wetzlar", "lahn", "dill", "kreis"}
PLACES = {"niedergirmes", "steindorf", "dalheim", "garbenheim"}


def _resolve(*names, decisions=None):
    return resolve_organisations([n if isinstance(n, OrgName) else OrgName(n) for n in names],
                                 region=REGION, places=PLACES, decisions=decisions)


@pytest.mark.parametrize("official, variant", [
    ("Arbeiterwohlfahrt Kreisverband Lahn-Dill e.V.", "AWO Lahn-Dill"),
    ("Arbeiterwohlfahrt Kreisverband Lahn-Dill e.V.", "AWO KV Lahn-Dill"),
    ("Volkshochschule Lahn-Dill-Kreis", "vhs Lahn-Dill"),
    ("Deutsches Rotes Kreuz KV Wetzlar e.V.", "DRK"),
    ("Mehrgenerationenhaus Wetzlar", "MGH Wetzlar"),
    ("Caritasverband Wetzlar/Lahn-Dill-Eder e.V.", "Caritas Wetzlar"),
    ("Internationaler Bund (IB) Südwest gGmbH", "Internationaler Bund"),
    ("Jobcenter Lahn-Dill", "JC Lahn-Dill"),
    ("Agentur für Arbeit Wetzlar", "Arbeitsagentur Wetzlar"),
    ("Ev. Kirchengemeinde Niedergirmes", "Evangelische KG Niedergirmes"),
])
def test_variants_are_merged_into_the_official_name(official, variant):
    r = _resolve(OrgName(official, official=True), variant)
    assert r.resolve(variant) == official
    assert variant in r.variants[official]
    assert any(m["variant"] == variant and m["score"] >= 90 and m["reason"] for m in r.merges)


@pytest.mark.parametrize("a, b", [
    ("Stadt Wetzlar – Jugendamt", "Stadt Wetzlar – Sozialamt"),
    ("Türkischer Elternverein Wetzlar e.V.", "Türkisch-Islamische Gemeinde Wetzlar e.V. (DITIB)"),
    ("Jobcenter Lahn-Dill", "Agentur für Arbeit Wetzlar"),
    ("Ev. Kirchengemeinde Niedergirmes", "Kath. Kirchengemeinde Niedergirmes"),
    ("TSV Steindorf 1906 e.V.", "TSG Steindorf e.V."),
    ("Stadtteilbüro Dalheim", "Quartiersmanagement Niedergirmes"),
    ("Evangelische Kirchengemeinde Niedergirmes", "Ev. KG Garbenheim"),
])
def test_look_alikes_stay_apart(a, b):
    r = _resolve(a, b)
    assert r.resolve(a) != r.resolve(b)


def test_short_names_from_the_providers_sheet_are_certain():
    r = _resolve(OrgName("Koordinationsbüro für Jugend und Soziales", official=True, aliases=("KoBü",)), "KoBü")
    assert r.resolve("KoBü") == "Koordinationsbüro für Jugend und Soziales"


def test_two_rows_of_the_providers_sheet_are_not_merged_without_the_user():
    a = OrgName("Caritasverband Wetzlar e.V.", official=True)
    b = OrgName("Caritas Wetzlar", official=True)
    assert _resolve(a, b).resolve("Caritas Wetzlar") == "Caritas Wetzlar"
    confirmed = _resolve(a, b, decisions={"same": [["Caritas Wetzlar", "Caritasverband Wetzlar e.V."]]})
    assert confirmed.resolve("Caritas Wetzlar") == confirmed.resolve("Caritasverband Wetzlar e.V.")


def test_a_rejected_merge_is_kept_apart():
    r = _resolve("AWO", "AWO Lahn-Dill", decisions={"different": [["AWO Lahn-Dill", "AWO"]]})
    assert r.resolve("AWO") != r.resolve("AWO Lahn-Dill")


def test_subdivision_is_proposed_not_merged():
    r = _resolve("Caritasverband Wetzlar", "Caritasverband Wetzlar Migrationsdienst")
    assert r.resolve("Caritasverband Wetzlar") != r.resolve("Caritasverband Wetzlar Migrationsdienst")
    assert any("migrationsdienst" in p["reason"].message("de") for p in r.proposals)


def test_branches_of_a_chain_in_many_towns_are_not_compared_pairwise_but_a_user_decision_still_counts():
    from knotenpunkt.ingest.orgs import _candidate_pairs, _prepare

    towns = [f"ort{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(300)]
    chains = ("Caritasverband", "DRK Ortsverein", "Arbeiterwohlfahrt Ortsverein", "Volkshochschule")
    names = [OrgName(f"{chain} {town.capitalize()}") for chain in chains for town in towns]
    prepared = _prepare(names, {"region"}, set(towns))
    assert len(_candidate_pairs(prepared)) < len(names)  # was every pair of a chain's 300 branches: 179,400
    a, b = "Caritasverband Ortaa", "Caritasverband Ortab"
    apart = resolve_organisations(names, region={"region"}, places=set(towns))
    assert apart.resolve(a) != apart.resolve(b)
    joined = resolve_organisations(names, region={"region"}, places=set(towns), decisions={"same": [[a, b]]})
    assert joined.resolve(a) == joined.resolve(b)
