"""The analysis on the sample's planted answers, on a real policy network (chemnet) and on real
project × organisation data (civic data)."""

import datetime as dt
import pickle

import networkx as nx
import pandas as pd
import pytest

from knotenpunkt.graph import network
from knotenpunkt.graph.analysis import analyse
from knotenpunkt.graph.extract import load_frames
from knotenpunkt.graph.gaps import measure_cells
from knotenpunkt.graph.store import Store
from knotenpunkt.ingest.importer import import_files
from knotenpunkt.ingest.mapping import decide_organisations
from knotenpunkt.ingest.orgs import OrgName, resolve_organisations
from tests.conftest import ROOT

SHARED = ROOT.parent / "shared" / "data"
ZG, HF = "https://w3id.org/knotenpunkt/voc/zielgruppe/", "https://w3id.org/knotenpunkt/voc/handlungsfeld/"
GEBIET = "https://w3id.org/knotenpunkt/id/wetzlar/gebiet/"


@pytest.fixture(scope="module")
def result(sample_workbook, expected):
    store = Store()
    import_files([sample_workbook], store)
    at = dt.date.fromisoformat(expected["at"])
    return analyse(store, start=at, use_cache=False)


def _ids(group):
    return {m["source"]["id"] for m in group["measures"]}


def test_result_has_the_documented_keys(result):
    assert {"gaps", "overlaps", "org_duplicates", "network", "findings"} <= set(result)
    assert {"zero_cells", "unserved_districts", "supply", "funding_cliff"} <= set(result["gaps"])
    assert {"brokers", "bridges", "isolates", "communities", "introductions", "centrality"} <= set(result["network"])
    assert set(result["network"]["centrality"][0]) == {"iri", "label", "degree", "betweenness", "closeness",
                                                       "eigenvector"}
    cell = result["gaps"]["zero_cells"][0]
    assert set(cell["target_group"]) == {"iri", "label", "label_en"} and cell["district"] is None
    group = result["overlaps"][0]
    assert {"measures", "target_group", "field", "district", "period", "why_de", "why_en", "rank"} <= set(group)
    assert {"iri", "title", "provider", "source"} <= set(group["measures"][0])
    assert set(group["measures"][0]["source"]) == {"file", "sheet", "row", "id"}


def test_projections_count_common_providers(result, sample_import):
    pairs = result["network"]["projections"]["target_group"]
    assert pairs and pairs == sorted(pairs, key=lambda p: -p["providers"])
    store, _ = sample_import
    a, b = pairs[0]["a"]["iri"], pairs[0]["b"]["iri"]
    frames = load_frames(store)
    at = dt.date.fromisoformat(result["period"]["start"])
    located = measure_cells(frames, at, at)
    located = located.dropna(subset=["district"]).merge(frames.measures[["measure", "provider"]], on="measure")
    by_group = located.groupby("target_group")["provider"].agg(set)
    assert pairs[0]["providers"] == len(by_group[a] & by_group[b])


def test_every_planted_zero_cell_is_found(result, expected):
    citywide = {(z["target_group"]["iri"], z["field"]["iri"]) for z in result["gaps"]["zero_cells"]
                if z["district"] is None}
    for planted in expected["gaps"]["zero_cells"]:
        assert (ZG + planted["target_group"], HF + planted["field"]) in citywide, planted


def test_narrower_target_groups_count_towards_broader_ones(result):
    citywide = {(z["target_group"]["iri"], z["field"]["iri"]) for z in result["gaps"]["zero_cells"]
                if z["district"] is None}
    # The sample has measures for asylum seekers in counselling, so refugees are served there too.
    assert (ZG + "asylsuchende", HF + "beratung-erstorientierung") not in citywide
    assert (ZG + "gefluechtete", HF + "beratung-erstorientierung") not in citywide


