"""Dubletten: uncoordinated overlaps with their reasons; organisation-name pairs to confirm, reject or undo."""

import hashlib

import streamlit as st

from knotenpunkt.graph.decisions import decide, name_index, review_proposals
from knotenpunkt.graph.errors import KGError
from knotenpunkt.graph.store import writing
from knotenpunkt.graph.summary import derive
from knotenpunkt.graph.texts import say
from knotenpunkt.ingest.mapping import last_organisations
from knotenpunkt.pages.i18n import current_language, format_number, plain, t
from knotenpunkt.pages.paging import search_and_page
from knotenpunkt.pages.state import Keys, cached_analysis, cached_frames, cached_raw_names, current_data, require_data

__all__ = ["render"]


def _overlaps(result, frames, lang):
    """The overlap groups, searchable and paged: the cell each shares, its reason, its measures with source rows."""
    overlaps = result["overlaps"]
    st.subheader(t("overlaps").format(count=len(overlaps)))
    st.caption(t("overlaps_help"))

    def cell(group):
        return " × ".join(frames.label(group[k]["iri"], lang) for k in ("target_group", "field", "district"))

    def text(group):
        return " ".join([cell(group), *(m["title"] for m in group["measures"]),
                         *(m["provider"] or "" for m in group["measures"])])

    for group in search_and_page(overlaps, "overlaps", text=text):
        with st.expander(f"{group['rank']}. {plain(cell(group))}", expanded=group["rank"] <= 3):
            st.markdown(plain(group["why_" + lang]))
            st.dataframe([{t("col_id"): m["source"]["id"], t("col_title"): m["title"], t("col_provider"): m["provider"],
                           t("col_sheet"): m["source"]["sheet"], t("col_row"): m["source"]["row"]}
                          for m in group["measures"]], hide_index=True)


def _decide(path, proposal, verdict):
    """Record (or with verdict None undo) a decision on an organisation pair; it applies at once."""
    try:
        with writing(path) as store:
            decide(store, proposal, verdict, derive=derive)
    except KGError as e:  # another process holds the store for writing
        st.error(e.message(current_language()))
        return
    st.toast(t("decision_saved") if verdict else t("decision_undone"))


def _key(proposal):
    """A widget key that stays with the pair when the list changes."""
    return hashlib.sha1(f"{proposal['a']}\x00{proposal['b']}".encode()).hexdigest()[:12]


def _names(proposal, side):
    """A proposal's name, and the organisation it now belongs to when that reads differently."""
    name, label = proposal[side], proposal[side + "_label"]
    return f"**{plain(name)}**" + (f" ({plain(t('is_org').format(label=label))})" if label != name else "")


def _proposals(path, store, version, lang):
    """Open organisation-merge proposals with confirm/reject, and the decisions made with undo."""
    frames = cached_frames(path, version)
    review = review_proposals(last_organisations(store)["proposals"], frames,
                              name_index(frames, cached_raw_names(path, version)))
    st.subheader(t("org_proposals").format(count=len(review["open"])))
    st.caption(t("org_proposals_help"))
    for p in search_and_page(review["open"], "proposals", text=lambda p: f"{p['a']} {p['b']} {say(p['reason'], lang)}"):
        text, same, different = st.columns([6, 1, 1])
        text.markdown(f"{_names(p, 'a')} – {_names(p, 'b')}  \n{plain(say(p['reason'], lang))} "
                      f"({t('score')} {format_number(p['score'])} %) · *{t('open')}*")
        same.button(t("same"), key=f"org_same_{_key(p)}", on_click=_decide, args=(path, p, "same"))
        different.button(t("different"), key=f"org_different_{_key(p)}", on_click=_decide, args=(path, p, "different"))
    if review["decided"]:
        with st.expander(t("decisions_made").format(count=len(review["decided"])), expanded=True):
            for p in review["decided"]:
                text, undo = st.columns([7, 1])
                text.markdown(f"{_names(p, 'a')} – {_names(p, 'b')} · *{t('decided_' + p['verdict'])}*")
                undo.button(t("undo"), key=f"org_undo_{_key(p)}", on_click=_decide, args=(path, p, None))


def render():
    """Draw the duplicates page."""
    path, store, version = current_data()
    st.title(t("page_duplicates"))
    require_data(path, version, organisations=True)
    lang = current_language()
    _overlaps(cached_analysis(path, version, st.session_state[Keys.AT]), cached_frames(path, version), lang)
    _proposals(path, store, version, lang)
