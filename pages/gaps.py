"""Lücken: coverage heatmap target group × field (city-wide or one district), need vs supply, funding cliff."""

import datetime as dt

import altair as alt
import pandas as pd
import streamlit as st

from knotenpunkt.graph import gaps
from knotenpunkt.pages.i18n import column_labels, current_language, format_number, kind_text, plain, t
from knotenpunkt.pages.state import Keys, cached_analysis, cached_frames, current_data, require_data, territory_kind

__all__ = ["render"]


_CELL = 34  # pixels per heatmap column: the matrix keeps its shape on a phone and scrolls sideways
_BARS = 30  # districts in the need-vs-supply chart; the table below lists all


def _heatmap(matrix, frames, lang):
    """The coverage matrix as a heatmap; zero cells are marked with a red ✕; labels sorted as German sorts."""
    cells = matrix.stack().rename("measures").reset_index()
    cells.columns = ["target_group", "field", "measures"]
    cells["target_group"] = cells["target_group"].map(lambda i: frames.label(i, lang))
    cells["field"] = cells["field"].map(lambda i: frames.label(i, lang))
    rows = sorted(cells["target_group"].unique(), key=gaps.label_key)
    columns = sorted(cells["field"].unique(), key=gaps.label_key)
    x = alt.X("field:N", title=None, sort=columns,
              axis=alt.Axis(labelAngle=-40, labelLimit=200, labelOverlap=False, orient="top"))
    y = alt.Y("target_group:N", title=None, sort=rows, axis=alt.Axis(labelLimit=220, labelOverlap=False))
    tooltip = [alt.Tooltip("target_group:N", title=t("col_target_group")), alt.Tooltip("field:N", title=t("col_field")),
               alt.Tooltip("measures:Q", title=t("measures"))]
    base = alt.Chart(cells)
    heat = base.mark_rect().encode(x=x, y=y, tooltip=tooltip,
                                   color=alt.Color("measures:Q", title=t("measures"), scale=alt.Scale(scheme="blues")))
    zeros = base.transform_filter(alt.datum.measures == 0).mark_text(text="✕", color="#d62728", fontSize=13,
                                                                      fontWeight="bold").encode(x=x, y=y)
    return (heat + zeros).properties(height=alt.Step(24), width=alt.Step(_CELL))  # a fixed size per cell


def _ranked(frames, at, district, lang):
    """Empty and thin cells, the most needed first (`graph.gaps.rank_gaps`), as a table with labels."""
    ranked = gaps.rank_gaps(frames, at, at, district=district)
    table = pd.DataFrame({
        t("col_rank"): ranked["rank"],
        t("col_target_group"): ranked["target_group"].map(lambda i: frames.label(i, lang)),
        t("col_field"): ranked["field"].map(lambda i: frames.label(i, lang)),
        t("col_measures"): ranked["measures"],
        t("col_need"): ranked["need"].map(lambda v: "–" if pd.isna(v) else format_number(v)),
        t("col_districts_without"): ranked["districts_without"]})
    return ranked, table


def _zero_table(matrix, frames, lang):
    """The zero cells of a matrix as a table with labels."""
    zeros = [(tg, f) for tg in matrix.index for f in matrix.columns if matrix.at[tg, f] == 0]
    return pd.DataFrame([{t("col_target_group"): frames.label(tg, lang), t("col_field"): frames.label(f, lang)}
                         for tg, f in zeros], columns=[t("col_target_group"), t("col_field")])


def _supply(result, frames, lang):
    """Need (residents with a migration background) vs supply (measures located there) per district."""
    rows = [{"district": frames.label(s["district"]["iri"], lang), "measures": s["measures"],
             "inhabitants": s["inhabitants"], "migration_share": s["migration_share"], "per_1000": s["per_1000"],
             "local_gaps": s["local_gaps"]} for s in result["gaps"]["supply"]]
    table = pd.DataFrame(rows, columns=["district", "measures", "inhabitants", "migration_share", "per_1000",
                                        "local_gaps"])
    figures = table.dropna(subset=["per_1000"]).sort_values(["per_1000", "district"]).head(_BARS)
    if not figures.empty:  # the districts sheet gave inhabitants and shares: the least supplied first
        figures = figures.assign(text=[format_number(v, 2) if m else t("no_offer") for v, m in
                                       zip(figures["per_1000"], figures["measures"])], shown=figures["per_1000"])
        order = list(figures["district"])
        y = alt.Y("district:N", sort=order, title=None, axis=alt.Axis(labelLimit=160))
        tooltip = [alt.Tooltip("district:N", title=t("col_district")), alt.Tooltip("measures:Q", title=t("col_measures")),
                   alt.Tooltip("text:N", title=t("col_per_1000"))]
        base = alt.Chart(figures)
        bars = base.mark_bar(color="#4363d8").encode(x=alt.X("shown:Q", title=t("col_per_1000")), y=y, tooltip=tooltip)
        zero = base.transform_filter(alt.datum.measures == 0).mark_tick(color="#d62728", thickness=4, size=16).encode(
            x=alt.X("shown:Q"), y=y)
        labels = base.mark_text(align="left", dx=4, fontSize=11).encode(
            x="shown:Q", y=y, text="text:N",
            color=alt.condition(alt.datum.measures == 0, alt.value("#d62728"), alt.value("#333333")))
        st.altair_chart((bars + zero + labels).properties(height=24 * len(figures)), width="stretch")
        if len(table.dropna(subset=["per_1000"])) > len(figures):
            st.caption(t("bars_shown").format(shown=len(figures), total=len(table)))
    shown = table.assign(migration_share=table["migration_share"].map(
        lambda v: "–" if pd.isna(v) else format_number(v * 100, 1) + " %"),
        inhabitants=table["inhabitants"].map(lambda v: "–" if pd.isna(v) else format_number(v)),
        per_1000=table["per_1000"].map(lambda v: "–" if pd.isna(v) else format_number(v, 2)))
    st.dataframe(shown.rename(columns=column_labels(table.columns)), hide_index=True)


