"""The stakeholder network: who cooperates, brokers, bridges, is isolated, should talk to whom.

Organisations are nodes; edges are typed and weighted: an explicit cooperation (weight
3), a joint measure (provider and partners of one measure; 2 per measure), a common
network or working group (1 per network). networkx is the graph API; above
`MEDIUM_GRAPH` nodes centralities and communities come from python-igraph (C core), and
above `LARGE_GRAPH` betweenness and closeness are sampled (BRIEF §7: exact betweenness at
25k nodes takes 54 s in igraph and about 30 min in networkx).
"""

import itertools
import random
import sys
import warnings
from collections import defaultdict

import networkx as nx
import numpy as np
import pandas as pd

from knotenpunkt.graph.errors import EmptyGraphError

__all__ = ["EDGE_WEIGHTS", "MEDIUM_GRAPH", "LARGE_GRAPH", "igraph", "build_cooperation_graph", "centralities",
           "rank_brokers", "find_bridges", "find_communities", "suggest_introductions", "bipartite_projection",
           "projection_pairs", "restrict_graph", "ego_network", "aggregate_graph", "to_igraph"]

EDGE_WEIGHTS = {"cooperation": 3, "joint_measure": 2, "network": 1}
MEDIUM_GRAPH = 1000  # above this, centralities (exact) and communities come from igraph
LARGE_GRAPH = 5000  # above this, betweenness and closeness are sampled
SAMPLE_SOURCES = 256  # sources for sampled betweenness and closeness on large graphs


def build_cooperation_graph(frames):
    """The typed, weighted cooperation graph of all organisations that run or join measures or cooperate.

    Built once per frames (the overlaps use its edges as the cooperation links).

    Returns
    -------
    networkx.Graph
        Node attributes ``label``, ``type``; edge attributes ``weight`` and ``kinds``
        (a dict kind → count).
    """
    return frames.cached("cooperation_graph", lambda: _build_cooperation_graph(frames))


def _build_cooperation_graph(frames):
    G = nx.Graph()
    funders_only = set(frames.values("funder")["value"]) - set(frames.measures["provider"]) - \
        set(frames.values("partner")["value"]) - set(frames.cooperations["a"]) - set(frames.cooperations["b"]) - \
        set(frames.memberships["member"])
    types = dict(zip(frames.organisations["organisation"], frames.organisations["type"]))
    for org in frames.organisations["organisation"]:
        if org not in funders_only:
            G.add_node(org, label=frames.label(org), type=types.get(org))

    def link(a, b, kind):
        if a == b:
            return
        data = G.get_edge_data(a, b) or {"weight": 0, "kinds": defaultdict(int)}
        data["weight"] += EDGE_WEIGHTS[kind]
        data["kinds"][kind] += 1
        G.add_edge(a, b, **data)

    for a, b in zip(frames.cooperations["a"], frames.cooperations["b"]):
        link(a, b, "cooperation")
    for kind, groups in (("joint_measure", frames.participants()), ("network", frames.network_members())):
        for orgs in groups.values():
            for a, b in itertools.combinations(sorted(orgs), 2):
                link(a, b, kind)
    for _, _, data in G.edges(data=True):
        data["kinds"] = dict(data["kinds"])
    return G


def igraph():
    """The python-igraph module, imported without matplotlib.

    igraph imports ``matplotlib.pyplot`` when it is imported, for its own plotting, which
    Knotenpunkt never uses (pictures are drawn with matplotlib directly); that costs
    0.5–1.8 s in every process that analyses a network. While igraph is imported,
    ``import matplotlib`` fails, so igraph takes its placeholder; a matplotlib already
    imported is left as it is.
    """
    if "igraph" in sys.modules or "matplotlib" in sys.modules:
        import igraph as ig
        return ig
    sys.modules["matplotlib"] = None  # `import matplotlib` raises ImportError while this is set
    try:
        import igraph as ig
    finally:
        del sys.modules["matplotlib"]
    return ig


def to_igraph(G):
    """`G` as an igraph graph (edge attribute ``weight``) and its nodes in igraph's vertex order."""
    ig = igraph()
    nodes = list(G)
    index = {n: i for i, n in enumerate(nodes)}
    H = ig.Graph(n=len(nodes), edges=[(index[a], index[b]) for a, b in G.edges()])
    H.es["weight"] = [d.get("weight", 1) for _, _, d in G.edges(data=True)]
    return H, nodes