def test_local_zero_cells_for_a_named_district(sample_workbook, expected):
    store = Store()
    import_files([sample_workbook], store)
    result = analyse(store, start=dt.date.fromisoformat(expected["at"]), districts=["Dalheim"], use_cache=False)
    local = [z for z in result["gaps"]["zero_cells"] if z["district"] is not None]
    assert local and {z["district"]["iri"] for z in local} == {GEBIET + "dalheim"}
    citywide = {(z["target_group"]["iri"], z["field"]["iri"]) for z in result["gaps"]["zero_cells"]
                if z["district"] is None}
    assert not citywide & {(z["target_group"]["iri"], z["field"]["iri"]) for z in local}
    dalheim = next(s for s in result["gaps"]["supply"] if s["district"]["iri"] == GEBIET + "dalheim")
    assert dalheim["local_gaps"] == len(local)


def test_unserved_districts_are_exactly_the_planted_ones(result, expected):
    assert {d["iri"] for d in result["gaps"]["unserved_districts"]} == {GEBIET + d for d in
                                                                       expected["gaps"]["unserved_districts"]}


def test_supply_per_1000_residents_with_a_migration_background(result, expected):
    row = next(s for s in result["gaps"]["supply"] if s["district"]["iri"] == GEBIET + "niedergirmes")
    district = next(d for d in expected["districts"] if "Niedergirmes" in str(d))
    assert row["inhabitants"] == district.get("inhabitants", district.get("einwohner"))
    assert row["per_1000"] == pytest.approx(row["measures"] / (row["inhabitants"] * row["migration_share"]) * 1000,
                                            abs=0.01)


def test_every_planted_overlap_is_found_with_its_cell(result, expected):
    for planted in expected["overlaps"]["uncoordinated"]:
        group = next((g for g in result["overlaps"] if set(planted["measures"]) <= _ids(g)), None)
        assert group is not None, planted
        assert group["target_group"]["iri"] == ZG + planted["target_group"]
        assert group["field"]["iri"] == HF + planted["field"]
        assert group["district"]["iri"] == GEBIET + planted["district"]
        assert "keine Kooperation" in group["why_de"] and "no cooperation" in group["why_en"]


@pytest.mark.parametrize("kind", ["cooperating", "disjoint_periods"])
def test_no_decoy_is_flagged(result, expected, kind):
    for decoy in expected["overlaps"][kind]:
        assert not any(set(decoy["measures"]) <= _ids(g) for g in result["overlaps"]), decoy


def test_confirming_an_organisation_merge_removes_its_apparent_overlap(sample_workbook, expected):
    store = Store()
    import_files([sample_workbook], store)
    at = dt.date.fromisoformat(expected["at"])
    before = analyse(store, start=at, use_cache=False)["overlaps"]
    suspicious = [g for g in before if "offener Vorschlag" in g["why_de"]]
    assert suspicious
    decide_organisations(store, "Koordinationsbüro", "Koordinationsbüro Integration", "same")
    import_files([sample_workbook], store)
    after = analyse(store, start=at, use_cache=False)["overlaps"]
    assert len(after) == len(before) - len(suspicious)


def test_findings_read_well_in_german(result, expected):
    sentences = [f["de"] for f in result["findings"]]
    for district in expected["gaps"]["unserved_districts"]:
        label = next(d["name"] for d in expected["districts"] if d["name"].lower().startswith(district[:5]))
        assert any(f"In „{label}“" in s and "kein Angebot vor Ort" in s for s in sentences)
    assert any(s.startswith("Ohne „") and "zerfällt das Netzwerk" in s for s in sentences)
    assert all(f["en"] and f["action_de"] and f["action_en"] for f in result["findings"])


def test_results_are_cached_by_data_version_outside_the_store(tmp_path, sample_workbook):
    from knotenpunkt.graph.analysis import CACHE

    store = Store(tmp_path / "store")
    import_files([sample_workbook], store)
    generation = store.generation
    first = analyse(store, start=dt.date(2026, 11, 15))
    assert store.generation == generation  # the analysis wrote nothing into the store
    assert not list((tmp_path / "store").rglob("analysis_cache.json"))
    assert analyse(store, start=dt.date(2026, 11, 15)) == first
    key = next(k for k in CACHE if k[1] == store.data_version())
    CACHE[key] = pickle.dumps({"marker": True})
    try:
        assert analyse(store, start=dt.date(2026, 11, 15)) == {"marker": True}  # served from the cache
        store.drop_graph(next(g for g in store.graphs() if "/data/" in g))
        assert analyse(store, start=dt.date(2026, 11, 15)) != {"marker": True}  # data changed: recomputed
    finally:
        CACHE.pop(key, None)  # the cache is the process's: other tests analyse the same data


