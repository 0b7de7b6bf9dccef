"""Pictures for the steering group, drawn on the server with matplotlib (no browser, no pyplot).

Each function takes the data of one section of `graph.report.build_report` and returns a
`matplotlib.figure.Figure` with a legend and, at its foot, the canned queries it comes
from; `figure_bytes` turns it into PNG or SVG. Layouts are seeded, so the same data gives
the same picture.
"""

import io
from collections import Counter

import matplotlib
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.ticker import FuncFormatter

from knotenpunkt.graph.layout import unit_layout
from knotenpunkt.graph.palette import MATPLOTLIB_MARKERS, UNKNOWN, type_styles
from knotenpunkt.graph.report import TEXTS, clean, format_number, source_line, text

__all__ = ["PICTURES", "draw_network", "draw_gap_matrix", "draw_district_chart", "draw_pictures", "picture_bytes", "figure_bytes"]

PICTURES = ("netzwerk", "luecken", "stadtteile")
DRAWN = 300  # organisations in the network picture; of a larger network, the best connected ones
_EDGE_STYLE = {"cooperation": ("#1f3b73", 1.6, "-"), "joint_measure": ("#6b8fcf", 1.0, "-"),
               "network": ("#b8b8b8", 0.6, ":")}
_EDGE_LABEL = {kind: TEXTS["edge_" + kind] for kind in ("cooperation", "joint_measure", "network")}
_OTHER = TEXTS["other_type"]


def _short(label, limit=30):
    """A label shortened to `limit` characters, with ``$`` escaped (matplotlib would start mathtext)."""
    label = clean(label)
    label = label if len(label) <= limit else label[:limit - 1] + "…"
    return label.replace("$", r"\$")


def _footer(fig, report, section):
    fig.text(0.01, 0.005, source_line(report, section), fontsize=7, color="#555555", ha="left", va="bottom")


def _number_axis(axis, lang):
    """Tick labels in the report's number format (1.317 in German, 1,317 in English)."""
    axis.set_major_formatter(FuncFormatter(lambda v, _: format_number(v, 0 if float(v).is_integer() else 1, lang)))


def _layout(G, seed):
    """Seeded force layout of the connected organisations; isolates in rows below (no SciPy at any size)."""
    return {n: np.array(xy) for n, xy in unit_layout(G, seed=seed, weight="weight").items()}


def _best_connected(G, limit):
    """The subgraph of the `limit` nodes with the most links (ties by label), or `G` itself when it is no larger.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.star_graph(5)
    >>> nx.set_node_attributes(G, {n: str(n) for n in G}, "label")
    >>> sorted(_best_connected(G, 2))
    [0, 1]
    """
    if len(G) <= limit:
        return G
    degree = dict(G.degree())
    return G.subgraph(sorted(G, key=lambda n: (-degree[n], G.nodes[n]["label"], str(n)))[:limit])


