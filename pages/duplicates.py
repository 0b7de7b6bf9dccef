"""Dubletten: uncoordinated overlaps with their reasons; organisation-name pairs to confirm or reject."""

import streamlit as st

from graph.errors import KGError
from graph.store import writing
from ingest.mapping import decide_organisations, last_organisations, load_remembered
from pages.i18n import current_language, plain, t
from pages.state import Keys, cached_analysis, cached_frames, current_data, require_data

__all__ = ["render"]


def _overlaps(result, frames, lang):
    """Each overlap group: the cell it shares, its reason, and its measures with their source rows."""
    overlaps = result["overlaps"]
    st.subheader(t("overlaps").format(count=len(overlaps)))
    st.caption(t("overlaps_help"))
    for group in overlaps:
        cell = " × ".join(frames.label(group[k]["iri"], lang) for k in ("target_group", "field", "district"))
        with st.expander(f"{group['rank']}. {plain(cell)}", expanded=group["rank"] <= 3):
            st.markdown(plain(group["why_" + lang]))
            st.dataframe([{t("col_id"): m["source"]["id"], t("col_title"): m["title"], t("col_provider"): m["provider"],
                           t("col_sheet"): m["source"]["sheet"], t("col_row"): m["source"]["row"]}
                          for m in group["measures"]], hide_index=True)


def _decide(path, a, b, verdict):
    """Record a decision on an organisation pair in the store (writer open only for this write)."""
    try:
        with writing(path) as store:
            decide_organisations(store, a, b, verdict)
    except KGError as e:  # another process holds the store for writing
        st.error(str(e))
        return
    st.toast(t("decision_saved"))


def _proposals(path, store):
    """The open organisation-merge proposals of the last import, each with confirm/reject."""
    proposals = last_organisations(store)["proposals"]
    st.subheader(t("org_proposals").format(count=len(proposals)))
    st.caption(t("org_proposals_help"))
    decisions = load_remembered(store).get("organisations", {})
    decided = {frozenset(pair): verdict for verdict in ("same", "different") for pair in decisions.get(verdict, [])}
    for i, p in enumerate(proposals):
        verdict = decided.get(frozenset((p["a"], p["b"])))
        text, same, different = st.columns([6, 1, 1])
        status = t("decided_" + verdict) if verdict else t("open")
        text.markdown(f"**{plain(p['a'])}** ≟ **{plain(p['b'])}**  \n{plain(p['reason'])} "
                      f"({t('score')} {p['score']:.0f}) · *{status}*")
        same.button(t("same"), key=f"org_same_{i}", on_click=_decide, args=(path, p["a"], p["b"], "same"),
                    disabled=verdict == "same")
        different.button(t("different"), key=f"org_different_{i}", on_click=_decide,
                         args=(path, p["a"], p["b"], "different"), disabled=verdict == "different")


def render():
    """Draw the duplicates page."""
    path, store, version = current_data()
    st.title(t("page_duplicates"))
    require_data(path, version)
    lang = current_language()
    _overlaps(cached_analysis(path, version, st.session_state[Keys.AT]), cached_frames(path, version), lang)
    _proposals(path, store)