def centralities(G, *, seed=None):
    """Degree, betweenness, closeness and eigenvector centrality of every node.

    Betweenness and closeness treat every edge as one step (who connects whom, not how
    strongly); eigenvector centrality uses the weights, per connected component. Above
    `LARGE_GRAPH` nodes they are computed in igraph from `SAMPLE_SOURCES` sampled source
    nodes (Brandes–Pich pivots) and scaled up: exact at city scale, sampled at state scale.

    Parameters
    ----------
    G : networkx.Graph
    seed : int, optional
        Seed of the source sample on large graphs.

    Returns
    -------
    pandas.DataFrame
        Indexed by node: ``degree``, ``betweenness``, ``closeness``, ``eigenvector`` (all normalised).

    Raises
    ------
    EmptyGraphError
        If `G` has no nodes.

    Examples
    --------
    >>> G = nx.path_graph(["a", "b", "c"])
    >>> centralities(G)["betweenness"].idxmax()
    'b'
    """
    if len(G) == 0:
        raise EmptyGraphError("network_empty")
    if len(G) > MEDIUM_GRAPH:
        return _igraph_centralities(G, seed, sample=len(G) > LARGE_GRAPH)
    eigen = {}
    for component in nx.connected_components(G):
        sub = G.subgraph(component)
        if len(sub) == 1:
            eigen.update(dict.fromkeys(sub, 0.0))
            continue
        try:
            eigen.update(nx.eigenvector_centrality(sub, weight="weight", max_iter=1000))
        except nx.PowerIterationFailedConvergence:
            H, nodes = to_igraph(sub)  # networkx's numpy variant needs SciPy
            eigen.update(zip(nodes, H.eigenvector_centrality(weights="weight", scale=True)))
    return pd.DataFrame({"degree": nx.degree_centrality(G), "betweenness": nx.betweenness_centrality(G),
                         "closeness": nx.closeness_centrality(G), "eigenvector": pd.Series(eigen)})


def _igraph_centralities(G, seed, *, sample):
    """Degree, betweenness and closeness (sampled when `sample`), and eigenvector centrality with igraph.

    References
    ----------
    Brandes, Ulrik, and Christian Pich. 2007. "Centrality Estimation in Large Networks."
    International Journal of Bifurcation and Chaos 17 (7): 2303–18. https://doi.org/10.1142/S0218127407018403
    """
    H, nodes = to_igraph(G)
    n = len(nodes)
    pairs = (n - 1) * (n - 2) / 2
    if not sample:
        betweenness = [b / pairs for b in H.betweenness(directed=False)]
        closeness = H.closeness()
    else:
        sources = sorted(random.Random(seed).sample(range(n), min(SAMPLE_SOURCES, n)))
        betweenness = [b * (n / len(sources)) / pairs for b in H.betweenness(directed=False, sources=sources)]
        distances = np.array(H.distances(source=sources), dtype=float)
        reachable = np.isfinite(distances) & (distances > 0)
        totals = np.where(reachable, distances, 0).sum(axis=0)
        closeness = np.divide(reachable.sum(axis=0), totals, out=np.zeros(n), where=totals > 0)
    with warnings.catch_warnings():  # igraph warns that a network of several parts has near-zero scores outside
        warnings.simplefilter("ignore", RuntimeWarning)
        eigen = H.eigenvector_centrality(weights="weight", scale=True)
    return pd.DataFrame({"degree": [d / (n - 1) for d in H.degree()], "betweenness": betweenness,
                         "closeness": closeness, "eigenvector": eigen}, index=nodes).fillna(0.0)


def rank_brokers(G, *, top=10, table=None):
    """Organisations that connect otherwise separate parts of the network, by betweenness.

    Parameters
    ----------
    G : networkx.Graph
    top : int
    table : pandas.DataFrame, optional
        `centralities` of `G`, when already computed.

    Returns
    -------
    pandas.DataFrame
        Columns ``node``, ``label``, ``score``, sorted by descending score; only nodes
        with a positive score.

    Examples
    --------
    >>> G = nx.path_graph(["a", "b", "c"])
    >>> rank_brokers(G, top=1)["node"].tolist()
    ['b']
    """
    scores = (centralities(G) if table is None else table)["betweenness"].sort_values(ascending=False)
    scores = scores[scores > 0].head(top)
    return pd.DataFrame({"node": scores.index, "label": [G.nodes[n].get("label", n) for n in scores.index],
                         "score": scores.values})


