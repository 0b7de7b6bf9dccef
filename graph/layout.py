"""Seeded node positions for the network pictures, without SciPy at any size.

networkx's spring layout switches to a SciPy sparse solver at 500 nodes, and SciPy is
not a dependency; so small graphs use networkx's dense (NumPy) Fruchterman–Reingold,
and every graph of `SPRING_LIMIT` nodes or more uses igraph's (C core). Parts that are
not connected to the largest one are laid out beside it in rows, so they do not
drift to the edge of the frame.
"""

import random

import networkx as nx

__all__ = ["SPRING_LIMIT", "compute_layout", "unit_layout"]

SPRING_LIMIT = 500  # from this many nodes on, igraph lays out (networkx would need SciPy)


def unit_layout(G, *, seed=42, weight=None):
    """Positions in about [-1, 1] × [-1, 1]: the connected parts in a seeded force layout.

    Parameters
    ----------
    G : networkx.Graph
    seed : int
    weight : str, optional
        Edge attribute pulling nodes together (networkx path only); None treats every edge alike.

    Returns
    -------
    dict
        Node → (x, y) floats.

    Examples
    --------
    >>> G = nx.path_graph(["a", "b", "c"])
    >>> unit_layout(G) == unit_layout(G)
    True
    """
    if not len(G):
        return {}
    connected = [n for n in G if G.degree(n)]
    isolated = sorted((n for n in G if not G.degree(n)), key=str)
    pos = {}
    if connected:
        core = G.subgraph(connected)
        if len(core) < SPRING_LIMIT:
            raw = nx.spring_layout(core, seed=seed, iterations=50, k=2 / len(core) ** 0.5, weight=weight)
        else:
            raw = _igraph_layout(core, seed)
        xs = [p[0] for p in raw.values()]
        ys = [p[1] for p in raw.values()]
        cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
        extent = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9) / 2
        pos = {n: ((x - cx) / extent, (y - cy) / extent) for n, (x, y) in raw.items()}
    if isolated:  # a grid below the connected part
        per_row = max(8, int(len(isolated) ** 0.5 * 1.5))
        step = 2 / per_row
        top = -1.2 if pos else 1.0
        for i, n in enumerate(isolated):
            pos[n] = (-1 + step * (i % per_row) + step / 2, top - step * (i // per_row))
    return pos


def _igraph_layout(G, seed):
    """Fruchterman–Reingold by igraph from seeded random start positions (grid-accelerated when large)."""
    import igraph as ig

    nodes = list(G)
    index = {n: i for i, n in enumerate(nodes)}
    H = ig.Graph(n=len(nodes), edges=[(index[a], index[b]) for a, b in G.edges()])
    rng = random.Random(seed)
    start = [[rng.uniform(-1, 1), rng.uniform(-1, 1)] for _ in nodes]
    ig.set_random_number_generator(rng)  # igraph's layout draws random displacements too
    coords = H.layout_fruchterman_reingold(seed=start, niter=300 if len(nodes) < 5000 else 150,
                                           grid="auto").coords
    return dict(zip(nodes, (tuple(c) for c in coords)))


def compute_layout(G, *, seed=42, scale=1000):
    """Positions of the nodes in pixels, the same for the same graph and seed.

    Returns
    -------
    dict
        Node → (x, y) as ints.

    Examples
    --------
    >>> G = nx.path_graph(["a", "b", "c"])
    >>> compute_layout(G) == compute_layout(G)
    True
    """
    scale = scale * max(1.0, (len(G) / 150) ** 0.5)  # room for labels in larger networks
    return {n: (int(round(x * scale)), int(round(y * scale))) for n, (x, y) in unit_layout(G, seed=seed).items()}