def _not_assessable(result, frames, lang):
    """Say which dimensions cannot show gaps (none of their texts mapped); True when the cells cannot
    (no target group or no field of action), else say how many measures count in no cell."""
    for finding in result["findings"]:
        if finding["kind"] == "not_assessable":
            st.warning(f"{plain(finding[lang])}  \n{plain(finding['action_' + lang])}")
    if {"target_group", "field"} & set(result["gaps"]["not_assessable"]):
        return True
    measures = set(frames.measures["measure"])
    counted = set(frames.values("target_group")["measure"]) & set(frames.values("field")["measure"])
    if uncounted := len(measures - counted):
        st.info(t("gaps_uncounted").format(count=format_number(uncounted), total=format_number(len(measures))))
    return False


def render():
    """Draw the gaps page."""
    path, store, version = current_data()
    st.title(t("page_gaps"))
    require_data(path, version)
    lang = current_language()
    at = st.session_state[Keys.AT]
    frames = cached_frames(path, version)
    result = cached_analysis(path, version, at)
    st.caption(t("gaps_at").format(day=at.strftime("%d.%m.%Y")))
    districts = dict(zip(frames.districts["district"], frames.districts["label"]))
    kind = territory_kind(path, version)  # "Gemeinde" and "ganzes Land" for a Land
    whole = kind_text("whole_city", kind)
    district = st.selectbox(kind_text("filter_district", kind), [None, *districts], key="gaps_district",
                            format_func=lambda d: districts[d] if d else whole)
    located = "district" not in result["gaps"]["not_assessable"]  # else every district would show 0 measures
    if _not_assessable(result, frames, lang):
        if located:
            st.subheader(t("need_supply"))
            _supply(result, frames, lang)
        return
    matrix = gaps.coverage_matrix(frames, at, at, district=district)
    ranked, table = _ranked(frames, at, district, lang)
    st.subheader(t("gaps_first"))
    st.caption(t("gaps_first_help"))
    st.dataframe(table.head(10), hide_index=True)
    with st.expander(t("gaps_all").format(count=len(table))):
        st.dataframe(table, hide_index=True)
    st.subheader(t("coverage"))
    st.caption(t("coverage_help"))
    with st.container(key="kp_heatmap"):  # scrolls sideways (app.py's style): on a phone the cells keep their size
        st.altair_chart(_heatmap(matrix, frames, lang), width="content")
    zeros = _zero_table(matrix, frames, lang)
    st.subheader(t("zero_cells").format(count=len(zeros)))
    st.dataframe(zeros, hide_index=True)
    if located:
        st.subheader(t("need_supply"))
        _supply(result, frames, lang)
    st.subheader(t("funding_cliff"))
    cliff = pd.DataFrame([{"target_group": frames.label(c["target_group"]["iri"], lang),
                           "field": frames.label(c["field"]["iri"], lang), "reason": t("cliff_" + c["reason"]),
                           "last_end": dt.date.fromisoformat(c["last_end"]).strftime("%d.%m.%Y")
                           if c["last_end"] and lang == "de" else c["last_end"] or "",
                           "funder": frames.label(c["funder"]["iri"], lang) if c["funder"] else "",
                           "measures": "; ".join(f"{m['source']['id'] or ''} {m['title']}".strip() for m in c["measures"])}
                          for c in result["gaps"]["funding_cliff"]],
                         columns=["target_group", "field", "reason", "last_end", "funder", "measures"])
    st.dataframe(cliff.rename(columns=column_labels(cliff.columns)), hide_index=True)
