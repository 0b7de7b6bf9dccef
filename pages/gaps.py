"""Lücken: coverage heatmap target group × field (city-wide or one district), need vs supply, funding cliff."""

import altair as alt
import pandas as pd
import streamlit as st

from graph import gaps
from pages.i18n import column_labels, current_language, t
from pages.state import Keys, cached_analysis, cached_frames, current_data, require_data

__all__ = ["render"]


def _heatmap(matrix, frames, lang):
    """The coverage matrix as a heatmap; zero cells are marked with a red ✕."""
    cells = matrix.stack().rename("measures").reset_index()
    cells.columns = ["target_group", "field", "measures"]
    cells["target_group"] = cells["target_group"].map(lambda i: frames.label(i, lang))
    cells["field"] = cells["field"].map(lambda i: frames.label(i, lang))
    x = alt.X("field:N", title=t("col_field"), axis=alt.Axis(labelAngle=-40, labelLimit=220, labelOverlap=False))
    y = alt.Y("target_group:N", title=t("col_target_group"), axis=alt.Axis(labelLimit=260, labelOverlap=False))
    tooltip = [alt.Tooltip("target_group:N", title=t("col_target_group")), alt.Tooltip("field:N", title=t("col_field")),
               alt.Tooltip("measures:Q", title=t("measures"))]
    base = alt.Chart(cells)
    heat = base.mark_rect().encode(x=x, y=y, tooltip=tooltip,
                                   color=alt.Color("measures:Q", title=t("measures"), scale=alt.Scale(scheme="blues")))
    zeros = base.transform_filter(alt.datum.measures == 0).mark_text(text="✕", color="#d62728", fontSize=13,
                                                                      fontWeight="bold").encode(x=x, y=y)
    return (heat + zeros).properties(height=max(300, 24 * matrix.shape[0]))


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
    figures = table.dropna(subset=["per_1000"])
    if not figures.empty:  # the districts sheet gave inhabitants and shares
        chart = alt.Chart(figures).mark_bar().encode(
            x=alt.X("per_1000:Q", title=t("col_per_1000")),
            y=alt.Y("district:N", sort="x", title=t("col_district")),
            tooltip=[alt.Tooltip(c, title=t("col_" + c)) for c in table.columns])
        st.altair_chart(chart, width="stretch")
    st.dataframe(table.rename(columns=column_labels(table.columns)), hide_index=True)


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
    district = st.selectbox(t("filter_district"), [None, *districts], key="gaps_district",
                            format_func=lambda d: districts[d] if d else t("whole_city"))
    matrix = gaps.coverage_matrix(frames, at, at, district=district)
    st.subheader(t("coverage"))
    st.caption(t("coverage_help"))
    st.altair_chart(_heatmap(matrix, frames, lang), width="stretch")
    zeros = _zero_table(matrix, frames, lang)
    st.subheader(t("zero_cells").format(count=len(zeros)))
    st.dataframe(zeros, hide_index=True)
    st.subheader(t("need_supply"))
    _supply(result, frames, lang)
    st.subheader(t("funding_cliff"))
    cliff = pd.DataFrame([{"target_group": frames.label(c["target_group"]["iri"], lang),
                           "field": frames.label(c["field"]["iri"], lang), "reason": t("cliff_" + c["reason"]),
                           "last_end": c["last_end"] or "",
                           "funder": frames.label(c["funder"]["iri"], lang) if c["funder"] else "",
                           "measures": "; ".join(f"{m['source']['id'] or ''} {m['title']}".strip() for m in c["measures"])}
                          for c in result["gaps"]["funding_cliff"]],
                         columns=["target_group", "field", "reason", "last_end", "funder", "measures"])
    st.dataframe(cliff.rename(columns=column_labels(cliff.columns)), hide_index=True)
