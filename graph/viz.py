"""The interactive network picture: networkx graph → one self-contained HTML string (pyvis / vis-network).

The only module that imports pyvis. pyvis builds the node and edge records; the page
around them is our own small template, because pyvis's template loads Bootstrap from
a CDN and switches to an ``innerHTML`` tooltip when a title contains "href". Here:

- every script and style is inlined (vis-network 9.1.2 from pyvis's ``lib`` folder),
  so the picture requests nothing from outside the app;
- tooltips are plain strings, which vis-network 9 shows with ``innerText``; labels are
  drawn on the canvas; the data is JSON with ``<``, ``>`` and ``&`` escaped, so no
  value can close the script; legend labels are HTML-escaped;
- positions come from the server (`compute_layout`, seeded), so nodes do not jump;
  physics is off above `PHYSICS_LIMIT` nodes.
"""

import html
import json
import random
from pathlib import Path

import networkx as nx

__all__ = ["PHYSICS_LIMIT", "SPRING_LIMIT", "AGGREGATE_LIMIT", "compute_layout", "palette", "scale_sizes", "network_html",
           "safe_json"]

PHYSICS_LIMIT = 300  # above this many nodes the picture is static (server layout only)
SPRING_LIMIT = 500  # above this many nodes the layout comes from igraph (networkx would need SciPy)
AGGREGATE_LIMIT = 2000  # above this many nodes the app shows groups instead of organisations
_COLOURS = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
            "#bab0ac", "#1f77b4", "#8c564b", "#17becf", "#bcbd22", "#7f7f7f", "#d62728", "#2ca02c", "#9467bd")
_GREY = "#9e9e9e"


