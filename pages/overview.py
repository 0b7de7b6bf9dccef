"""Übersicht: key figures, the top findings, and what changed since the previous import."""

import streamlit as st

from knotenpunkt.graph.findings import top_findings
from knotenpunkt.graph.texts import say
from knotenpunkt.pages.i18n import current_language, kind_text, plain, t
from knotenpunkt.pages.state import (Keys, cached_analysis, cached_counts, cached_diff, cached_frames,
                                     cached_territories, current_data, require_data, territory_kind)

__all__ = ["render"]

_FIGURES = ("measures", "organisations", "target_groups", "districts", "cooperations", "networks")
_CHANGES = ("new_measures", "ended_measures", "new_organisations", "lost_organisations", "new_cooperations",
            "lost_cooperations", "cells_gained", "cells_lost")


def _describe(kind, entry, frames, lang):
    """One changed item as text in `lang`."""
    if kind.endswith("measures"):
        return entry["title"]
    if kind.endswith("organisations"):
        return entry["label"]
    if kind.endswith("cooperations"):
        return f"{entry['a']['label']} – {entry['b']['label']}"
    return f"{frames.label(entry['target_group']['iri'], lang)} × {frames.label(entry['field']['iri'], lang)}"


def _since_last(path, version, at, lang):
    """Section "Seit der letzten Sitzung": the changes against the version before the latest import."""
    st.subheader(t("since_last"))
    changes = cached_diff(path, version, at)
    if changes["since"] is None:
        st.caption(t("no_previous"))
        return
    st.caption(t("since_version").format(label=plain(changes["since"]["label"])))
    if not any(changes[kind] for kind in _CHANGES):
        st.caption(t("no_changes"))
        return
    frames = cached_frames(path, version)
    columns = st.columns(4)
    for i, kind in enumerate(_CHANGES):
        columns[i % 4].metric(t("diff_" + kind), len(changes[kind]))
    for kind in _CHANGES:
        if changes[kind]:
            with st.expander(f"{t('diff_' + kind)} ({len(changes[kind])})"):
                st.markdown("\n".join(f"- {plain(_describe(kind, e, frames, lang))}" for e in changes[kind]))


def render():
    """Draw the overview page."""
    path, _, version = current_data()
    counts = cached_counts(path, version)
    st.title(t("app_title"))
    st.caption(t("tagline"))
    require_data(path, version, organisations=True)
    if territories := cached_territories(path, version):  # "Land: Hessen"
        st.markdown(" · ".join(f"**{plain(say(territory.phrase(), current_language()))}**" for territory in territories))
    st.subheader(t("key_figures"))
    columns = st.columns(3)  # two rows of three: six in one row cut "Angebote und Maßnahmen" at 1400 px
    kind = territory_kind(path, version)
    for i, key in enumerate(_FIGURES):  # the places of a Land are its "Gemeinden"
        columns[i % 3].metric(kind_text(key, kind) if key == "districts" else t(key), counts[key])
    if not counts["measures"]:  # a list of initiatives: its organisations, no findings about offers
        st.info(t("no_measures").format(count=counts["organisations"]))
        st.stop()
    lang = current_language()
    at = st.session_state[Keys.AT]
    _since_last(path, version, at, lang)
    st.subheader(t("top_findings"))
    for finding in top_findings(cached_analysis(path, version, at)["findings"]):
        st.markdown(f"- {plain(finding[lang])}  \n  *{t('suggested_action')}:* {plain(finding['action_' + lang])}")
