"""Übersicht: key figures of the inventory."""

import streamlit as st

from graph.findings import top_findings
from pages.i18n import current_language, plain, t
from pages.state import Keys, cached_analysis, cached_counts, get_store

__all__ = ["render"]

_FIGURES = ("measures", "organisations", "target_groups", "districts", "cooperations", "networks")


def render():
    """Draw the overview page."""
    path = st.session_state[Keys.STORE_PATH]
    store = get_store(path)
    counts = cached_counts(path, store.data_version())
    st.title(t("app_title"))
    st.caption(t("tagline"))
    if not counts["measures"]:
        st.info(t("no_data"))
        st.stop()
    st.subheader(t("key_figures"))
    columns = st.columns(len(_FIGURES))
    for column, key in zip(columns, _FIGURES, strict=True):
        column.metric(t(key), counts[key])
    lang = current_language()
    st.subheader(t("top_findings"))
    for finding in top_findings(cached_analysis(path, store.data_version(), st.session_state[Keys.AT])["findings"]):
        st.markdown(f"- {plain(finding[lang])}  \n  *{t('suggested_action')}:* {plain(finding['action_' + lang])}")