# --------------------------------------------------------------------------------------
# chemnet: a real policy network (Leifeld & Schneider 2012), 30 organisations


@pytest.fixture(scope="module")
def chemnet():
    edges = pd.read_csv(SHARED / "chemnet" / "edges.csv")
    G = nx.Graph()
    G.add_nodes_from(pd.read_csv(SHARED / "chemnet" / "nodes.csv")["id"])
    G.add_edges_from(zip(edges["source"], edges["target"]))
    return G, edges


def test_chemnet_degree_betweenness_components_match_igraph(chemnet):
    import igraph as ig

    G, _ = chemnet
    ours = network.centralities(G)
    nodes = sorted(G)
    H = ig.Graph.TupleList(G.edges(), directed=False, vertex_name_attr="name")
    H.add_vertices([n for n in nodes if n not in set(H.vs["name"])])
    index = {name: i for i, name in enumerate(H.vs["name"])}
    n = len(nodes)
    for node in nodes:
        v = index[node]
        assert ours.at[node, "degree"] == pytest.approx(H.degree(v) / (n - 1))
        assert ours.at[node, "betweenness"] == pytest.approx(H.betweenness(v, directed=False) / ((n - 1) * (n - 2) / 2))
    assert nx.number_connected_components(G) == len(H.connected_components())


def test_chemnet_large_graph_path_agrees_with_networkx(chemnet, monkeypatch):
    G, _ = chemnet
    small = network.centralities(G)
    monkeypatch.setattr(network, "MEDIUM_GRAPH", 0)
    large = network.centralities(G).loc[small.index]
    assert large["degree"].tolist() == pytest.approx(small["degree"].tolist())
    assert large["betweenness"].tolist() == pytest.approx(small["betweenness"].tolist())


def test_chemnet_communities_are_reproducible_with_a_seed(chemnet):
    G, _ = chemnet
    first = network.find_communities(G, seed=7)
    assert network.find_communities(G, seed=7) == first
    assert sorted(n for c in first for n in c) == sorted(G)


def test_chemnet_bridges_and_brokers(chemnet):
    G, _ = chemnet
    brokers = network.rank_brokers(G, top=3)
    assert brokers["score"].is_monotonic_decreasing
    assert {b["node"] for b in network.find_bridges(G)} == set(nx.articulation_points(G))


# --------------------------------------------------------------------------------------
# civic data: real projects × organisations (CC-BY 4.0) with real near-duplicate names


@pytest.fixture(scope="module")
def civic():
    return pd.read_csv(SHARED / "civic-data-datenprojekte" / "project_organisation.csv")


def test_civic_project_organisation_projection(civic):
    P = network.bipartite_projection(civic, left="project_id", right="organisation")
    pairs = civic.merge(civic, on="project_id")
    pairs = pairs[pairs["organisation_x"] < pairs["organisation_y"]]
    shared = pairs.groupby(["organisation_x", "organisation_y"])["project_id"].nunique()
    assert P.number_of_edges() == len(shared)
    for (a, b), count in shared.items():
        assert P[a][b]["weight"] == count
    assert set(P) == set(civic["organisation"])


def test_civic_near_duplicate_names_are_proposed(civic):
    r = resolve_organisations([OrgName(n) for n in sorted(set(civic["organisation"]))])
    pairs = {frozenset((p["a"], p["b"])) for p in r.proposals} | \
        {frozenset((m["canonical"], m["variant"])) for m in r.merges}
    for pair in [("Alexander von Humboldt Institute for Internet and Society",
                  "Humboldt Institute for Internet and Society (HIIG)"),
                 ("OK Lab Bonn", "OK Lab Bonn-Rhein-Sieg"), ("DRK-Wohlfahrt", "Deutsches Rotes Kreuz e.V."),
                 ("OpendataLab Heilbronn", "Opendatalab")]:
        assert frozenset(pair) in pairs, pair
    assert not r.merges  # look-alikes across cities are never merged automatically


