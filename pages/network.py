"""Netzwerk: the interactive cooperation network with filters, colours, sizes, search, focus and groups."""

from urllib.parse import urlencode

import streamlit as st

from knotenpunkt.graph import network
from knotenpunkt.graph.catalogue import filter_options, organisations_of, select_measures
from knotenpunkt.graph.palette import UNKNOWN, group_colours, type_styles
from knotenpunkt.graph.panels import name_groups, organisation_panels
from knotenpunkt.graph.viz import AGGREGATE_LIMIT, compute_layout, network_html, scale_sizes
from knotenpunkt.pages.i18n import current_language, format_number, plain, t
from knotenpunkt.pages.state import cached_centralities, cached_communities, cached_counts, cached_frames, cached_layout, \
    current_data, require_data
from knotenpunkt.pages.urlstate import publish, restore, token

__all__ = ["render", "draw_network", "METRICS", "profile_link"]

METRICS = ("degree", "betweenness", "closeness", "eigenvector")
_HEIGHT = 600
_COMMUNITIES_SHOWN = 12  # named communities in the legend; smaller ones are pooled


def profile_link(org):
    """The relative address of an organisation's profile (keeps the language)."""
    params = {"org": token(org)}
    if current_language() != "de":
        params["lang"] = current_language()
    return "organisationen?" + urlencode(params)


def _community_groups(G, communities):
    """Node → (sort key, label): the largest communities named after their best-connected member."""
    named = name_groups(G, communities)
    sizes = {}
    for key, _ in named.values():
        sizes[key] = sizes.get(key, 0) + 1
    ranked = [k for k in sorted((k for k in sizes if k is not None), key=lambda k: -sizes[k])][:_COMMUNITIES_SHOWN]
    rank = {k: i for i, k in enumerate(ranked)}
    out = {}
    for n, (key, hub) in named.items():
        if key in rank:
            out[n] = (rank[key], t("community_of").format(name=hub))
        else:
            out[n] = (len(rank), t("community_rest"))
    return out


def _group_keys(G, frames, by, communities, lang):
    """Node → (sort key, label) of its group: organisation type, district or community."""
    if by == "community":
        return _community_groups(G, communities)
    district = dict(zip(frames.organisations["organisation"], frames.organisations["district"]))
    keys = {}
    for n in G:
        value = G.nodes[n].get("type") if by == "type" else district.get(n)
        label = frames.label(value, lang) if isinstance(value, str) else t("not_given")
        keys[n] = ((not isinstance(value, str), label.lower()), label)
    return keys


def _panels(frames, G, lang, link):
    """What a click on each node shows."""
    panels = {}
    for n, info in organisation_panels(frames, G).items():
        more_m = info["measures_total"] - len(info["measures"])
        more_p = info["partners_total"] - len(info["partners"])
        types = G.nodes[n].get("type")
        panels[n] = {
            "title": str(G.nodes[n].get("label", n)),
            "subtitle": frames.label(types, lang) if isinstance(types, str) else "",
            "sections": [[f"{t('measures')} ({info['measures_total']})",
                          info["measures"] + ([t("and_more").format(count=more_m)] if more_m > 0 else [])],
                         [f"{t('partners')} ({info['partners_total']})",
                          info["partners"] + ([t("and_more").format(count=more_p)] if more_p > 0 else [])]],
            "link": profile_link(n) if link else None}
    return panels


def draw_network(G, frames, *, positions, color_by, communities, metric=None, metrics=None, focus=None, link=True):
    """Render the organisations of `G` as the interactive picture (colours, shapes, sizes, legend, panel)."""
    lang = current_language()
    if color_by == "type":
        type_labels = {ty: frames.label(ty, lang) for ty in {G.nodes[n].get("type") for n in G} if ty}
        styles = type_styles((G.nodes[n].get("type") for n in G), type_labels)
        order = sorted(styles, key=lambda ty: (ty is None, str(type_labels.get(ty, "")).lower()))
        legend = [(type_labels.get(ty) or t("not_given"), *styles[ty]) for ty in order]
        index = {ty: i for i, ty in enumerate(order)}
        node_group = {n: index[G.nodes[n].get("type")] for n in G}
        colours = {n: styles[G.nodes[n].get("type")][0] for n in G}
        shapes = {n: styles[G.nodes[n].get("type")][1] for n in G}
        group_label = {n: legend[node_group[n]][0] for n in G}
    else:
        groups = _group_keys(G, frames, color_by, communities, lang)
        order = sorted(set(groups.values()))
        palette = group_colours([label for _, label in order])
        palette[t("community_rest")] = UNKNOWN[0]
        legend = [(label, palette[label], "dot") for _, label in order]
        index = {label: i for i, (_, label) in enumerate(order)}
        node_group = {n: index[groups[n][1]] for n in G}
        colours = {n: palette[groups[n][1]] for n in G}
        shapes = {}
        group_label = {n: groups[n][1] for n in G}
    values = {n: float(metrics.at[n, metric]) for n in G if n in metrics.index} \
        if metric and metrics is not None else {n: float(G.degree(n)) for n in G}
    sizes = scale_sizes(values, smallest=10 if len(G) > 300 else 14, largest=44 if len(G) > 300 else 50)
    titles = {n: "\n".join([str(G.nodes[n].get("label", n)), group_label[n],
                            f"{t('links')}: {format_number(G.degree(n))}"]) for n in G}
    if len(G) < 0.5 * len(positions):  # an ego network or a narrow filter: its own layout uses the whole frame
        positions = compute_layout(G)
    html = network_html(G, positions=positions, colors=colours, shapes=shapes, sizes=sizes, titles=titles,
                        legend=legend, groups=node_group, panels=_panels(frames, G, lang, link), focus=focus,
                        texts={"hint": t("network_click_hint"), "profile": t("open_profile"),
                               "legend_hint": t("legend_click_hint")},
                        height=_HEIGHT, search_label=t("search_in_picture"))
    st.iframe(html, height=_HEIGHT + 90)