def find_bridges(G, *, detail=50):
    """Articulation points: organisations without which the network falls apart.

    Parameters
    ----------
    G : networkx.Graph
    detail : int
        How many articulation points (those with most links first) get their parts
        counted; each count is a pass over the graph, so this bounds the cost at scale.

    Returns
    -------
    list of dict
        ``node``, ``label``, ``parts`` (components of its component without it) and
        ``cut_off`` (nodes outside the largest remaining part), most important first.

    Examples
    --------
    >>> [b["node"] for b in find_bridges(nx.path_graph(["a", "b", "c"]))]
    ['b']
    """
    out = []
    parts_of = _cut_parts(G)  # one depth-first pass for every articulation point (not one pass each)
    points = sorted(parts_of, key=lambda n: (-G.degree(n), str(n)))
    for node in points[:detail]:
        sizes = sorted(parts_of[node], reverse=True)
        out.append({"node": node, "label": G.nodes[node].get("label", node), "parts": len(sizes),
                    "cut_off": sum(sizes[1:])})
    return sorted(out, key=lambda b: (-b["cut_off"], -b["parts"], b["label"]))


def _cut_parts(G):
    """Articulation point → sizes of the parts its component falls into without it (Tarjan's low points).

    One iterative depth-first search per component: a child ``c`` of ``v`` in the search tree with
    ``low[c] >= disc[v]`` is cut off with its subtree; what is left of the component (besides the
    root's own subtrees) is one more part.

    Examples
    --------
    >>> sorted(_cut_parts(nx.path_graph(4)).items())
    [(1, [2, 1]), (2, [1, 2])]
    """
    disc, low, size, out = {}, {}, {}, {}
    counter = 0
    for root in G:
        if root in disc:
            continue
        disc[root] = low[root] = counter
        counter += 1
        size[root] = 1
        cut = {}  # node -> sizes of the subtrees cut off below it
        stack = [(root, None, iter(G[root]))]
        while stack:
            node, parent, neighbours = stack[-1]
            for nb in neighbours:
                if nb == node:
                    continue
                if nb not in disc:
                    disc[nb] = low[nb] = counter
                    counter += 1
                    size[nb] = 1
                    stack.append((nb, node, iter(G[nb])))
                    break
                if nb != parent:
                    low[node] = min(low[node], disc[nb])
            else:
                stack.pop()
                if parent is not None:
                    low[parent] = min(low[parent], low[node])
                    size[parent] += size[node]
                    if low[node] >= disc[parent]:
                        cut.setdefault(parent, []).append(size[node])
        total = size[root]
        for node, sizes in cut.items():
            if node == root:
                if len(sizes) > 1:
                    out[node] = sizes
            else:
                out[node] = [*sizes, total - 1 - sum(sizes)]
    return out


def find_communities(G, *, seed=42):
    """Communities by Louvain modularity (seeded, so the same data gives the same groups).

    Returns
    -------
    list of list
        Node lists, largest community first.

    References
    ----------
    Blondel, Vincent D., Jean-Loup Guillaume, Renaud Lambiotte, and Etienne Lefebvre. 2008.
    "Fast Unfolding of Communities in Large Networks." Journal of Statistical Mechanics:
    Theory and Experiment 2008 (10): P10008. https://doi.org/10.1088/1742-5468/2008/10/P10008
    """
    if len(G) > MEDIUM_GRAPH:
        ig = igraph()
        ig.set_random_number_generator(random.Random(seed))
        H, nodes = to_igraph(G)
        clusters = H.community_multilevel(weights="weight")
        groups = [[nodes[i] for i in cluster] for cluster in clusters]
    else:
        groups = [list(c) for c in nx.community.louvain_communities(G, weight="weight", seed=seed)]
    return sorted((sorted(g) for g in groups), key=lambda g: (-len(g), g))


def suggest_introductions(G, cells, *, top=20):
    """Pairs of organisations that serve the same cells without any link between them.

    Parameters
    ----------
    G : networkx.Graph
        The cooperation graph (an edge means a link).
    cells : pandas.DataFrame
        ``provider``, ``target_group``, ``field``, ``district``: the cells each provider serves.
    top : int

    Returns
    -------
    list of dict
        ``a``, ``b``, ``cells`` (list of (target_group, field, district)), ranked by the
        number of common cells.
    """
    by_cell = defaultdict(set)
    for provider, *key in zip(cells["provider"], cells["target_group"], cells["field"], cells["district"]):
        by_cell[tuple(key)].add(provider)
    common = defaultdict(set)
    for key, providers in by_cell.items():
        for a, b in itertools.combinations(sorted(providers), 2):
            if not G.has_edge(a, b):
                common[(a, b)].add(key)
    ranked = sorted(common.items(), key=lambda item: (-len(item[1]), item[0]))[:top]
    return [{"a": a, "b": b, "cells": sorted(keys)} for (a, b), keys in ranked]


