"""Knotenpunkt's Streamlit entry point: page config, session state, navigation, and the error page."""

import logging

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from knotenpunkt.graph.errors import KGError
from knotenpunkt.pages import duplicates, export, gaps, importer, measures, network, organisations, overview, sparql
from knotenpunkt.pages.i18n import LANGUAGE_KEY, LANGUAGES, current_language, t
from knotenpunkt.pages.state import Keys, init_session_state

__all__ = ["main", "PAGES"]

log = logging.getLogger("knotenpunkt.app")

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

# Closes Streamlit's English "Page not found" box. Only the first visit after a start needs it: the
# pages/ folder beside app.py makes Streamlit try its automatic multipage mode once, before app.py's
# st.navigation switches it off for the whole process; a deep link then finds no file page of that name.
_CLOSE_PAGE_NOT_FOUND = """<script>
var tries = 0, timer = setInterval(function () {
  var doc = window.parent.document;
  doc.querySelectorAll('[role="dialog"]').forEach(function (box) {
    if (box.innerText.indexOf("Page not found") >= 0) {
      var close = box.querySelector('button[aria-label="Close"]');
      if (close) { close.click(); } else { box.remove(); }
    }
  });
  if (++tries > 40) { clearInterval(timer); }
}, 50);
</script>"""


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


def _error_page(error):
    """What the user sees instead of a traceback: what happened, what to do; the details go to the log."""
    st.error(t("error_title"))
    if isinstance(error, KGError):
        st.markdown(error.message(current_language()).replace("\n", "  \n"))
    st.markdown(t("error_what_to_do"))


# An empty date field shows its format mask in English ("dd.mm.yyyy"); the label says what it is for.
# The coverage heatmap (pages/gaps.py) scrolls sideways on a phone instead of squeezing its cells.
_STYLE = ("<style>[data-testid='stDateInput'] input::placeholder { color: transparent; }"
          ".st-key-kp_heatmap { overflow-x: auto; }</style>")


def main():
    """Configure the page, initialise state, draw the navigation and run the selected page."""
    first_run = bool(PagesManager.uses_pages_directory)  # Streamlit's automatic multipage mode, first visit only
    st.set_page_config(page_title="Knotenpunkt", layout="wide")
    st.html(_STYLE)
    init_session_state()
    # Streamlit serves the default page at "/" only; the first page's own address (a shared link) works too
    pages = [st.Page(module.render, title=t(title), url_path="start" if i == 0 else url_path, default=i == 0)
             for i, (module, title, url_path) in enumerate(PAGES)]
    module, title, url_path = PAGES[0]
    alias = st.Page(module.render, title=t(title), url_path=url_path)
    page = st.navigation([*pages, alias], position="hidden")
    with st.sidebar:
        st.markdown(f"### {t('app_title')}")
        for p in pages:
            st.page_link(p, label=p.title)
        st.divider()
    _language_switch()
    st.sidebar.date_input(t("at_day"), key=Keys.AT, format="DD.MM.YYYY")
    if first_run:
        st.iframe(_CLOSE_PAGE_NOT_FOUND, height=1)
    try:
        page.run()
    except KGError as e:
        log.warning("page %s: %s", page.url_path, e)
        _error_page(e)
    except Exception as e:  # noqa: BLE001 - the boundary: never a traceback in front of a user
        log.exception("page %s failed", page.url_path)
        _error_page(e)


if __name__ == "__main__":
    main()