def draw_network(report, *, seed=42, labelled=15):
    """The cooperation network: node colour = provider type, size = degree, edge style = kind of link.

    Of a network of more than `DRAWN` organisations only the best connected ones are drawn
    (a picture of thousands of dots shows nothing, and laying it out takes minutes); the
    note beside it says how many of how many.

    Parameters
    ----------
    report : dict
        From `graph.report.build_report` (uses ``graph``, ``type_labels``, ``lang``).
    seed : int
        Seed of the spring layout.
    labelled : int
        How many of the best-connected organisations are named (the rest stay unlabelled
        so the names remain readable).

    Returns
    -------
    matplotlib.figure.Figure
    """
    whole, lang = report["graph"], report["lang"]
    G = _best_connected(whole, DRAWN)
    fig = Figure(figsize=(13, 8.5), dpi=100)
    ax = fig.add_axes((0.0, 0.03, 0.74, 0.9))
    ax.set_axis_off()
    fig.suptitle(text(report, "network"), fontsize=15, x=0.01, ha="left")
    if not len(G):
        _footer(fig, report, "network")
        return fig
    pos = _layout(G, seed)
    big = len(G) > 300  # a region: smaller dots, thinner lines, no white rims
    for kind in ("network", "joint_measure", "cooperation"):  # strongest drawn last, on top
        segments = [(pos[a], pos[b]) for a, b, d in G.edges(data=True) if max(d["kinds"], key=d["kinds"].get) == kind]
        colour, width, style = _EDGE_STYLE[kind]
        ax.add_collection(LineCollection(segments, colors=colour, linewidths=width * (0.25 if big else 1),
                                         linestyles=style, alpha=0.35 if big else 1, zorder=1))
    degree = dict(whole.degree(G))  # links in the whole network, also to organisations not drawn
    nodes = list(G)
    styles = type_styles((G.nodes[n].get("type") for n in G), report["type_labels"])
    for t_iri, (colour, shape) in styles.items():
        members = [n for n in nodes if G.nodes[n].get("type") == t_iri]
        xy = np.array([pos[n] for n in members])
        ax.scatter(xy[:, 0], xy[:, 1], s=[(8 if big else 40) + (3 if big else 25) * min(degree[n], 40) for n in members],
                   zorder=2, edgecolors="#333333" if big else "white", c=colour, marker=MATPLOTLIB_MARKERS[shape],
                   linewidths=0.2 if big else 0.8)
    counts = Counter(G.nodes[n].get("type") for n in G)
    types = sorted((t for t in styles if t is not None), key=lambda t: (-counts[t], str(report["type_labels"].get(t, t))))
    named = sorted(nodes, key=lambda n: (-degree[n], G.nodes[n]["label"]))[:labelled]
    for i, n in enumerate(named, start=1):
        ax.annotate(str(i), pos[n], ha="center", va="center", fontsize=7, fontweight="bold", zorder=3,
                    bbox={"boxstyle": "circle,pad=0.2", "fc": "white", "ec": "#333333", "lw": 0.6})
    ax.autoscale_view()
    shown = types[:14]  # the legend's column has room for 14 types; the rest are "other"
    handles = [Line2D([], [], ls="", marker=MATPLOTLIB_MARKERS[styles[t][1]], color=styles[t][0], markersize=8,
                      label=_short(report["type_labels"].get(t, t), 38)) for t in shown]
    if None in styles or len(types) > len(shown):
        handles.append(Line2D([], [], ls="", marker="o", color=UNKNOWN[0], markersize=8, label=_OTHER[lang]))
    handles += [Line2D([], [], color=c, lw=w, ls=s, label=_EDGE_LABEL[k][lang]) for k, (c, w, s) in _EDGE_STYLE.items()]
    fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.745, 0.93), fontsize=8,
               title=text(report, "legend"), frameon=False)
    note = text(report, "network_note")
    if len(G) < len(whole):
        note = text(report, "network_shown", shown=format_number(len(G), 0, lang),
                    total=format_number(len(whole), 0, lang)) + "\n" + note
    key = "\n".join(f"{i:>2}  {_short(G.nodes[n]['label'], 44)}" for i, n in enumerate(named, start=1))
    fig.text(0.75, 0.52, f"{note}\n{key}", fontsize=7.5, va="top", linespacing=1.35)
    _footer(fig, report, "network")
    return fig