# The coverage matrix counted from the measures themselves: an implementation independent of the
# summary (graph/summary.py counts with pandas) for the tests below.
COVERAGE_FROM_MEASURES = """
SELECT ?at ?target_group ?field (COUNT(DISTINCT ?active) AS ?measures) WHERE {
  ?target_group skos:inScheme <https://w3id.org/knotenpunkt/voc/zielgruppe> .
  ?field skos:inScheme <https://w3id.org/knotenpunkt/voc/handlungsfeld> .
  OPTIONAL {
    SELECT DISTINCT ?target_group ?field ?m ?start ?end WHERE {
      ?m a kp:Measure ; dct:audience/skos:broader* ?target_group ; cv:thematicArea ?field .
      OPTIONAL { ?m schema:startDate ?start }
      OPTIONAL { ?m schema:endDate ?end }
    }
  }
  BIND(IF(COALESCE(?start <= ?at, true) && COALESCE(?end >= ?at, true), ?m, ?none) AS ?active)
}
GROUP BY ?at ?target_group ?field
"""


def test_summary_coverage_matrix_agrees_with_counting_the_measures(sample_import):
    """The canned query reads the summary written at import; counting the measures in SPARQL agrees."""
    from knotenpunkt.graph.queries import run_query

    store, _ = sample_import
    rows = run_query(store, "coverage_matrix")
    day = rows[0]["as_of"]
    assert {r["as_of"] for r in rows} == {day} and abs(day - dt.date.today()) <= dt.timedelta(days=1)
    expected = store.select(COVERAGE_FROM_MEASURES, bindings={"at": day})
    assert {(r["target_group"], r["field"]): r["measures"] for r in rows} == \
        {(r["target_group"], r["field"]): r["measures"] for r in expected}
    assert sum(r["measures"] for r in rows) > 0 and any(r["measures"] == 0 for r in rows)


def test_summary_coverage_in_an_area_agrees_with_the_analysis(sample_import):
    """Zero cells included; measures located in the area only."""
    from knotenpunkt.graph.gaps import coverage_matrix
    from knotenpunkt.graph.queries import run_query

    store, _ = sample_import
    frames = load_frames(store)
    day = run_query(store, "coverage_matrix")[0]["as_of"]
    checked = 0
    for district in frames.districts["district"]:
        rows = run_query(store, "coverage_in_area", district=district)
        matrix = coverage_matrix(frames, day, day, district=district)
        assert {(r["target_group"], r["field"]): r["measures"] for r in rows} == \
            {(tg, f): int(matrix.loc[tg, f]) for tg in matrix.index for f in matrix.columns}
        checked += sum(r["measures"] for r in rows) > 0
    assert checked >= 3


def test_summary_unserved_districts_and_key_figures_agree_with_the_data(sample_import):
    from knotenpunkt.graph.gaps import unserved_districts
    from knotenpunkt.graph.queries import run_query

    store, _ = sample_import
    rows = run_query(store, "unserved_districts")
    day = rows[0]["as_of"]
    assert {r["district"] for r in rows} == set(unserved_districts(load_frames(store), day, day)[0])
    assert run_query(store, "count_inventory") == run_query(store, "extract_key_figures")
    assert run_query(store, "count_inventory")[0]["measures"] > 100


def test_the_summary_follows_every_change_of_the_data(sample_workbook):
    """Dropping a source derives the summary again; so does the store of a version without one."""
    from knotenpunkt.graph.queries import run_query
    from knotenpunkt.graph.store import Store
    from knotenpunkt.graph.summary import SUMMARY_KEY
    from knotenpunkt.ingest.importer import import_files

    g = Store()
    assert run_query(g, "count_inventory")[0]["measures"] == 0 and run_query(g, "coverage_matrix") == []
    import_files([sample_workbook], g)
    assert SUMMARY_KEY in g.graphs() and run_query(g, "count_inventory")[0]["measures"] > 0
    g.drop_graph(next(k for k in g.graphs() if "/graph/data/" in k))
    assert run_query(g, "count_inventory")[0]["measures"] == 0


