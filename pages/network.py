"""Netzwerk: the interactive cooperation network with filters, colours, sizes, search and ego networks."""

import streamlit as st

from graph import network
from graph.catalogue import filter_options, organisations_of, select_measures
from graph.viz import AGGREGATE_LIMIT, compute_layout, network_html, palette, scale_sizes
from pages.i18n import current_language, plain, t
from pages.state import cached_centralities, cached_communities, cached_frames, cached_layout, current_data, require_data

__all__ = ["render", "draw_network"]

METRICS = ("degree", "betweenness", "closeness", "eigenvector")
_HEIGHT = 600


def _group_keys(G, frames, by, communities, lang):
    """Node → (sort key, label) of its group: organisation type, district or community."""
    if by == "community":
        return {n: (communities.get(n, 0), f"{t('community')} {communities.get(n, '–')}") for n in G}
    attribute = "type" if by == "type" else "district"
    district = dict(zip(frames.organisations["organisation"], frames.organisations["district"]))
    keys = {}
    for n in G:
        value = G.nodes[n].get("type") if attribute == "type" else district.get(n)
        label = frames.label(value, lang) if isinstance(value, str) else t("not_given")
        keys[n] = (label.lower(), label)
    return keys


def draw_network(G, frames, *, positions, color_by, communities, metric=None, metrics=None, focus=None):
    """Render the organisations of `G` as the interactive picture (colours, sizes, legend, tooltips)."""
    lang = current_language()
    groups = _group_keys(G, frames, color_by, communities, lang)
    order = sorted(set(groups.values()))
    colours = palette([label for _, label in order])
    sizes = scale_sizes({n: float(metrics.at[n, metric]) for n in G if n in metrics.index}) \
        if metric and metrics is not None else {}
    titles = {n: "\n".join([G.nodes[n].get("label", n), f"{t('legend_' + color_by)}: {groups[n][1]}",
                            f"{t('links')}: {G.degree(n)}"]) for n in G}
    html = network_html(G, positions=positions, colors={n: colours[groups[n][1]] for n in G}, sizes=sizes,
                        titles=titles, legend=[(label, colours[label]) for _, label in order], focus=focus,
                        height=_HEIGHT, search_label=t("search_in_picture"))
    st.iframe(html, height=_HEIGHT + 60)


def _draw_groups(A):
    """Render the aggregated network (one node per group)."""
    colours = palette(list(A))
    titles = {g: f"{A.nodes[g]['label']}\n{t('organisations')}: {A.nodes[g]['size']}" for g in A}
    html = network_html(A, positions=compute_layout(A), colors=colours, titles=titles,
                        sizes=scale_sizes({g: A.nodes[g]["size"] for g in A}, smallest=12, largest=60),
                        height=_HEIGHT, search_label=t("search_in_picture"))
    st.iframe(html, height=_HEIGHT + 60)


def _filters(options):
    """Filter, colour, size and focus widgets."""
    with st.expander(t("filters"), expanded=True):
        row = st.columns(4)
        chosen = {kind: row[i].multiselect(t("filter_" + kind), list(options[kind]), format_func=options[kind].get,
                                           key="network_" + kind, placeholder=t("choose"))
                  for i, kind in enumerate(("type", "field", "target_group", "district"))}
        row = st.columns(4)
        chosen["start"] = row[0].date_input(t("period_from"), value=None, key="network_start", format="DD.MM.YYYY")
        chosen["end"] = row[1].date_input(t("period_until"), value=None, key="network_end", format="DD.MM.YYYY")
        chosen["color_by"] = row[2].radio(t("color_by"), ("type", "community"), format_func=lambda k: t("legend_" + k),
                                          horizontal=True, key="network_color")
        chosen["metric"] = row[3].selectbox(t("size_by"), (None, *METRICS), key="network_size",
                                            format_func=lambda m: t("metric_" + m) if m else t("size_equal"))
    return chosen


def render():
    """Draw the network page."""
    path, store, version = current_data()
    st.title(t("page_network"))
    require_data(path, version)
    lang = current_language()
    frames = cached_frames(path, version)
    chosen = _filters(filter_options(frames, lang))
    G = network.build_cooperation_graph(frames)
    nodes = None
    if any(chosen[k] for k in ("field", "target_group", "district", "start", "end")):
        nodes = organisations_of(frames, select_measures(frames, target_group=chosen["target_group"],
                                                         field=chosen["field"], district=chosen["district"],
                                                         start=chosen["start"], end=chosen["end"]))
    G = network.restrict_graph(G, nodes=nodes, types=chosen["type"])
    names = dict(sorted(((n, G.nodes[n]["label"]) for n in G), key=lambda item: item[1].lower()))
    if st.session_state.get("network_focus") not in names:
        st.session_state.pop("network_focus", None)
    left, right = st.columns([3, 1])
    focus = left.selectbox(t("search_organisation"), list(names), format_func=names.get, index=None,
                           key="network_focus", placeholder=t("choose"))
    hops = right.slider(t("hops"), 1, 3, 1, key="network_hops")
    if focus:
        G = network.ego_network(G, focus, hops=hops)
    communities = cached_communities(path, version)
    if len(G) > AGGREGATE_LIMIT:
        by = st.radio(t("aggregate_by"), ("type", "district", "community"), format_func=lambda k: t("legend_" + k),
                      horizontal=True, key="network_aggregate")
        groups = _group_keys(G, frames, by, communities, lang)
        A = network.aggregate_graph(G, {n: label for n, (_, label) in groups.items()},
                                    labels={label: label for _, label in groups.values()})
        st.info(t("aggregated").format(nodes=len(G), groups=len(A)))
        group = st.selectbox(t("drill_down"), sorted(A, key=lambda g: -A.nodes[g]["size"]), index=None,
                             format_func=lambda g: f"{g} ({A.nodes[g]['size']})", key="network_group",
                             placeholder=t("choose"))
        if not group:
            _draw_groups(A)
            return
        G = network.restrict_graph(G, nodes=A.nodes[group]["members"])
    st.caption(t("network_size").format(nodes=len(G), edges=G.number_of_edges()))
    if not len(G):
        st.info(t("network_empty"))
        return
    draw_network(G, frames, positions=cached_layout(path, version), color_by=chosen["color_by"],
                 communities=communities, metric=chosen["metric"], metrics=cached_centralities(path, version),
                 focus=focus)
    if focus:
        st.caption(plain(t("ego_of").format(name=names[focus], hops=hops)))
