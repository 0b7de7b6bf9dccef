"""Export: deck, handout, pictures and data for the steering group, with a preview of the slide pictures."""

import streamlit as st

from knotenpunkt.graph import exports
from knotenpunkt.graph.deck import write_deck
from knotenpunkt.graph.handout import write_handout
from knotenpunkt.graph.pictures import PICTURES, draw_pictures, figure_bytes
from knotenpunkt.graph.report import build_report
from knotenpunkt.graph.versions import list_versions
from knotenpunkt.pages.i18n import current_language, t
from knotenpunkt.pages.state import Keys, get_store, require_data

__all__ = ["render"]

_PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@st.cache_data(max_entries=4, show_spinner=False)
def _documents(path, data_version, lang, since, personal):
    """Deck, handout and pictures (PNG and SVG) for one data version, language and comparison."""
    report = build_report(get_store(path), since=since, lang=lang, include_personal_data=personal)
    figures = draw_pictures(report)
    pictures = {(name, fmt): figure_bytes(fig, fmt) for name, fig in figures.items() for fmt in ("png", "svg")}
    png = {name: pictures[name, "png"] for name in PICTURES}
    return {"deck": write_deck(report, pictures=png), "handout": write_handout(report, pictures=png),
            "pictures": pictures}


@st.cache_data(max_entries=4, show_spinner=False)
def _data(path, data_version, personal, lang):
    """The data as Turtle, CSV and XLSX (safe cells; personal data only when allowed; headings in `lang`)."""
    store = get_store(path)
    frame = exports.export_table(store, lang=lang, include_personal_data=personal)
    return {"ttl": exports.to_turtle(store, include_personal_data=personal), "csv": exports.to_csv(frame),
            "xlsx": exports.to_xlsx(frame)}


def render():
    """Draw the export page."""
    path = st.session_state[Keys.STORE_PATH]
    store = get_store(path)
    version = store.data_version()
    st.title(t("page_export"))
    require_data(path, version, organisations=True)
    lang = current_language()
    personal = exports.personal_data_allowed()
    st.caption(t("export_personal_on") if personal else t("export_personal_off"))
    versions = list_versions(store)
    choices = [None, *(str(v["number"]) for v in reversed(versions[:-1]))]
    labels = {str(v["number"]): f"{v['number']} · {v['time'][:10]} · {v['label']}" for v in versions}
    since = st.selectbox(t("export_since"), choices, format_func=lambda v: labels[v] if v else t("export_previous"))
    with st.spinner(t("export_building")):
        documents = _documents(path, version, lang, since, personal)
        data = _data(path, version, personal, lang)
    st.subheader(t("export_documents"))
    deck, handout = st.columns(2)
    deck.download_button(t("export_deck"), documents["deck"], "lenkungsgruppe.pptx", _PPTX, width="stretch")
    handout.download_button(t("export_handout"), documents["handout"], "handout.pdf", "application/pdf",
                            width="stretch")
    st.subheader(t("export_data"))
    for column, (key, name, mime) in zip(st.columns(3), (("ttl", "bestand.ttl", "text/turtle"),
                                                         ("csv", "angebote.csv", "text/csv"),
                                                         ("xlsx", "angebote.xlsx", _XLSX))):
        column.download_button(t(f"export_{key}"), data[key], name, mime, width="stretch")
    st.caption(t("export_safe"))
    st.subheader(t("export_preview"))
    for name in PICTURES:
        st.image(documents["pictures"][name, "png"], caption=t(f"export_picture_{name}"))
        png, svg = st.columns(2)
        png.download_button("PNG", documents["pictures"][name, "png"], f"{name}.png", "image/png", key=f"{name}-png")
        svg.download_button("SVG", documents["pictures"][name, "svg"], f"{name}.svg", "image/svg+xml",
                            key=f"{name}-svg")
