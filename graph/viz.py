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
  physics is always off (a stable layout), and the picture fits itself into its frame;
- a click on a node shows a panel (its measures, partners and a link to its profile);
  the legend hides or shows a type; the most important names stay readable at every zoom.
"""

import html
import json
from pathlib import Path

import networkx as nx

from knotenpunkt.graph.layout import SPRING_LIMIT, compute_layout
from knotenpunkt.graph.palette import group_colours
from knotenpunkt.graph.texts import language, text

__all__ = ["PHYSICS_LIMIT", "SPRING_LIMIT", "AGGREGATE_LIMIT", "LABELLED", "compute_layout", "palette", "scale_sizes",
           "network_html", "safe_json"]

PHYSICS_LIMIT = 300  # kept for callers; the picture never runs physics (server positions, a stable layout)
AGGREGATE_LIMIT = 2000  # above this many nodes the app shows groups instead of organisations
LABELLED = 25  # this many of the largest nodes keep a readable name at every zoom
_GREY = "#9e9e9e"


def palette(keys):
    """A colour per key, in the order given (colour-blind-safe, see `graph.palette`).

    Examples
    --------
    >>> palette(["a", "b"])
    {'a': '#332288', 'b': '#88CCEE'}
    """
    return group_colours(keys)


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


def _records(G, positions, colors, shapes, sizes, titles, groups, labelled):
    """Node and edge records for vis-network; node ids are indexes (IRIs and group keys stay on the server).

    Built as plain dicts: pyvis's ``add_node``/``add_edge`` check every existing id (O(N·E), 4 s at 2k nodes).
    """
    index = {n: i for i, n in enumerate(G)}
    nodes = []
    for n, i in index.items():
        x, y = positions.get(n, (0, 0))
        label = str(G.nodes[n].get("label", n))
        record = {"id": i, "label": label, "title": str(titles.get(n, label)), "x": x, "y": y,
                  "color": colors.get(n, _GREY), "shape": shapes.get(n, "dot"), "size": sizes.get(n, 12),
                  "group_index": groups.get(n, -1), "physics": False}
        if n in labelled:
            record["font"] = {"size": 15, "bold": True, "strokeWidth": 4, "strokeColor": "#ffffff"}
        nodes.append(record)
    edges = [{"from": index[a], "to": index[b], "value": weight, "color": "#c4c4c4"}
             for a, b, weight in G.edges(data="weight", default=1)]
    return nodes, edges


def network_html(G, *, positions, colors=None, shapes=None, sizes=None, titles=None, legend=(), groups=None,
                 panels=None, texts=None, labelled=None, height=620, focus=None, search_label=None):
    """The network as one self-contained HTML page (vis-network, every script inlined).

    Parameters
    ----------
    G : networkx.Graph
        Node attribute ``label`` is drawn; edge attribute ``weight`` sets the width.
    positions : dict
        Node → (x, y) from `compute_layout`; the picture never moves them (no physics),
        and it fits itself into its frame on load and on resize.
    colors, shapes, sizes, titles : dict, optional
        Node → colour, vis-network shape (dot, square, triangle, diamond, star), size in
        pixels, tooltip (plain text; never interpreted as HTML).
    legend : iterable of (str, str) or (str, str, str)
        (label, colour[, shape]) shown above the picture; with `groups`, clicking an entry
        hides or shows its nodes.
    groups : dict, optional
        Node → index of its legend entry.
    panels : dict, optional
        Node → {"title", "subtitle", "sections": [[heading, [line, …]], …], "link"}: what a
        click on the node shows beside the picture; "link" is a relative address opened
        in the whole window (the organisation's profile).
    texts : dict, optional
        The panel's words: ``hint``, ``profile``, ``close``, ``legend_hint`` (``profile`` by default
        ``ui.open_profile`` in the setting's language).
    labelled : iterable, optional
        Nodes whose names stay readable at every zoom (default: the `LABELLED` largest).
    height : int
        Height of the drawing in pixels.
    focus : node, optional
        Selected (and its panel shown) on load.
    search_label : str, optional
        Placeholder of the search box (finds nodes by label); by default ``ui.search_in_picture``.

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
    sizes = sizes or {}
    if labelled is None:
        top = min(LABELLED, max(10, len(G) // 2))
        labelled = sorted(G, key=lambda n: (-sizes.get(n, 0), -G.degree(n), str(G.nodes[n].get("label", n))))[:top]
    nodes, edges = _records(G, positions, colors or {}, shapes or {}, sizes, titles or {}, groups or {}, set(labelled))
    options = {
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": False, "keyboard": False,
                        "hideEdgesOnDrag": len(G) > 500},
        "nodes": {"shape": "dot", "font": {"size": 12}, "borderWidth": 1, "color": {"border": "#555555"}},
        "edges": {"smooth": False, "scaling": {"min": 1, "max": 8}},
    }
    index = {n: i for i, n in enumerate(G)}
    focus_id = index.get(focus) if focus is not None else None
    panel_data = {str(index[n]): p for n, p in (panels or {}).items() if n in index}
    words = {"hint": "", "profile": text("ui.open_profile"), "close": "×", "legend_hint": "", **(texts or {})}
    legend_html = "".join(
        f'<button type="button" class="kp-item" data-group="{i}" title="{html.escape(words["legend_hint"])}">'
        f'<span class="kp-dot kp-{html.escape(entry[2] if len(entry) > 2 else "dot")}" '
        f'style="background:{html.escape(entry[1])}"></span>{html.escape(str(entry[0]))}</button>'
        for i, entry in enumerate(legend))
    script, style = _vis_assets()
    return _TEMPLATE.format(
        style=style, script=script, height=int(height), legend=legend_html, lang=language(),
        search=html.escape(search_label or text("ui.search_in_picture")),
        nodes=safe_json(nodes), edges=safe_json(edges), options=safe_json(options), focus=safe_json(focus_id),
        panels=safe_json(panel_data), words=safe_json(words), hint=html.escape(words["hint"]))


_TEMPLATE = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<style>{style}</style>
<style>
body {{ margin: 0; font-family: "Source Sans Pro", sans-serif; font-size: 14px; color: #262730; }}
#kp-bar {{ display: flex; flex-wrap: wrap; gap: 2px 6px; align-items: center; padding: 2px 0 4px; }}
#kp-bar input {{ font-size: 14px; padding: 3px 6px; min-width: 12em; }}
.kp-item {{ white-space: nowrap; border: 1px solid transparent; background: none; font: inherit; cursor: pointer;
  padding: 1px 5px; border-radius: 4px; }}
.kp-item:hover {{ border-color: #bbb; }}
.kp-item.kp-off {{ opacity: 0.35; text-decoration: line-through; }}
.kp-dot {{ display: inline-block; width: 11px; height: 11px; margin-right: 4px; vertical-align: middle; border-radius: 50%; }}
.kp-square {{ border-radius: 1px; }}
.kp-diamond {{ border-radius: 1px; transform: rotate(45deg) scale(0.85); }}
.kp-triangle {{ border-radius: 0; clip-path: polygon(50% 0, 100% 100%, 0 100%); }}
.kp-star {{ border-radius: 0; clip-path: polygon(50% 0, 61% 35%, 98% 35%, 68% 57%, 79% 91%, 50% 70%, 21% 91%, 32% 57%, 2% 35%, 39% 35%); }}
#kp-main {{ display: flex; gap: 8px; }}
#kp-network {{ flex: 1 1 auto; min-width: 0; height: {height}px; border: 1px solid #ddd; }}
#kp-panel {{ flex: 0 0 270px; height: {height}px; overflow-y: auto; border: 1px solid #ddd; padding: 8px 10px;
  box-sizing: border-box; }}
#kp-panel h3 {{ margin: 0 0 2px; font-size: 16px; }}
#kp-panel h4 {{ margin: 10px 0 2px; font-size: 14px; }}
#kp-panel ul {{ margin: 0; padding-left: 18px; }}
#kp-panel .kp-sub {{ color: #555; }}
#kp-panel a {{ display: inline-block; margin-top: 10px; font-weight: bold; color: #0b57d0; }}
@media (max-width: 640px) {{  /* a phone: legend in one scrolling line, drawing and panel share the frame */
  #kp-bar {{ flex-wrap: nowrap; overflow-x: auto; }}
  #kp-bar input {{ min-width: 8em; }}
  #kp-main {{ flex-direction: column; }}
  #kp-panel {{ flex: 0 0 auto; height: auto; max-height: 160px; }}
  #kp-network {{ height: calc(100vh - 230px); min-height: 200px; }}
}}
</style></head>
<body>
<div id="kp-bar"><input id="kp-search" type="search" placeholder="{search}" aria-label="{search}"> {legend}</div>
<div id="kp-main"><div id="kp-network"></div><div id="kp-panel"><p class="kp-sub">{hint}</p></div></div>
<script>{script}</script>
<script>
var nodes = new vis.DataSet({nodes});
var edges = new vis.DataSet({edges});
var panels = {panels};
var words = {words};
var container = document.getElementById("kp-network");
var network = new vis.Network(container, {{nodes: nodes, edges: edges}}, {options});
var labelled = nodes.get({{filter: function (n) {{ return !!n.font; }}}}).sort(function (a, b) {{ return b.size - a.size; }}).map(function (n) {{ return n.id; }});
function keepLabelsReadable() {{  // the important names stay 15 px on screen; a name that would cover a more important one waits
  var scale = network.getScale(), size = Math.min(Math.max(15, 15 / scale), 400), placed = [];
  var where = network.getPositions(labelled);
  nodes.update(labelled.map(function (id) {{
    var p = network.canvasToDOM(where[id]), label = String(nodes.get(id).label);
    var box = {{x: p.x - label.length * 4, y: p.y, w: label.length * 8, h: 20}};
    var free = placed.every(function (b) {{ return box.x > b.x + b.w || b.x > box.x + box.w || box.y > b.y + b.h || b.y > box.y + box.h; }});
    if (free) placed.push(box);
    return {{id: id, font: {{size: free ? size : 0.01, bold: true, strokeWidth: free ? 4 : 0, strokeColor: "#ffffff"}}}};
  }}));
}}
function fitAll() {{ network.fit({{animation: false}}); keepLabelsReadable(); }}
network.once("afterDrawing", fitAll);
network.on("zoom", keepLabelsReadable);
network.on("dragEnd", keepLabelsReadable);
if (window.ResizeObserver) {{ new ResizeObserver(function () {{ network.redraw(); fitAll(); }}).observe(container); }}
function el(tag, text, cls) {{ var e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; }}
var panel = document.getElementById("kp-panel");
var hint = panel.innerHTML;
function showPanel(id) {{
  var p = panels[String(id)];
  if (!p) {{ panel.innerHTML = hint; return; }}
  panel.textContent = "";
  panel.appendChild(el("h3", p.title));
  if (p.subtitle) panel.appendChild(el("div", p.subtitle, "kp-sub"));
  (p.sections || []).forEach(function (s) {{
    if (!s[1].length) return;
    panel.appendChild(el("h4", s[0]));
    var list = el("ul");
    s[1].forEach(function (line) {{ list.appendChild(el("li", line)); }});
    panel.appendChild(list);
  }});
  if (p.link) {{
    var a = el("a", words.profile + " →");
    var target = new URL(p.link, window.parent.location.href);
    a.href = target.href; a.target = "_top";
    a.addEventListener("click", function (event) {{ event.preventDefault(); window.top.location.href = target.href; }});
    panel.appendChild(a);
  }}
}}
network.on("click", function (params) {{
  if (params.nodes.length) {{ showPanel(params.nodes[0]); }} else {{ showPanel(null); }}
}});
var focus = {focus};
if (focus !== null) {{ network.selectNodes([focus]); showPanel(focus); }}
var hidden = {{}};
document.querySelectorAll(".kp-item").forEach(function (button) {{
  button.addEventListener("click", function () {{
    var group = Number(button.getAttribute("data-group"));
    hidden[group] = !hidden[group];
    button.classList.toggle("kp-off", hidden[group]);
    nodes.update(nodes.get({{filter: function (n) {{ return n.group_index === group; }}}}).map(function (n) {{
      return {{id: n.id, hidden: hidden[group]}};
    }}));
  }});
}});
document.getElementById("kp-search").addEventListener("input", function (event) {{
  var needle = event.target.value.trim().toLowerCase();
  if (!needle) {{ network.unselectAll(); return; }}
  var found = nodes.get({{filter: function (n) {{ return String(n.label).toLowerCase().indexOf(needle) >= 0; }}}});
  network.selectNodes(found.map(function (n) {{ return n.id; }}));
  if (found.length) {{ network.focus(found[0].id, {{scale: Math.max(network.getScale(), 0.8), animation: true}}); showPanel(found[0].id); }}
}});
</script>
</body></html>
"""
