"""The network picture: self-contained HTML, data shown as text, positions from the server."""

import json
import re

import networkx as nx

from knotenpunkt.graph.network import aggregate_graph, ego_network, restrict_graph
from knotenpunkt.graph.viz import PHYSICS_LIMIT, SPRING_LIMIT, compute_layout, network_html, safe_json

EVIL = '<img src=x onerror=alert(1)>'
LINK = '<a href="javascript:alert(2)">x</a>'


def _graph():
    G = nx.Graph()
    G.add_node("a", label=EVIL, type="t1")
    G.add_node("b", label=LINK, type="t2")
    G.add_node("c", label="</script><script>alert(3)</script>", type="t1")
    G.add_edge("a", "b", weight=3)
    G.add_edge("b", "c", weight=1)
    return G


def _data(page, name):
    """The JSON given to vis.DataSet for `name` (nodes or edges), parsed back."""
    return json.loads(re.search(rf"var {name} = new vis\.DataSet\((.*?)\);\n", page).group(1))


def test_the_page_requests_nothing_from_outside():
    page = network_html(_graph(), positions=compute_layout(_graph()))
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert not re.search(r"""url\(\s*["']?(https?:)?//|@import""", page)
    assert "<script src" not in page and '<link rel="stylesheet"' not in page
    assert "vis.Network" in page and len(page) > 400_000  # vis-network itself is inlined


def test_labels_and_tooltips_cannot_become_markup():
    G = _graph()
    page = network_html(G, positions=compute_layout(G), titles={n: G.nodes[n]["label"] for n in G},
                        legend=[(EVIL, "#000")])
    script_data = page[page.index("var nodes"):]
    assert EVIL not in page and LINK not in page and "</script><script>alert(3)" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page  # the legend, escaped
    nodes = _data(script_data, "nodes")
    assert {n["title"] for n in nodes} == {G.nodes[n]["label"] for n in G}  # plain strings, exactly the text
    assert all(isinstance(n["title"], str) for n in nodes)


def test_safe_json_round_trips():
    data = {"a": "<&>\u2028", "b": [1, None]}
    assert json.loads(safe_json(data)) == data


def test_positions_come_from_the_server_and_physics_stops_above_the_limit():
    G = _graph()
    positions = compute_layout(G)
    nodes = _data(network_html(G, positions=positions), "nodes")
    assert [(n["x"], n["y"]) for n in nodes] == [positions[v] for v in G]
    big = nx.path_graph(PHYSICS_LIMIT + 1)
    assert '"physics": {"enabled": false' in network_html(big, positions=compute_layout(big))


def test_layout_is_the_same_for_the_same_graph():
    G = nx.les_miserables_graph()
    assert compute_layout(G) == compute_layout(G.copy())


def test_large_layouts_come_from_igraph_and_are_seeded():
    G = nx.powerlaw_cluster_graph(SPRING_LIMIT + 100, 2, 0.1, seed=1)
    positions = compute_layout(G)
    assert positions == compute_layout(G.copy()) != compute_layout(G, seed=7)
    assert set(positions) == set(G) and len(set(positions.values())) > len(G) * 0.95  # spread out
    scale = 1000 * (len(G) / 150) ** 0.5  # larger networks get more room, for the labels
    assert abs(max(abs(x) for x, _ in positions.values()) - 1.4 * scale) <= 1  # wider than tall, like the frame
    assert max(abs(y) for _, y in positions.values()) <= scale + 1


def test_networks_of_500_and_more_organisations_lay_out_without_scipy():
    import importlib.util

    assert importlib.util.find_spec("scipy") is None  # not a dependency: the layouts must not need it
    for n in (SPRING_LIMIT, 2000):
        G = nx.gnm_random_graph(n, 2 * n, seed=1)
        G.add_nodes_from(range(n, n + 20))  # isolates go in rows below the picture
        assert len(compute_layout(G)) == n + 20


def test_focus_selects_the_node():
    G = _graph()
    assert "var focus = 1;" in network_html(G, positions=compute_layout(G), focus="b")


def test_panels_are_data_and_the_profile_link_stays_relative():
    G = _graph()
    page = network_html(G, positions=compute_layout(G), panels={
        "a": {"title": EVIL, "subtitle": LINK, "sections": [["Angebote", [EVIL]]], "link": "organisationen?org=a"}})
    assert EVIL not in page and LINK not in page
    panels = json.loads(re.search(r"var panels = (.*?);\n", page).group(1))
    assert panels["0"]["title"] == EVIL and panels["0"]["link"] == "organisationen?org=a"
    assert "textContent" in page and "innerHTML = hint" in page  # data only ever as text


def test_the_legend_toggles_groups_and_the_biggest_nodes_keep_their_names():
    G = nx.star_graph(30)
    page = network_html(G, positions=compute_layout(G), legend=[("Verein", "#000", "triangle")],
                        groups=dict.fromkeys(G, 0), sizes={0: 40})
    nodes = _data(page[page.index("var nodes"):], "nodes")
    assert 'data-group="0"' in page and "kp-triangle" in page
    assert nodes[0]["font"]["size"] == 15 and sum("font" in n for n in nodes) == len(G) // 2


def test_ego_network_and_type_filter_and_aggregation_on_a_small_graph():
    G = _graph()
    assert set(ego_network(G, "a", hops=1)) == {"a", "b"}
    assert set(restrict_graph(G, types={"t1"})) == {"a", "c"}
    A = aggregate_graph(G, {n: G.nodes[n]["type"] for n in G})
    assert A.nodes["t1"]["members"] == ["a", "c"]
    assert A["t1"]["t2"] == {"weight": 4, "links": 2}