def compute_layout(G, *, seed=42, scale=1000):
    """Positions of the nodes in pixels, the same for the same graph and seed.

    Fruchterman–Reingold from a seeded start: networkx's spring layout up to
    `SPRING_LIMIT` nodes, igraph's (C core, no SciPy needed) above.

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
    if not len(G):
        return {}
    if len(G) <= SPRING_LIMIT:
        pos = nx.spring_layout(G, seed=seed, iterations=50, k=2 / len(G) ** 0.5, weight=None)
    else:
        pos = _igraph_layout(G, seed)
    return {n: (int(round(x * scale)), int(round(y * scale))) for n, (x, y) in pos.items()}


def _igraph_layout(G, seed):
    """Fruchterman–Reingold by igraph from seeded random start positions, scaled into [-1, 1]."""
    import igraph as ig

    nodes = list(G)
    index = {n: i for i, n in enumerate(nodes)}
    H = ig.Graph(n=len(nodes), edges=[(index[a], index[b]) for a, b in G.edges()])
    rng = random.Random(seed)
    start = [[rng.uniform(-1, 1), rng.uniform(-1, 1)] for _ in nodes]
    ig.set_random_number_generator(rng)  # igraph's layout draws random displacements too
    coords = H.layout_fruchterman_reingold(seed=start, niter=300).coords
    extent = max(max(abs(c) for xy in coords for c in xy), 1e-9)
    return {n: (x / extent, y / extent) for n, (x, y) in zip(nodes, coords)}


def palette(keys):
    """A colour per key, in the order given (the same keys in the same order get the same colours).

    Examples
    --------
    >>> palette(["a", "b"])
    {'a': '#4e79a7', 'b': '#f28e2b'}
    """
    return {key: _COLOURS[i % len(_COLOURS)] for i, key in enumerate(keys)}


def scale_sizes(values, *, smallest=8, largest=40):
    """Node sizes from a metric: linear between `smallest` and `largest` pixels.

    Examples
    --------
    >>> scale_sizes({"a": 0.0, "b": 0.5, "c": 1.0})
    {'a': 8.0, 'b': 24.0, 'c': 40.0}
    """
    if not values:
        return {}
    low, high = min(values.values()), max(values.values())
    span = (high - low) or 1
    return {n: round(smallest + (largest - smallest) * (v - low) / span, 1) for n, v in values.items()}


def safe_json(data):
    """JSON that can sit inside a ``<script>`` element: ``<``, ``>``, ``&`` and line separators escaped.

    Examples
    --------
    >>> safe_json({"label": "</script><img src=x>"})
    '{"label": "\\\\u003c/script\\\\u003e\\\\u003cimg src=x\\\\u003e"}'
    """
    text = json.dumps(data, ensure_ascii=False)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                         ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def _vis_assets():
    """The vis-network script and stylesheet that ship with pyvis."""
    import pyvis

    lib = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"
    return (lib / "vis-network.min.js").read_text(encoding="utf-8"), (lib / "vis-network.css").read_text(encoding="utf-8")


def _records(G, positions, colors, sizes, titles, physics):
    """Node and edge records built by pyvis; node ids are indexes (IRIs and group keys stay on the server)."""
    from pyvis.network import Network

    net = Network(cdn_resources="in_line")
    index = {n: i for i, n in enumerate(G)}
    for n, i in index.items():
        x, y = positions.get(n, (0, 0))
        label = str(G.nodes[n].get("label", n))
        net.add_node(i, label=label, title=str(titles.get(n, label)), x=x, y=y, color=colors.get(n, _GREY),
                     size=sizes.get(n, 12), physics=physics)
    for a, b, weight in G.edges(data="weight", default=1):
        net.add_edge(index[a], index[b], value=weight, color="#bbbbbb")
    return net.nodes, net.edges


def network_html(G, *, positions, colors=None, sizes=None, titles=None, legend=(), height=620, focus=None,
                 search_label="Suche"):
    """The network as one self-contained HTML page (vis-network, every script inlined).

    Parameters
    ----------
    G : networkx.Graph
        Node attribute ``label`` is drawn; edge attribute ``weight`` sets the width.
    positions : dict
        Node → (x, y) from `compute_layout`.
    colors, sizes, titles : dict, optional
        Node → colour, size in pixels, tooltip (plain text; never interpreted as HTML).
    legend : iterable of (str, str)
        (label, colour) pairs shown above the picture.
    height : int
        Height of the drawing in pixels.
    focus : node, optional
        Selected and centred on load.
    search_label : str
        Placeholder of the search box (finds nodes by label).

    Returns
    -------
    str
        An HTML document; the vis-network object is the global ``network``.

    Examples
    --------
    >>> G = nx.Graph([("a", "b")])
    >>> page = network_html(G, positions=compute_layout(G), titles={"a": "<img src=x onerror=alert(1)>"})
    >>> "<img src=x" in page, "https://" in page.split("<script>")[0]
    (False, False)
    """
    physics = len(G) <= PHYSICS_LIMIT
    nodes, edges = _records(G, positions, colors or {}, sizes or {}, titles or {}, physics)
    options = {
        "physics": {"enabled": physics, "solver": "barnesHut", "stabilization": {"iterations": 150, "fit": True},
                    "barnesHut": {"gravitationalConstant": -4000, "springLength": 120, "avoidOverlap": 0.2}},
        "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": False, "keyboard": False},
        "nodes": {"shape": "dot", "font": {"size": 13}},
        "edges": {"smooth": False, "scaling": {"min": 1, "max": 8}},
    }
    focus_id = list(G).index(focus) if focus is not None and focus in G else None
    legend_html = "".join(f'<span class="kp-item"><span class="kp-dot" style="background:{html.escape(colour)}">'
                          f'</span>{html.escape(str(label))}</span>' for label, colour in legend)
    script, style = _vis_assets()
    return _TEMPLATE.format(
        style=style, script=script, height=int(height), legend=legend_html, search=html.escape(search_label),
        nodes=safe_json(nodes), edges=safe_json(edges), options=safe_json(options), focus=safe_json(focus_id))


_TEMPLATE = """<!DOCTYPE html>
<html><head><meta charset="utf-8">
<style>{style}</style>
<style>
body {{ margin: 0; font-family: sans-serif; font-size: 13px; }}
#kp-bar {{ display: flex; flex-wrap: wrap; gap: 4px 12px; align-items: center; padding: 4px 0; }}
.kp-item {{ white-space: nowrap; }}
.kp-dot {{ display: inline-block; width: 11px; height: 11px; border-radius: 50%; margin-right: 4px; vertical-align: middle; }}
#kp-network {{ width: 100%; height: {height}px; border: 1px solid #ddd; }}
</style></head>
<body>
<div id="kp-bar"><input id="kp-search" type="search" placeholder="{search}" aria-label="{search}"> {legend}</div>
<div id="kp-network"></div>
<script>{script}</script>
<script>
var nodes = new vis.DataSet({nodes});
var edges = new vis.DataSet({edges});
var network = new vis.Network(document.getElementById("kp-network"), {{nodes: nodes, edges: edges}}, {options});
var focus = {focus};
if (focus !== null) {{ network.selectNodes([focus]); network.focus(focus, {{scale: 1.2}}); }}
document.getElementById("kp-search").addEventListener("input", function (event) {{
  var needle = event.target.value.trim().toLowerCase();
  if (!needle) {{ network.unselectAll(); return; }}
  var found = nodes.get({{filter: function (n) {{ return String(n.label).toLowerCase().indexOf(needle) >= 0; }}}});
  network.selectNodes(found.map(function (n) {{ return n.id; }}));
  if (found.length) {{ network.focus(found[0].id, {{scale: 1.2, animation: true}}); }}
}});
</script>
</body></html>
"""
