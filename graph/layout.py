"""Seeded node positions for the network pictures, without SciPy at any size.

networkx's spring layout switches to a SciPy sparse solver at 500 nodes, and SciPy is
not a dependency; so every layout comes from igraph (C core): Kamada–Kawai for parts of
up to `KK_LIMIT` nodes, Fruchterman–Reingold above. Parts that are not connected to the
largest one are laid out in rows below it, so they do not drift to the edge of the frame.
"""

import random

import networkx as nx

from knotenpunkt.graph.network import igraph, to_igraph

__all__ = ["SPRING_LIMIT", "KK_LIMIT", "compute_layout", "unit_layout"]

SPRING_LIMIT = 500  # networkx would need SciPy from this many nodes on (kept for callers; igraph lays out all)


def unit_layout(G, *, seed=42, weight=None):
    """Positions in about [-1, 1] × [-1, 1]: the largest part fills the square, the rest in rows below it.

    The largest connected part gets a force layout (Kamada–Kawai by igraph up to
    `KK_LIMIT` nodes, which spreads dense cores evenly; Fruchterman–Reingold above);
    smaller parts are laid out each in its own cell, and isolated nodes in a grid,
    in rows below, so that nothing drifts to the edge of the frame.

    Parameters
    ----------
    G : networkx.Graph
    seed : int
    weight : str, optional
        Unused by the force layouts (every link counts the same); kept for callers.

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
    parts = sorted((sorted(c, key=str) for c in nx.connected_components(G)), key=lambda c: (-len(c), str(c[0])))
    pos = {}
    main = parts[0] if len(parts[0]) > 1 else []
    if main:
        pos.update(_spread(_normalised(_igraph_layout(G.subgraph(main), seed), 1.0, (0.0, 0.0))))
    small = [p for p in parts if len(p) > 1 and p is not main]
    singles = [p[0] for p in parts if len(p) == 1]
    top = -1.15 if pos else 1.0
    cell = 0.4
    per_row = 5
    for i, part in enumerate(small):
        centre = (-1 + cell / 2 + (i % per_row) * (2 / per_row), top - cell / 2 - (i // per_row) * cell)
        pos.update(_normalised(_igraph_layout(G.subgraph(part), seed), cell * 0.4, centre))
    if small:
        top -= cell * ((len(small) - 1) // per_row + 1)
    if singles:
        per_row = max(10, int(len(singles) ** 0.5 * 1.5))
        step = 2 / per_row
        for i, n in enumerate(singles):
            pos[n] = (-1 + step * (i % per_row) + step / 2, top - step / 2 - step * (i // per_row))
    return pos


KK_LIMIT = 600  # Kamada–Kawai (all pairs' distances) up to this many nodes, Fruchterman–Reingold above


def _spread(pos, power=0.65):
    """Pull a dense centre apart: each point's distance from the middle to the power `power` (< 1)."""
    out = {}
    for n, (x, y) in pos.items():
        r = (x * x + y * y) ** 0.5
        f = r ** power / r if r > 1e-9 else 1.0
        out[n] = (x * f, y * f)
    return _normalised(out, 1.0, (0.0, 0.0))


def _normalised(raw, half, centre):
    """Scale positions into a square of half-width `half` around `centre`."""
    xs = [p[0] for p in raw.values()]
    ys = [p[1] for p in raw.values()]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    extent = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9) / 2
    return {n: (centre[0] + (x - cx) / extent * half, centre[1] + (y - cy) / extent * half) for n, (x, y) in raw.items()}


def _igraph_layout(G, seed):
    """A seeded force layout by igraph: Kamada–Kawai for small parts, grid Fruchterman–Reingold for large ones."""
    ig = igraph()
    H, nodes = to_igraph(G)
    rng = random.Random(seed)
    start = [[rng.uniform(-1, 1), rng.uniform(-1, 1)] for _ in nodes]
    ig.set_random_number_generator(rng)  # igraph's layouts draw random displacements too
    if len(nodes) <= KK_LIMIT:
        coords = H.layout_kamada_kawai(seed=start, maxiter=50 * len(nodes)).coords
    else:
        coords = H.layout_fruchterman_reingold(seed=start, niter=300 if len(nodes) < 5000 else 150, grid="auto").coords
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
    # screen y grows downwards: the smaller parts, laid out below, stay below; the frame is wider than tall
    return {n: (int(round(x * scale * 1.4)), int(round(-y * scale))) for n, (x, y) in unit_layout(G, seed=seed).items()}