def draw_gap_matrix(report):
    """Heatmap of active measures per target group × field of action; zero cells framed in red.

    Returns
    -------
    matplotlib.figure.Figure
    """
    matrix = report["matrix"]
    fig = Figure(figsize=(13, 9.5), dpi=100)
    fig.suptitle(text(report, "gap_matrix"), fontsize=15, x=0.01, ha="left")
    if report.get("matrix_missing"):  # every cell would be empty: not a picture of gaps
        fig.text(0.5, 0.55, text(report, "matrix_not_assessable", dimensions=report["matrix_missing"]),
                 ha="center", va="center", fontsize=14, wrap=True)
        _footer(fig, report, "gap_matrix")
        return fig
    ax = fig.add_axes((0.25, 0.27, 0.72, 0.66))
    values = matrix.to_numpy()
    ax.imshow(values, cmap="Blues", aspect="auto", vmin=0, vmax=max(values.max(), 1))
    ax.set_xticks(range(len(matrix.columns)), [_short(c, 34) for c in matrix.columns], rotation=45, ha="right",
                  fontsize=8)
    ax.set_yticks(range(len(matrix.index)), [_short(i, 40) for i in matrix.index], fontsize=8)
    high = values.max() * 0.6
    for (r, c), n in np.ndenumerate(values):
        if n:
            ax.text(c, r, format_number(n, lang=report["lang"]), ha="center", va="center", fontsize=7, color="white" if n > high else "#222222")
        else:
            ax.add_patch(Rectangle((c - 0.5, r - 0.5), 1, 1, fill=False, ec="#d62728", lw=1.2))
    fig.text(0.01, 0.025, text(report, "legend_matrix"), fontsize=8)
    _footer(fig, report, "gap_matrix")
    return fig


DISTRICTS_SHOWN = 40  # the districts with the largest need; more do not fit on a slide


def draw_district_chart(report):
    """Need vs supply per district: residents with a migration background, and measures located there.

    Returns
    -------
    matplotlib.figure.Figure
    """
    table = report["district_supply"].copy()
    lang = report["lang"]
    inhabitants = table["inhabitants"].astype(float)
    share = table["migration_share"].astype(float)
    table["need"] = (inhabitants * share).fillna(0)
    table["measures"] = table["measures"].astype(int)
    total = len(table)
    table = table.sort_values(["need", "label"]).tail(DISTRICTS_SHOWN)  # a region has thousands of districts
    fig = Figure(figsize=(13, max(4.5, 0.32 * len(table) + 2)), dpi=100)
    shown = "" if len(table) == total else f" ({len(table)}/{total})"
    fig.suptitle(text(report, "district_chart") + shown, fontsize=15, x=0.01, ha="left")
    left = fig.add_axes((0.2, 0.12, 0.37, 0.78))
    right = fig.add_axes((0.6, 0.12, 0.37, 0.78), sharey=left)
    y = np.arange(len(table))
    left.barh(y, table["need"], color="#f58231")
    left.set_yticks(y, [_short(label, 30) for label in table["label"]], fontsize=8)
    left.invert_xaxis()
    left.set_title(text(report, "need_title"), fontsize=9)
    right.barh(y, table["measures"], color="#4363d8")
    right.set_xlim(0, max(table["measures"].max() if len(table) else 0, 1) * 1.3)  # no areas: an empty chart
    right.tick_params(labelleft=False)
    right.set_title(text(report, "supply_title"), fontsize=9)
    for yi, (need, n) in enumerate(zip(table["need"], table["measures"])):
        per_1000 = f"{format_number(n / need * 1000, 1, lang)} / 1.000" if need else "–"
        if lang == "en" and need:
            per_1000 = per_1000.replace("1.000", "1,000")
        right.text(n, yi, f" {format_number(n, lang=lang)} ({per_1000})", va="center", fontsize=7)
    _number_axis(left.xaxis, lang)
    _number_axis(right.xaxis, lang)
    for ax in (left, right):
        ax.spines[["top", "right"]].set_visible(False)
    _footer(fig, report, "districts")
    return fig


def draw_pictures(report, *, seed=42):
    """The three pictures of the report, by name (`PICTURES`)."""
    return dict(zip(PICTURES, (draw_network(report, seed=seed), draw_gap_matrix(report), draw_district_chart(report))))


def picture_bytes(report):
    """The three pictures as PNG bytes by name, as the deck and the handout embed them."""
    return {name: figure_bytes(fig) for name, fig in draw_pictures(report).items()}


def figure_bytes(fig, fmt="png", *, dpi=150):
    """The figure as PNG or SVG bytes (SVG keeps text as text, with fixed ids for reproducible files)."""
    out = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "knotenpunkt"}):
        fig.savefig(out, format=fmt, dpi=dpi, metadata={"Date": None} if fmt == "svg" else None)
    return out.getvalue()
