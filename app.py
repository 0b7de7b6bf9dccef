"""Knotenpunkt's Streamlit entry point: page config, session state, navigation."""

import streamlit as st

from pages import duplicates, export, gaps, importer, measures, network, organisations, overview, sparql
from pages.i18n import LANGUAGE_KEY, LANGUAGES, current_language, t
from pages.state import Keys, init_session_state

__all__ = ["main"]

# (module, title key, URL path); the first page is the default
PAGES = (
    (overview, "page_overview", "uebersicht"),
    (importer, "page_import", "import"),
    (measures, "page_measures", "angebote"),
    (organisations, "page_organisations", "organisationen"),
    (network, "page_network", "netzwerk"),
    (gaps, "page_gaps", "luecken"),
    (duplicates, "page_duplicates", "dubletten"),
    (sparql, "page_sparql", "sparql"),
    (export, "page_export", "export"),
)


def _language_switch():
    lang = current_language()
    st.session_state[LANGUAGE_KEY] = lang
    if lang != "de" and st.query_params.get("lang") != lang:
        st.query_params["lang"] = lang  # after a page link: the address says the language again
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
    st.sidebar.date_input(t("at_day"), key=Keys.AT, format="DD.MM.YYYY")
    st.sidebar.caption(f"{t('store_label')}: {st.session_state[Keys.STORE_PATH]}")
    page = st.navigation([st.Page(module.render, title=t(title), url_path=url_path, default=i == 0)
                          for i, (module, title, url_path) in enumerate(PAGES)])
    page.run()


main()
