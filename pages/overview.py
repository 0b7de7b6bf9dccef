"""Übersicht: key figures of the inventory."""

import streamlit as st

from pages.i18n import t
from pages.state import Keys, cached_counts, get_store

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
    for column, key in zip(columns, _FIGURES):
        column.metric(t(key), counts[key])