def projection_pairs(edges, *, left="left", right="right"):
    """The pairs of a two-mode table's second column that share a node of the first, with how many.

    A self-join of the table on `left` (vectorised: no graph is built).

    Returns
    -------
    pandas.DataFrame
        ``a``, ``b`` (a < b) and ``weight`` (the number of shared left nodes), sorted by
        descending weight, then ``a`` and ``b``.

    Examples
    --------
    >>> t = pd.DataFrame({"left": ["p1", "p1", "p2", "p2", "p2"], "right": ["a", "b", "a", "b", "c"]})
    >>> projection_pairs(t).values.tolist()
    [['a', 'b', 2], ['a', 'c', 1], ['b', 'c', 1]]
    """
    table = edges[[left, right]].drop_duplicates().astype(object)
    pairs = table.merge(table, on=left, suffixes=("_a", "_b"))
    pairs = pairs[pairs[f"{right}_a"] < pairs[f"{right}_b"]]
    counts = pairs.groupby([f"{right}_a", f"{right}_b"]).size().reset_index()
    counts.columns = ["a", "b", "weight"]
    return counts.sort_values(["weight", "a", "b"], ascending=[False, True, True], kind="stable").reset_index(drop=True)


def bipartite_projection(edges, *, left="left", right="right"):
    """Project a two-mode table (e.g. project × organisation) onto the second mode.

    Two nodes of the right column are linked when they share a node of the left column;
    the weight is the number of shared left nodes.

    Examples
    --------
    >>> t = pd.DataFrame({"left": ["p1", "p1", "p2", "p2"], "right": ["a", "b", "a", "b"]})
    >>> bipartite_projection(t)["a"]["b"]["weight"]
    2
    """
    P = nx.Graph()
    P.add_nodes_from(sorted(set(edges[right])))  # sorted, not set order: the same data gives the same graph
    P.add_weighted_edges_from(projection_pairs(edges, left=left, right=right).itertuples(index=False))
    return P


def restrict_graph(G, *, nodes=None, types=()):
    """The subgraph of the given nodes (default: all) whose ``type`` is one of `types` (empty: any).

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c")])
    >>> nx.set_node_attributes(G, {"a": "x", "b": "x", "c": "y"}, "type")
    >>> sorted(restrict_graph(G, types={"x"}).edges())
    [('a', 'b')]
    """
    keep = [n for n in (G if nodes is None else set(nodes) & set(G))
            if not types or G.nodes[n].get("type") in set(types)]
    return G.subgraph(keep).copy()


def ego_network(G, node, *, hops=1):
    """`node` and every node at most `hops` steps away, with the edges between them.

    Examples
    --------
    >>> sorted(ego_network(nx.path_graph(["a", "b", "c", "d"]), "a", hops=2))
    ['a', 'b', 'c']
    """
    return nx.ego_graph(G, node, radius=hops).copy()


def aggregate_graph(G, groups, *, labels=None):
    """Collapse the nodes of `G` into groups: one node per group, edges summed between groups.

    Parameters
    ----------
    G : networkx.Graph
    groups : dict
        Node → group key; nodes without a key form the group None.
    labels : dict, optional
        Group key → label (default: the key as text).

    Returns
    -------
    networkx.Graph
        Nodes are the group keys with ``label``, ``members`` (sorted node list) and ``size``;
        edges have ``weight`` (the sum of the weights of the edges between the groups)
        and ``links`` (their number). Edges inside a group are left out.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("c", "d")])
    >>> A = aggregate_graph(G, {"a": 1, "b": 1, "c": 2, "d": 2})
    >>> A.nodes[1]["size"], A[1][2]["links"]
    (2, 1)
    """
    labels = labels or {}
    A = nx.Graph()
    members = defaultdict(list)
    for n in G:
        members[groups.get(n)].append(n)
    for key, nodes in members.items():
        A.add_node(key, label=labels.get(key, str(key)), members=sorted(nodes), size=len(nodes))
    for a, b, weight in G.edges(data="weight", default=1):
        ga, gb = groups.get(a), groups.get(b)
        if ga == gb:
            continue
        data = A.get_edge_data(ga, gb) or {"weight": 0, "links": 0}
        A.add_edge(ga, gb, weight=data["weight"] + weight, links=data["links"] + 1)
    return A