def test_english_findings_use_english_labels(result):
    cells = [z for z in result["gaps"]["zero_cells"] if z["district"] is None]
    findings = [f for f in result["findings"] if f["kind"] == "zero_cell"]
    assert findings
    for finding in findings:
        cell = next(z for z in cells if f"„{z['target_group']['label']}“" in finding["de"]
                    and f"„{z['field']['label']}“" in finding["de"])
        assert f"\"{cell['target_group']['label_en']}\"" in finding["en"]
        assert f"\"{cell['field']['label_en']}\"" in finding["en"]
    assert any(z["target_group"]["label_en"] != z["target_group"]["label"] for z in cells)


def test_queries_over_written_out_hierarchies_agree_with_property_paths(sample_import):
    """providers_in_district and list_measures join kp:broaderOrSelf (written at import); the
    property path skos:broader* over the data gives the same answers, for every area and target group."""
    from knotenpunkt.graph.queries import run_query

    store, _ = sample_import

    def with_path(query, var, value):  # VALUES, as a server would bind it
        return store.select(query.replace("WHERE {", f"WHERE {{ VALUES ?{var} {{ <{value}> }}", 1))

    providers = """SELECT ?district ?organisation (COUNT(DISTINCT ?measure) AS ?measures) WHERE {
      ?measure a kp:Measure ; kp:provider ?organisation ; dct:spatial/skos:broader* ?district } GROUP BY ?district ?organisation"""
    areas = [r["a"] for r in store.select("SELECT DISTINCT ?a WHERE { ?m dct:spatial/skos:broader* ?a }")]
    for area in areas:
        assert sorted((r["organisation"], r["measures"]) for r in run_query(store, "providers_in_district", district=area)) \
            == sorted((r["organisation"], r["measures"]) for r in with_path(providers, "district", area))
    measures = "SELECT DISTINCT ?measure WHERE { ?measure a kp:Measure ; dct:audience/skos:broader* ?target_group }"
    groups = [r["g"] for r in store.select("SELECT ?g WHERE { ?g skos:inScheme <https://w3id.org/knotenpunkt/voc/zielgruppe> }")]
    for group in groups:
        assert {r["measure"] for r in run_query(store, "list_measures", target_group=group)} \
            == {r["measure"] for r in with_path(measures, "target_group", group)}
    assert len(areas) > 10 and len(groups) > 10


def test_bridges_match_counting_the_parts_node_by_node():
    """`find_bridges` counts every articulation point's parts in one pass; the same as removing each one."""
    import random

    def by_removal(G, detail=50):
        out = []
        for node in sorted(nx.articulation_points(G), key=lambda n: (-G.degree(n), str(n)))[:detail]:
            parts = list(nx.connected_components(G.subgraph(nx.node_connected_component(G, node) - {node})))
            sizes = sorted((len(p) for p in parts), reverse=True)
            out.append({"node": node, "label": node, "parts": len(parts), "cut_off": sum(sizes[1:])})
        return sorted(out, key=lambda b: (-b["cut_off"], -b["parts"], b["label"]))

    for seed in range(60):
        rnd = random.Random(seed)
        n = rnd.randint(1, 40)
        G = nx.relabel_nodes(nx.gnm_random_graph(n, rnd.randint(0, 2 * n), seed=seed), lambda v: f"o{v:02d}")
        G.add_edges_from(nx.relabel_nodes(nx.path_graph(rnd.randint(1, 6)), lambda v: f"p{v}").edges)
        nx.set_node_attributes(G, {v: v for v in G}, "label")
        assert network.find_bridges(G) == by_removal(G)
        assert network.find_bridges(G, detail=2) == by_removal(G, detail=2)
