"""Angebote: the measures, filtered by target group, field, district, provider, funder, period and text."""

import datetime as dt

import streamlit as st

from knotenpunkt.graph.catalogue import FILTER_KINDS, select_measures
from knotenpunkt.graph.corrections import correct_measure, corrected
from knotenpunkt.graph.errors import KGError
from knotenpunkt.graph.queries import run_query
from knotenpunkt.graph.store import writing
from knotenpunkt.graph.summary import derive
from knotenpunkt.pages.i18n import current_language, plain, t, table_view
from knotenpunkt.pages.state import Keys, cached_filter_options, cached_frames, cached_measure_table, current_data, require_data

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


def _current(frames, measure):
    """The measure's facts as the analyses see them now (corrections applied), as the form's defaults."""
    rows = frames.measures[frames.measures["measure"] == measure]
    links = frames.links[frames.links["measure"] == measure]
    first = rows.iloc[0]
    return {"title": first["title"], "start": first["start"], "end": first["end"],
            "provider": first["provider"] if isinstance(first["provider"], str) else None,
            **{kind: sorted(links.loc[links["kind"] == kind, "value"]) for kind in ("target_group", "field", "district")}}


def _save(path, measure, changes):
    """Write (or with no changes undo) the corrections of one measure; they apply at once."""
    try:
        with writing(path) as store:
            correct_measure(store, measure, changes, derive=derive)
    except KGError as e:  # another process holds the store for writing
        st.error(e.message(current_language()))
        return
    st.toast(t("correction_saved") if changes else t("correction_undone"))


def _correct(path, frames, measure, options, lang):
    """A form to correct title, dates, provider, target groups, fields and districts; and undo."""
    done = corrected(frames, measure)
    with st.expander(t("correct_measure"), expanded=bool(done)):
        if done:
            st.info(t("corrected_fields").format(fields=", ".join(t("col_" + k) for k in done)))
            st.button(t("correction_undo"), key=f"undo_{measure}", on_click=_save, args=(path, measure, {}))
        now = _current(frames, measure)
        orgs = dict(sorted(((o, frames.label(o, lang)) for o in frames.organisations["organisation"]),
                           key=lambda item: item[1].lower()))
        with st.form(f"correct_{measure}"):
            values = {"title": st.text_input(t("col_title"), now["title"], key="fix_title")}
            left, right = st.columns(2)
            values["start"] = left.date_input(t("col_start"), now["start"], format="DD.MM.YYYY", key="fix_start")
            values["end"] = right.date_input(t("col_end"), now["end"], format="DD.MM.YYYY", key="fix_end")
            values["provider"] = st.selectbox(t("col_provider"), list(orgs), format_func=orgs.get,
                                              index=list(orgs).index(now["provider"]) if now["provider"] in orgs else None,
                                              placeholder=t("choose"), key="fix_provider")
            for kind in ("target_group", "field", "district"):
                labels = options[kind]
                values[kind] = st.multiselect(t("col_" + kind), list(labels), [v for v in now[kind] if v in labels],
                                              format_func=labels.get, placeholder=t("choose"), key=f"fix_{kind}")
            if st.form_submit_button(t("correction_save")):
                changes = {**done, **{k: v for k, v in values.items() if v != now[k] and v not in (None, "")}}
                if changes != done:
                    _save(path, measure, changes)
                    st.rerun()


def render():
    """Draw the measures page."""
    path, store, version = current_data()
    st.title(t("page_measures"))
    require_data(path, version)
    lang = current_language()
    frames = cached_frames(path, version)
    options = cached_filter_options(path, version, lang)
    chosen = _filters(options)
    table = cached_measure_table(path, version, lang)
    if any(value for value in chosen.values()):
        table = table[table["measure"].isin(select_measures(frames, **chosen))].reset_index(drop=True)
    st.caption(t("measures_shown").format(shown=len(table), total=frames.measures["measure"].nunique()))
    st.dataframe(table_view(table, _COLUMNS), hide_index=True)
    if table.empty:
        return
    titles = dict(zip(table["measure"], (table["id"].fillna("") + " " + table["title"]).str.strip()))
    if st.session_state.get(Keys.MEASURE) not in titles:
        st.session_state.pop(Keys.MEASURE, None)
    measure = st.selectbox(t("measure_detail"), list(titles), format_func=titles.get, index=None, key=Keys.MEASURE,
                           placeholder=t("choose"))
    if measure:
        _detail(store, table.set_index("measure").loc[measure].to_dict() | {"measure": measure})
        _correct(path, frames, measure, options, lang)
