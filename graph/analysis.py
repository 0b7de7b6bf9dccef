"""The whole analysis of a store: gaps, overlaps, organisation duplicates, the network, findings.

`analyse` returns one JSON-ready dict (schema in the README, section "Analysis"); results
are cached per data version and period, so a second call on unchanged data is instant. The
cache lives in the process (`CACHE`), never in the store: readers never write the store.
"""

import datetime as dt
import json
import pickle
from collections import OrderedDict

import networkx as nx
import pandas as pd

from knotenpunkt.graph import gaps, network
from knotenpunkt.graph.extract import load_frames
from knotenpunkt.graph.findings import explain_overlap, write_findings
from knotenpunkt.graph.sidestate import last_organisations

__all__ = ["analyse", "CACHE"]

CACHE = OrderedDict()  # (data version, organisation results, period, …) → pickled result; the last few only
_CACHE_SIZE = 8


def _frozen(result):
    """A result as bytes, for the cache: each hit unpickles an independent copy (many times faster than
    `copy.deepcopy`), and nothing a caller changes reaches the cache."""
    return pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)


def _concept(frames, iri):
    """A concept, area or organisation as ``{iri, label, label_en}`` (German label first)."""
    return None if iri is None else {"iri": iri, "label": frames.label(iri, "de"), "label_en": frames.label(iri, "en")}


def _number(value, cast):
    """A number from a pandas cell, None for a missing one (None or NaN)."""
    return None if pd.isna(value) else cast(value)


def _projection(frames, located, kind, top=50):
    """The provider × `kind` two-mode network projected onto `kind`: pairs served by the same providers."""
    if located.empty:
        return []
    pairs = network.projection_pairs(located, left="provider", right=kind).head(top)
    return [{"a": _concept(frames, a), "b": _concept(frames, b), "providers": int(w)}
            for a, b, w in pairs.itertuples(index=False)]


def _district_iris(frames, districts):
    """District IRIs from IRIs or labels (case-insensitive)."""
    by_label = {str(label).lower(): iri for iri, label in zip(frames.districts["district"], frames.districts["label"])}
    return [d if d.startswith(("http://", "https://")) else by_label.get(d.lower(), d) for d in districts]


def _measure_entries(frames):
    """Measure IRI → its JSON entry (title, provider, source), built once."""
    text = lambda v: None if pd.isna(v) else v  # noqa: E731
    return {r.measure: {"iri": r.measure, "title": r.title, "provider": frames.label(r.provider) or None,
                        "source": {"file": text(r.file), "sheet": text(r.sheet), "row": _number(r.row, int),
                                   "id": text(r.source_id)}}
            for r in frames.measures.drop_duplicates("measure").itertuples()}


def _gaps(frames, measures, start, end, districts, months):
    """The ``gaps`` section: zero cells, unserved districts, supply, funding cliff."""
    label = lambda iri: _concept(frames, iri)  # noqa: E731
    # A dimension none of whose free-text values maps to a concept cannot show gaps: every cell
    # would be empty. Say so instead of reporting every cell as a gap.
    missing = [kind for kind in ("target_group", "field", "district") if frames.values(kind).empty]
    cells = gaps.measure_cells(frames, start, end)
    per_group = cells.groupby("target_group")["measure"].nunique()
    per_field = cells.groupby("field")["measure"].nunique()
    local_gaps = gaps.local_gap_counts(frames, start, end)
    unserved, by_group = gaps.unserved_districts(frames, start, end) if "district" not in missing else ([], {})
    cells_assessable = not {"target_group", "field"} & set(missing)
    return {
        "not_assessable": missing,
        "zero_cells": [] if not cells_assessable else [{"target_group": label(z["target_group"]), "field": label(z["field"]),
                        "district": label(z["district"]),
                        "target_group_measures": int(per_group.get(z["target_group"], 0)),
                        "field_measures": int(per_field.get(z["field"], 0))}
                       for z in gaps.zero_cells(frames, start, end, districts=_district_iris(frames, districts))],
        "unserved_districts": [label(d) for d in unserved],
        "unserved_by_target_group": [{"district": label(d), "target_groups": [label(g) for g in groups]}
                                     for d, groups in by_group.items()],
        "supply": [{"district": label(r.district), "measures": int(r.measures),
                    "inhabitants": _number(r.inhabitants, int), "migration_share": _number(r.migration_share, float),
                    "per_1000": _number(r.per_1000, float), "local_gaps": local_gaps.get(r.district, 0)}
                   for r in gaps.supply(frames, start, end).itertuples()],
        "funding_cliff": [{"target_group": label(c["target_group"]), "field": label(c["field"]),
                           "reason": c["reason"], "measures": [measures[m] for m in c["measures"]],
                           "last_end": c["last_end"].isoformat() if c.get("last_end") else None,
                           "funder": label(c["funder"]) if c.get("funder") else None}
                          for c in (gaps.funding_cliff(frames, end, months=months) if cells_assessable else [])],
    }


