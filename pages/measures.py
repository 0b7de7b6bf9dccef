"""Angebote: the measures, filtered by target group, field, district, provider, funder, period and text."""

import datetime as dt

import streamlit as st

from graph.catalogue import FILTER_KINDS, filter_options, measure_table, select_measures
from graph.queries import run_query
from pages.i18n import column_labels, current_language, plain, t
from pages.state import Keys, cached_frames, cached_texts, current_data, require_data

__all__ = ["render"]

_COLUMNS = ("id", "title", "provider", "partner", "target_group", "field", "district", "funder", "start", "end", "notes")


def _filters(options):
    """The filter widgets; returns the keyword arguments for `select_measures`."""
    chosen = {}
    columns = st.columns(len(FILTER_KINDS))
    for column, kind in zip(columns, FILTER_KINDS, strict=True):
        labels = options[kind]
        chosen[kind] = column.multiselect(t("filter_" + kind), list(labels), format_func=labels.get,
                                          key="measures_" + kind, placeholder=t("choose"))
    left, middle, right = st.columns([1, 1, 2])
    chosen["start"] = left.date_input(t("period_from"), value=None, key="measures_start", format="DD.MM.YYYY")
    chosen["end"] = middle.date_input(t("period_until"), value=None, key="measures_end", format="DD.MM.YYYY")
    chosen["text"] = right.text_input(t("text_search"), key="measures_text")
    return chosen


def _detail(store, row):
    """The chosen measure: its links and where it comes from."""
    st.subheader(plain(row["title"]))
    if row["description"]:
        st.markdown(plain(row["description"]))
    for key in ("id", "provider", "partner", "target_group", "field", "district", "funder"):
        if row[key]:
            st.markdown(f"**{t('col_' + key)}:** {plain(row[key])}")
    period = " – ".join(d.strftime("%d.%m.%Y") if isinstance(d, dt.date) else "…" for d in (row["start"], row["end"]))
    st.markdown(f"**{t('period')}:** {plain(period)}")
    for key in ("languages", "schedule", "notes"):
        if row[key]:
            st.markdown(f"**{t('col_' + key)}:** {plain(row[key])}")
    st.caption(t("provenance"))
    provenance = run_query(store, "measure_provenance", measure=row["measure"])
    st.dataframe([{t("col_file"): p["file"], t("col_sheet"): p["sheet"], t("col_row"): p["row"],
                   t("col_id"): p["source_id"]} for p in provenance], hide_index=True)


def render():
    """Draw the measures page."""
    path, store, version = current_data()
    st.title(t("page_measures"))
    require_data(path, version)
    lang = current_language()
    frames = cached_frames(path, version)
    chosen = _filters(filter_options(frames, lang))
    table = measure_table(frames, select_measures(frames, **chosen), lang, texts=cached_texts(path, version))
    st.caption(t("measures_shown").format(shown=len(table), total=frames.measures["measure"].nunique()))
    st.dataframe(table[list(_COLUMNS)].rename(columns=column_labels(_COLUMNS)), hide_index=True)
    if table.empty:
        return
    titles = dict(zip(table["measure"], (table["id"].fillna("") + " " + table["title"]).str.strip()))
    if st.session_state.get(Keys.MEASURE) not in titles:
        st.session_state.pop(Keys.MEASURE, None)
    measure = st.selectbox(t("measure_detail"), list(titles), format_func=titles.get, index=None, key=Keys.MEASURE,
                           placeholder=t("choose"))
    if measure:
        _detail(store, table.set_index("measure").loc[measure].to_dict() | {"measure": measure})
