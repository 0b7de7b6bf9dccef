"""Tidy tables from the store for the analyses: one canned query each, turned into DataFrames."""

import datetime as dt
import itertools
from collections import defaultdict
from dataclasses import dataclass, field

import pandas as pd

from graph.corrections import apply_corrections, load_corrections
from graph.decisions import load_decisions, resolve_frames
from graph.queries import run_frame

__all__ = ["Frames", "load_frames", "active_in"]

ZG_SCHEME = "https://w3id.org/knotenpunkt/voc/zielgruppe/"
HF_SCHEME = "https://w3id.org/knotenpunkt/voc/handlungsfeld/"


@dataclass
class Frames:
    """What the analyses read.

    Attributes
    ----------
    measures : DataFrame
        measure, title, provider, start, end, source_id, file, sheet, row (one row per provider; one row
        with provider NaN for a measure whose provider is unknown, see `Frames.provided`).
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
    cache: dict = field(default_factory=dict, repr=False)  # results derived from the frames, by key

    def label(self, iri, lang="de"):
        """The label of an IRI in `lang`, falling back to the other language and then the IRI ("" for none)."""
        if not isinstance(iri, str):  # a missing value (a measure whose provider is unknown)
            return ""
        de, en = self.labels.get(iri, (None, None))
        return (en if lang == "en" else de) or de or en or iri.rsplit("/", 1)[-1]

    def values(self, kind):
        """The (measure, value) pairs of one kind of link."""
        return self.links.loc[self.links["kind"] == kind, ["measure", "value"]]

    def cached(self, key, compute):
        """A result derived from these frames, computed once per key."""
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]

    def participants(self):
        """Measure → the set of its providers and partners."""
        partners = self.values("partner")
        provided = self.provided()
        return _sets(itertools.chain(zip(provided["measure"], provided["provider"]),
                                     zip(partners["measure"], partners["value"])))

    def provided(self):
        """The measures with a known provider (one row per measure and provider)."""
        return self.measures.dropna(subset=["provider"])

    def network_members(self):
        """Network → the set of its member organisations."""
        return _sets(zip(self.memberships["network"], self.memberships["member"]))


def _sets(pairs):
    """Key → set of values, from (key, value) pairs."""
    out = defaultdict(set)
    for key, value in pairs:
        out[key].add(value)
    return out


def _dates(series):
    """ISO date strings to datetime.date, None where missing."""
    parsed = pd.to_datetime(series, errors="coerce", format="ISO8601")
    return pd.Series([d.date() if not pd.isna(d) else None for d in parsed], index=series.index, dtype=object)


def _numbers(series):
    return pd.to_numeric(series, errors="coerce")


def load_frames(store):
    """Read every table the analyses need from the store, with the organisation decisions applied.

    Corrections made in the app replace the imported facts (`graph.corrections`), and organisations
    the coordinator decided to be one are one in every table (`graph.decisions`).

    Parameters
    ----------
    store : graph.store.Store

    Returns
    -------
    Frames
    """
    sources = run_frame(store, "extract_sources")
    sources["row"] = _numbers(sources["row"])
    sources = sources.sort_values(["measure", "file", "row"]).drop_duplicates("measure")
    measures = run_frame(store, "extract_measures").merge(sources, on="measure", how="left")
    measures["start"], measures["end"] = _dates(measures["start"]), _dates(measures["end"])
    labels = {r.iri: (r.label_de, r.label_en) for r in run_frame(store, "extract_labels").itertuples()}
    cooperations = run_frame(store, "list_cooperations")[["a", "b"]]
    memberships = run_frame(store, "network_memberships")[["network", "member"]]
    districts = run_frame(store, "list_districts")
    districts["inhabitants"], districts["migration_share"] = (_numbers(districts["inhabitants"]),
                                                              _numbers(districts["migration_share"]))
    frames = Frames(
        measures=measures,
        links=run_frame(store, "extract_measure_links"),
        ancestors=run_frame(store, "extract_hierarchy"),
        labels=labels,
        districts=districts,
        cooperations=cooperations,
        memberships=memberships,
        organisations=run_frame(store, "extract_organisations"),
    )
    apply_corrections(frames, load_corrections(store))
    return resolve_frames(frames, load_decisions(store))


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