def _overlaps(frames, measures, start, end, duplicates):
    """The ``overlaps`` section, each group with its reasons; open merge proposals are named in them."""
    from knotenpunkt.graph.overlaps import find_overlaps

    label = lambda iri: _concept(frames, iri)  # noqa: E731
    canonical = {v: m["canonical"] for m in duplicates.get("merged", []) for v in m["variants"]}
    proposals = {frozenset((canonical.get(p["a"], p["a"]), canonical.get(p["b"], p["b"])))
                 for p in duplicates.get("proposals", [])}
    out = []
    for group in find_overlaps(frames, start, end):
        entry = {"rank": group["rank"], "measures": [measures[m] for m in group["measures"]],
                 "providers": [frames.label(p) for p in group["providers"]],
                 "target_group": label(group["target_group"]), "field": label(group["field"]),
                 "district": label(group["district"]),
                 "period": {k: v.isoformat() if v else None for k, v in group["period"].items()}}
        entry["why_de"], entry["why_en"] = explain_overlap(entry, proposals)
        out.append(entry)
    return out


def _network(frames, start, end, seed):
    """The ``network`` section: size, centralities, brokers, bridges, isolates, communities, introductions."""
    label = lambda iri: _concept(frames, iri)  # noqa: E731
    G = network.build_cooperation_graph(frames)
    located = gaps.measure_cells(frames, start, end).dropna(subset=["district"]).merge(
        frames.provided()[["measure", "provider"]], on="measure")
    net = {"nodes": G.number_of_nodes(), "edges": G.number_of_edges(),
           "components": nx.number_connected_components(G) if len(G) else 0, "centrality": [], "brokers": [],
           "bridges": [], "isolates": [], "communities": [], "introductions": [],
           "projections": {kind: _projection(frames, located, kind) for kind in ("target_group", "district")}}
    if not len(G):
        return net
    table = network.centralities(G, seed=seed)
    top = table.sort_values(["betweenness", "degree"], ascending=False).head(20)
    net["centrality"] = [{"iri": n, "label": G.nodes[n]["label"], **{k: round(float(v), 4) for k, v in row.items()}}
                         for n, row in top.iterrows()]
    net["brokers"] = [{"iri": r.node, "label": r.label, "betweenness": round(r.score, 4)}
                      for r in network.rank_brokers(G, top=10, table=table).itertuples()]
    net["bridges"] = [{"iri": b["node"], "label": b["label"], "parts": b["parts"], "cut_off": b["cut_off"]}
                      for b in network.find_bridges(G)]
    net["isolates"] = [{"iri": n, "label": G.nodes[n]["label"]} for n in sorted(nx.isolates(G))]
    net["communities"] = [[{"iri": n, "label": G.nodes[n]["label"]} for n in c]
                          for c in network.find_communities(G, seed=seed)]
    net["introductions"] = [
        {"a": {"iri": i["a"], "label": frames.label(i["a"])}, "b": {"iri": i["b"], "label": frames.label(i["b"])},
         "cells": [{"target_group": label(t), "field": label(f), "district": label(d)} for t, f, d in i["cells"]]}
        for i in network.suggest_introductions(G, located)]
    return net


def analyse(store, *, start=None, end=None, districts=(), months=12, seed=42, use_cache=True, frames=None):
    """Analyse the store for a day or a period.

    Parameters
    ----------
    store : graph.store.Store
    start, end : datetime.date, optional
        The period looked at; one day when equal; default today.
    districts : iterable of str
        District IRIs or labels to list local zero cells for (city-wide ones are always listed).
    months : int
        Horizon of the funding cliff.
    seed : int
        Seed for the community detection.
    use_cache : bool
        Reuse a result computed for the same data version and parameters, and keep this one.
    frames : graph.extract.Frames, optional
        The frames of the store's current data, if the caller has loaded them already.

    Returns
    -------
    dict
        ``gaps``, ``overlaps``, ``org_duplicates``, ``network``, ``findings``, ``period``,
        ``data_version``.
    """
    start = start or dt.date.today()
    end = end or start
    duplicates = last_organisations(store)
    key = (getattr(store, "personal_data", True), store.data_version(), json.dumps(duplicates, sort_keys=True), start, end,
           tuple(sorted(districts)), months, seed)
    if use_cache and key in CACHE:
        CACHE.move_to_end(key)
        return pickle.loads(CACHE[key])
    frames = frames if frames is not None else load_frames(store)
    measures = _measure_entries(frames)
    result = {
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "data_version": store.data_version(),
        "gaps": _gaps(frames, measures, start, end, districts, months),
        "overlaps": _overlaps(frames, measures, start, end, duplicates),
        "org_duplicates": duplicates,
        "network": _network(frames, start, end, seed),
    }
    result["findings"] = write_findings(result)
    if use_cache:
        CACHE[key] = _frozen(result)
        while len(CACHE) > _CACHE_SIZE:
            CACHE.popitem(last=False)
    return result
