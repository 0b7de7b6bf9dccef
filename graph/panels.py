"""What a click on an organisation in the network picture shows: its measures and its closest partners."""

from collections import defaultdict

__all__ = ["organisation_panels", "name_groups"]


def organisation_panels(frames, G, *, top=8):
    """The measures (as provider or partner) and the strongest partners of every node of `G`.

    Parameters
    ----------
    frames : graph.extract.Frames
    G : networkx.Graph
        The cooperation graph or a part of it (node attribute ``label``, edge ``weight``).
    top : int
        At most this many measures and partners per organisation.

    Returns
    -------
    dict
        Node → ``measures`` (titles, provided first, then by title), ``measures_total``,
        ``partners`` (labels, strongest link first) and ``partners_total``.
    """
    measures = defaultdict(list)
    titles = dict(zip(frames.measures["measure"], frames.measures["title"]))
    for measure, provider in zip(frames.measures["measure"], frames.measures["provider"]):
        measures[provider].append((0, str(titles.get(measure) or "")))
    partners = frames.values("partner")
    for measure, partner in zip(partners["measure"], partners["value"]):
        measures[partner].append((1, str(titles.get(measure) or "")))
    out = {}
    for n in G:
        own = sorted(set(measures.get(n, ())), key=lambda m: (m[0], m[1].lower()))
        links = sorted(G[n].items(), key=lambda item: (-item[1].get("weight", 1), str(G.nodes[item[0]].get("label"))))
        out[n] = {"measures": [title for _, title in own[:top]], "measures_total": len(own),
                  "partners": [str(G.nodes[m].get("label", m)) for m, _ in links[:top]], "partners_total": len(links)}
    return out


def name_groups(G, groups, *, smallest=3):
    """A name for every group of nodes, drawn from its best-connected member; tiny groups pooled.

    Parameters
    ----------
    G : networkx.Graph
    groups : dict
        Node → group number (e.g. a Louvain community).
    smallest : int
        Groups with fewer members join the pooled group None.

    Returns
    -------
    dict
        Node → (group key, best-connected member's label); pooled nodes get (None, None).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("d", "e")])
    >>> nx.set_node_attributes(G, {n: n.upper() for n in G}, "label")
    >>> name_groups(G, {"a": 1, "b": 1, "c": 1, "d": 2, "e": 2})["a"]
    (1, 'B')
    >>> name_groups(G, {"a": 1, "b": 1, "c": 1, "d": 2, "e": 2})["d"]
    (None, None)
    """
    members = defaultdict(list)
    for n in G:
        members[groups.get(n)].append(n)
    out = {}
    for key, nodes in members.items():
        if key is None or len(nodes) < smallest:
            out.update(dict.fromkeys(nodes, (None, None)))
            continue
        hub = max(nodes, key=lambda n: (G.degree(n, weight="weight"), str(G.nodes[n].get("label", n))))
        out.update(dict.fromkeys(nodes, (key, str(G.nodes[hub].get("label", hub)))))
    return out
