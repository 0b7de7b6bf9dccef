"""Tidy tables from the store for the analyses: one canned query each, turned into DataFrames.

The tables are computed once per version of the data: the import's transaction computes them (for
the summary) and keeps them beside the data as Parquet files (`graph.store.Store.write_tables`),
so they switch with the generation; `load_frames` reads them back when they were computed from the
sources the store holds now (`frames_key`), and runs the queries otherwise (server-backed mode, a
store written before). What the coordinator decided later (corrections, organisation decisions) is
applied after loading, as before: the kept tables are the imported facts.
"""

import datetime as dt
import hashlib
import itertools
from collections import defaultdict
from dataclasses import dataclass, field

import pandas as pd

from knotenpunkt.graph.corrections import apply_corrections, load_corrections
from knotenpunkt.graph.decisions import load_decisions, resolve_frames
from knotenpunkt.graph.queries import run_frame
from knotenpunkt.ontology.namespace import GRAPH

__all__ = ["Frames", "load_frames", "read_frames", "query_frames", "frames_key", "active_in", "FRAMES"]

ZG_SCHEME = "https://w3id.org/knotenpunkt/voc/zielgruppe/"
HF_SCHEME = "https://w3id.org/knotenpunkt/voc/handlungsfeld/"
FRAMES = "frames"  # name of the kept tables in the store
_TABLES = ("measures", "links", "ancestors", "labels", "districts", "cooperations", "memberships", "organisations")
# Sources the extract queries never read: what is derived from the frames (summary), what is applied
# over them after loading (corrections, decisions) and personal data (contacts).
_NOT_READ = (str(GRAPH.summary), str(GRAPH.corrections), str(GRAPH.decisions))
_PERSONAL = str(GRAPH["personal/"])
_ORDER = {"measures": ["measure", "provider"], "links": ["measure", "kind", "value"], "ancestors": ["concept", "ancestor"],
          "districts": ["label", "district"], "cooperations": ["a", "b"], "memberships": ["network", "member"],
          "organisations": ["organisation"]}


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
        """The (measure, value) pairs of one kind of link (selected once per kind)."""
        return self.cached(("values", kind), lambda: self.links.loc[self.links["kind"] == kind, ["measure", "value"]])

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

    def providers(self, measures):
        """Measure → the frozenset of its known providers, for the given measures."""
        provided = self.provided()
        provided = provided[provided["measure"].isin(measures)]
        return {m: frozenset(p) for m, p in _sets(zip(provided["measure"], provided["provider"])).items()}

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
    return pd.Series(parsed.dt.date, index=series.index, dtype=object).where(parsed.notna(), None)


def _numbers(series):
    return pd.to_numeric(series, errors="coerce")


def load_frames(store, *, imported=None):
    """Read every table the analyses need from the store, with the organisation decisions applied.

    Corrections made in the app replace the imported facts (`graph.corrections`), and organisations
    the coordinator decided to be one are one in every table (`graph.decisions`).

    Parameters
    ----------
    store : graph.store.Store
    imported : Frames, optional
        The frames of the store's data as imported, if the caller computed them (the importer, from the
        store it validated); kept like computed ones (`read_frames`).

    Returns
    -------
    Frames
    """
    frames = read_frames(store, imported=imported)
    apply_corrections(frames, load_corrections(store))
    return resolve_frames(frames, load_decisions(store))


def frames_key(store):
    """What the frames of `store` are computed from: a hash of the current versions of the sources they read.

    Examples
    --------
    >>> from knotenpunkt.graph.store import Store
    >>> frames_key(Store()) == frames_key(Store())
    True
    """
    versions = sorted(v for k, v in store.source_versions().items()
                      if k not in _NOT_READ and not k.startswith(_PERSONAL))
    return hashlib.sha256("\n".join(versions).encode()).hexdigest()[:32]


def read_frames(store, *, imported=None):
    """The frames as imported (no corrections or decisions applied): the kept ones, or from the queries.

    A writer inside a transaction keeps what it computed (`graph.store.Store.write_tables`), so the
    import's summary derivation leaves the frames of its data beside it. `imported`: see `load_frames`.
    """
    if not hasattr(store, "read_tables"):  # another store with the same queries (the benchmark's rdflib one)
        return imported if imported is not None else query_frames(store)
    key = frames_key(store)
    tables = store.read_tables(FRAMES, key) if imported is None else None
    if tables is not None:
        return _from_tables(tables)
    frames = imported if imported is not None else query_frames(store)
    if getattr(store, "in_transaction", False):  # a writer in a transaction: keep them with what it writes
        store.write_tables(FRAMES, key, _to_tables(frames))
    return frames


def _to_tables(frames):
    """The frames as plain tables (the labels as one)."""
    labels = pd.DataFrame([(iri, de, en) for iri, (de, en) in frames.labels.items()],
                          columns=["iri", "label_de", "label_en"], dtype=object)
    return {name: labels if name == "labels" else getattr(frames, name) for name in _TABLES}


def _from_tables(tables):
    """Frames from the tables of `_to_tables`, with the column types the queries give."""
    for frame in tables.values():
        for column in frame.columns:
            if frame[column].dtype != object and not pd.api.types.is_numeric_dtype(frame[column]):
                frame[column] = frame[column].astype(object)  # pandas' string dtype → str objects
            if frame[column].dtype == object:
                frame[column] = frame[column].where(frame[column].notna(), None)
    labels = tables.pop("labels")
    return Frames(labels=dict(zip(labels["iri"], zip(labels["label_de"], labels["label_en"]))), **tables)


_QUERIES = ("extract_sources", "extract_measures", "extract_labels", "list_cooperations", "network_memberships",
            "list_districts", "extract_measure_links", "extract_hierarchy", "extract_organisations")


def query_frames(store):
    """The frames from the canned queries (see `Frames`), in one row order whatever the query plan.

    Parameters
    ----------
    store : graph.store.Store or graph.store.UnionGraphReader
    """
    got = {name: run_frame(store, name) for name in _QUERIES}
    sources = got["extract_sources"]
    sources["row"] = _numbers(sources["row"])
    sources = sources.sort_values(["measure", "file", "row"]).drop_duplicates("measure")
    measures = got["extract_measures"].merge(sources, on="measure", how="left")
    measures["start"], measures["end"] = _dates(measures["start"]), _dates(measures["end"])
    labels = {r.iri: (r.label_de, r.label_en) for r in got["extract_labels"].itertuples()}
    cooperations = got["list_cooperations"][["a", "b"]]
    memberships = got["network_memberships"][["network", "member"]]
    districts = got["list_districts"]
    districts["inhabitants"], districts["migration_share"] = (_numbers(districts["inhabitants"]),
                                                              _numbers(districts["migration_share"]))
    frames = Frames(
        measures=measures,
        links=got["extract_measure_links"],
        ancestors=got["extract_hierarchy"],
        labels=dict(sorted(labels.items())),
        districts=districts,
        cooperations=cooperations,
        memberships=memberships,
        organisations=got["extract_organisations"],
    )
    # One row order whatever the query plan (the union of all graphs or the staged ones): same data, same frames.
    for name, keys in _ORDER.items():
        table = getattr(frames, name)
        setattr(frames, name, table.sort_values(keys, kind="stable").reset_index(drop=True))
    return frames


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