def _draw_groups(A):
    """Render the aggregated network (one node per group, named and counted; the strongest links only)."""
    colours = group_colours(sorted(A, key=lambda g: -A.nodes[g]["size"]))
    for g in A:
        A.nodes[g]["label"] = f"{A.nodes[g]['label']} ({format_number(A.nodes[g]['size'])})"
    keep = set()
    for g in A:  # each group's three strongest links: a complete graph of groups says nothing
        strongest = sorted(A[g].items(), key=lambda item: -item[1]["weight"])[:3]
        keep |= {tuple(sorted((str(g), str(h)))) for h, _ in strongest}
    A = A.edge_subgraph([(a, b) for a, b in A.edges() if tuple(sorted((str(a), str(b)))) in keep]).copy() \
        if keep else A
    titles = {g: f"{A.nodes[g]['label']}\n{t('organisations')}: {format_number(A.nodes[g]['size'])}" for g in A}
    html = network_html(A, positions=compute_layout(A), colors=colours, titles=titles, labelled=list(A),
                        sizes=scale_sizes({g: A.nodes[g]["size"] for g in A}, smallest=12, largest=60),
                        texts={"hint": t("groups_hint")}, height=_HEIGHT, search_label=t("search_in_picture"))
    st.iframe(html, height=_HEIGHT + 90)


def _url_spec(options, names):
    return {"network_type": ("typ", "many", options["type"]), "network_field": ("feld", "many", options["field"]),
            "network_target_group": ("zielgruppe", "many", options["target_group"]),
            "network_district": ("stadtteil", "many", options["district"]),
            "network_start": ("von", "date", None), "network_end": ("bis", "date", None),
            "network_color": ("farbe", "text", ("type", "community", "district")),
            "network_size": ("groesse", "text", METRICS), "network_focus": ("fokus", "one", names),
            "network_hops": ("schritte", "int", None), "network_aggregate": ("gruppen", "text", ("type", "district", "community"))}


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
        chosen["color_by"] = row[2].radio(t("color_by"), ("type", "district", "community"),
                                          format_func=lambda k: t("legend_" + k), horizontal=True, key="network_color")
        chosen["metric"] = row[3].selectbox(t("size_by"), (None, *METRICS), key="network_size",
                                            format_func=lambda m: t("metric_" + m) if m else t("size_links"))
        if chosen["metric"]:
            row[3].caption(t("metric_help_" + chosen["metric"]))
    return chosen


def render():
    """Draw the network page."""
    path, store, version = current_data()
    st.title(t("page_network"))
    require_data(path, version, organisations=True)
    lang = current_language()
    frames = cached_frames(path, version)
    full = network.build_cooperation_graph(frames)
    options = filter_options(frames, lang)
    names = dict(sorted(((n, full.nodes[n]["label"]) for n in full), key=lambda item: item[1].lower()))
    spec = _url_spec(options, names)
    restore(spec)
    chosen = _filters(options)
    nodes = None
    if any(chosen[k] for k in ("field", "target_group", "district", "start", "end")):
        nodes = organisations_of(frames, select_measures(frames, target_group=chosen["target_group"],
                                                         field=chosen["field"], district=chosen["district"],
                                                         start=chosen["start"], end=chosen["end"]))
    G = network.restrict_graph(full, nodes=nodes, types=chosen["type"])
    shown = {n: label for n, label in names.items() if n in G}
    if st.session_state.get("network_focus") not in shown:
        st.session_state.pop("network_focus", None)
    left, right = st.columns([3, 1])
    focus = left.selectbox(t("search_organisation"), list(shown), format_func=shown.get, index=None,
                           key="network_focus", placeholder=t("choose"))
    hops = right.slider(t("hops"), 1, 3, key="network_hops")
    if focus:
        G = network.ego_network(G, focus, hops=hops)
    communities = cached_communities(path, version)
    if len(G) > AGGREGATE_LIMIT:
        by = st.radio(t("aggregate_by"), ("type", "district", "community"), format_func=lambda k: t("legend_" + k),
                      horizontal=True, key="network_aggregate")
        publish(spec)
        groups = _group_keys(G, frames, by, communities, lang)
        A = network.aggregate_graph(G, {n: label for n, (_, label) in groups.items()},
                                    labels={label: label for _, label in groups.values()})
        st.info(t("aggregated").format(nodes=format_number(len(G)), groups=format_number(len(A))))
        group = st.selectbox(t("drill_down"), sorted(A, key=lambda g: -A.nodes[g]["size"]), index=None,
                             format_func=lambda g: f"{g} ({A.nodes[g]['size']})", key="network_group",
                             placeholder=t("choose"))
        if not group:
            _draw_groups(A)
            return
        G = network.restrict_graph(G, nodes=A.nodes[group]["members"])
    publish(spec)
    st.caption(t("network_size").format(nodes=format_number(len(G)), edges=format_number(G.number_of_edges())))
    outside = cached_counts(path, version)["organisations"] - len(full)
    if outside > 0 and nodes is None and not chosen["type"] and not focus:
        st.caption(t("network_outside").format(count=format_number(outside)))
    if not len(G):
        st.info(t("network_empty"))
        return
    draw_network(G, frames, positions=cached_layout(path, version), color_by=chosen["color_by"],
                 communities=communities, metric=chosen["metric"], metrics=cached_centralities(path, version),
                 focus=focus)
    if focus:
        st.caption(plain(t("ego_of").format(name=names[focus], hops=hops)))
