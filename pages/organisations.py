"""Organisationen: one organisation's names, address and description, measures, partners, networks, metrics and ego
network."""

import re

import streamlit as st

from knotenpunkt.graph import network
from knotenpunkt.graph.catalogue import organisation_profile
from knotenpunkt.graph.queries import run_query
from knotenpunkt.pages.i18n import column_labels, current_language, format_number, plain, t, table_view
from knotenpunkt.pages.network import METRICS, draw_network
from knotenpunkt.pages.urlstate import token
from knotenpunkt.pages.state import (Keys, cached_centralities, cached_communities, cached_frames, cached_layout, cached_names,
                         current_data, require_data)

__all__ = ["render"]

_MEASURE_COLUMNS = ("role", "id", "title", "target_group", "field", "district", "start", "end")


_WEB_ADDRESS = re.compile(r"^https?://[^\s<>]+$")


def _details(found):
    """Address, website, description and the values kept as text of the organisation (a list of initiatives
    says more of an organisation than its links)."""
    address = ", ".join(filter(None, (found["street"], " ".join(filter(None, (found["postcode"], found["locality"]))))))
    website = found["website"] or ""
    link = f"<{website}>" if _WEB_ADDRESS.match(website) else plain(website)  # never a javascript: link
    for key, value in (("col_address", plain(address)), ("col_website", link),
                       ("col_description", plain(found["description"] or ""))):
        if value:
            st.markdown(f"**{t(key)}:** {value}")
    if found["notes"]:
        with st.expander(t("col_notes")):
            st.markdown("\n".join(f"- {plain(note)}" for note in found["notes"].splitlines()))


def render():
    """Draw the organisation profile page."""
    path, store, version = current_data()
    st.title(t("page_organisations"))
    require_data(path, version, organisations=True)
    lang = current_language()
    frames = cached_frames(path, version)
    G = network.build_cooperation_graph(frames)
    orgs = dict(sorted(((o, frames.label(o, lang)) for o in frames.organisations["organisation"]),
                       key=lambda item: item[1].lower()))
    by_token = {token(o): o for o in orgs}
    if Keys.ORGANISATION not in st.session_state and st.query_params.get("org") in by_token:
        st.session_state[Keys.ORGANISATION] = by_token[st.query_params["org"]]  # a link from the network picture
    if st.session_state.get(Keys.ORGANISATION) not in orgs:
        st.session_state.pop(Keys.ORGANISATION, None)
    org = st.selectbox(t("organisation"), list(orgs), format_func=orgs.get, key=Keys.ORGANISATION)
    metrics = cached_centralities(path, version)
    profile = organisation_profile(frames, G, org, names=cached_names(path, version).get(org, []), metrics=metrics,
                                   lang=lang)
    st.header(plain(profile["label"]))
    if profile["type"]:
        st.caption(plain(profile["type"]))
    if profile["names"]:
        st.markdown(f"**{t('other_names')}:** " + " · ".join(plain(n) for n in profile["names"]))
    if org:
        _details(run_query(store, "organisation_details", organisation=org)[0])
    if org:
        st.query_params["org"] = token(org)
    if profile["metrics"]:
        for column, metric in zip(st.columns(len(METRICS)), METRICS, strict=True):
            column.metric(t("metric_" + metric), format_number(profile["metrics"][metric], 2),
                          help=t("metric_help_" + metric))
    measures, partners, networks, ego = st.tabs([t("measures"), t("partners"), t("networks"), t("ego_network")])
    roles = {"provider": t("role_provider"), "partner": t("role_partner")}
    table = profile["measures"].assign(role=profile["measures"]["role"].map(roles))
    measures.dataframe(table_view(table, _MEASURE_COLUMNS), hide_index=True)
    partner_columns = ("label", "cooperation", "joint_measure", "network", "weight")
    partners.dataframe(profile["partners"][list(partner_columns)].rename(columns=column_labels(partner_columns)),
                       hide_index=True)
    if profile["networks"]:
        networks.markdown("\n".join(f"- {plain(n)}" for n in profile["networks"]))
    else:
        networks.caption(t("no_networks"))
    with ego:
        hops = st.slider(t("hops"), 1, 3, 1, key="organisation_hops")
        if org in G:
            draw_network(network.ego_network(G, org, hops=hops), frames, positions=cached_layout(path, version),
                         color_by="type", communities=cached_communities(path, version), focus=org)
            st.caption(plain(t("ego_of").format(name=profile["label"], hops=hops)))
        else:
            st.caption(t("not_in_network"))
