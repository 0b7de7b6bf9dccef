"""Knotenpunkt's Streamlit entry point: page config, session state, navigation."""

import streamlit as st

from pages import overview
from pages.i18n import LANGUAGES, current_language, t
from pages.state import Keys, init_session_state

__all__ = ["main"]


def _language_switch():
    lang = current_language()
    choice = st.sidebar.radio(t("language"), LANGUAGES, index=LANGUAGES.index(lang), horizontal=True,
                              format_func=str.upper)
    if choice != lang:
        st.query_params["lang"] = choice
        st.rerun()


def main():
    """Configure the page, initialise state, and run the selected page."""
    st.set_page_config(page_title="Knotenpunkt", layout="wide")
    init_session_state()
    _language_switch()
    st.sidebar.caption(f"{t('store_label')}: {st.session_state[Keys.STORE_PATH]}")
    page = st.navigation([st.Page(overview.render, title=t("page_overview"), url_path="uebersicht", default=True)])
    page.run()


main()
