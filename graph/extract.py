"""Tidy tables from the store for the analyses: one canned query each, turned into DataFrames."""

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from graph.queries import run_query

__all__ = ["Frames", "load_frames", "active_in"]

ZG_SCHEME = "https://w3id.org/knotenpunkt/voc/zielgruppe/"
HF_SCHEME = "https://w3id.org/knotenpunkt/voc/handlungsfeld/"


@dataclass
class Frames:
    """What the analyses read.

    Attributes
    ----------
    measures : DataFrame
        measure, title, provider, start, end, source_id, file, sheet, row (one row per provider).
    links : DataFrame
        measure, kind (target_group, field, district, partner, funder), value.
    ancestors : DataFrame
        concept, ancestor (each concept is its own ancestor).
    labels : dict
        IRI → (German label, English label).
    districts : DataFrame
        district, label, city, inhabitants, migration_share (the smallest areas).
    cooperations : DataFrame
        a, b (explicit cooperations, both directions not repeated).
    memberships : DataFrame
        network, member.
    organisations : DataFrame
        organisation, type, district.
    """

    measures: pd.DataFrame
    links: pd.DataFrame
    ancestors: pd.DataFrame
    labels: dict
    districts: pd.DataFrame
    cooperations: pd.DataFrame
    memberships: pd.DataFrame
    organisations: pd.DataFrame

    def label(self, iri, lang="de"):
        """The label of an IRI in `lang`, falling back to the other language and then the IRI."""
        de, en = self.labels.get(iri, (None, None))
        return (en if lang == "en" else de) or de or en or iri.rsplit("/", 1)[-1]

    def values(self, kind):
        """The (measure, value) pairs of one kind of link."""
        return self.links.loc[self.links["kind"] == kind, ["measure", "value"]]


def _frame(rows, columns):
    return pd.DataFrame(rows, columns=columns) if rows else pd.DataFrame(columns=columns)


def load_frames(store):
    """Read every table the analyses need from the store.

    Parameters
    ----------
    store : graph.store.Store

    Returns
    -------
    Frames
    """
    measures = _frame(run_query(store, "extract_measures"),
                      ["measure", "title", "provider", "start", "end", "source_id", "file", "sheet", "row"])
    labels = {r["iri"]: (r["label_de"], r["label_en"]) for r in run_query(store, "extract_labels")}
    cooperations = _frame([{"a": r["a"], "b": r["b"]} for r in run_query(store, "list_cooperations")], ["a", "b"])
    memberships = _frame([{"network": r["network"], "member": r["member"]}
                          for r in run_query(store, "network_memberships")], ["network", "member"])
    return Frames(
        measures=measures,
        links=_frame(run_query(store, "extract_measure_links"), ["measure", "kind", "value"]),
        ancestors=_frame(run_query(store, "extract_hierarchy"), ["concept", "ancestor"]),
        labels=labels,
        districts=_frame(run_query(store, "list_districts"), ["district", "label", "city", "inhabitants",
                                                              "migration_share"]),
        cooperations=cooperations,
        memberships=memberships,
        organisations=_frame(run_query(store, "extract_organisations"), ["organisation", "type", "district"]),
    )


def active_in(measures, start, end):
    """Boolean mask: measures active at some day of [start, end] (no start or no end means open).

    Examples
    --------
    >>> m = pd.DataFrame({"start": [dt.date(2020, 1, 1), None], "end": [dt.date(2021, 1, 1), None]})
    >>> active_in(m, dt.date(2022, 1, 1), dt.date(2022, 1, 1)).tolist()
    [False, True]
    """
    starts = measures["start"].where(measures["start"].notna(), dt.date.min)
    ends = measures["end"].where(measures["end"].notna(), dt.date.max)
    return (starts <= end) & (ends >= start)
