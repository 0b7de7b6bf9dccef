"""Versions of the inventory and what changed between them ("Seit der letzten Sitzung").

The store keeps only the current content of each source, so every committed import also
writes a compact *snapshot* beside the database (``version-<n>.json``, listed in
``versions.json``): the measures (IRI → title, start, end), the organisations (IRI →
name), the explicit cooperations (sorted IRI pairs) and the covered city-wide cells
(target group × field of action, active on the import day, narrower target groups
counting for broader ones as in `graph.gaps`). `diff` compares such a snapshot with the
current data, with the coordinator's organisation decisions applied (`graph.decisions.resolve_diff`):
a merge decided since is no lost organisation and no changed cooperation.

Versions are numbered 1, 2, … in the order of the imports; ``since`` selects one by
number, by label, by import-run IRI, or by date (the last version on or before that day).
"""

import datetime as dt

from knotenpunkt.graph import gaps
from knotenpunkt.graph.decisions import resolve_diff
from knotenpunkt.graph.errors import KGError
from knotenpunkt.graph.texts import Phrase
from knotenpunkt.graph.extract import load_frames

__all__ = ["INDEX_FILE", "snapshot", "record_version", "list_versions", "find_version", "diff"]

INDEX_FILE = "versions.json"


def _snapshot_file(number):
    return f"version-{number}.json"


def snapshot(store, *, day=None, frames=None):
    """The sets a later `diff` needs, from the current data.

    Parameters
    ----------
    store : graph.store.Store
    day : datetime.date, optional
        Day at which coverage is counted; default today.
    frames : graph.extract.Frames, optional
        The frames of the store's data, if the caller has them already.

    Returns
    -------
    dict
        ``day``, ``measures`` {iri: [title, start, end]}, ``organisations`` {iri: name},
        ``cooperations`` [[a, b]], ``cells`` [[target_group, field]] (all sorted, JSON-ready),
        ``labels`` {concept IRI: German label} for the cells.
    """
    day = day or dt.date.today()
    frames = frames if frames is not None else load_frames(store)
    measures = frames.measures.drop_duplicates("measure")
    matrix = gaps.coverage_matrix(frames, day, day)
    covered = matrix.stack()
    return {
        "day": day.isoformat(),
        "measures": {r.measure: [r.title, r.start.isoformat() if r.start else None, r.end.isoformat() if r.end else None]
                     for r in measures.itertuples()},
        "organisations": {o: frames.label(o) for o in sorted(frames.organisations["organisation"])},
        "cooperations": sorted([a, b] if a < b else [b, a]
                               for a, b in zip(frames.cooperations["a"], frames.cooperations["b"])),
        "cells": sorted([tg, f] for (tg, f), n in covered.items() if n > 0),
        "labels": {iri: frames.label(iri) for iri in {*matrix.index, *matrix.columns}},
    }


def record_version(store, *, run, label, time, frames=None):
    """Keep the snapshot of the data just committed as the next version.

    Called at the end of `ingest.importer.commit_import` when an import changed the data.

    Parameters
    ----------
    store : graph.store.Store
    run : str
        IRI of the import run (``kp:ImportRun``).
    label : str
        The version label (``kp:versionLabel``).
    time : datetime.datetime
        When the import started.
    frames : graph.extract.Frames, optional
        As for `snapshot`.

    Returns
    -------
    dict
        The index entry: ``number``, ``run``, ``label``, ``time``, ``measures``, ``organisations``.
    """
    index = store.read_json(INDEX_FILE, [])
    data = snapshot(store, day=time.date(), frames=frames)
    entry = {"number": len(index) + 1, "run": run, "label": label, "time": time.isoformat(),
             "measures": len(data["measures"]), "organisations": len(data["organisations"])}
    store.write_json(_snapshot_file(entry["number"]), data)
    store.write_json(INDEX_FILE, [*index, entry])
    return entry


def list_versions(store):
    """Every recorded version, oldest first (the entries written by `record_version`)."""
    return store.read_json(INDEX_FILE, [])


def find_version(store, since=None):
    """The version named by `since`: number, label, run IRI or date (YYYY-MM-DD).

    Parameters
    ----------
    store : graph.store.Store
    since : str, int, datetime.date or None
        None picks the version before the latest (the previous meeting's state); a date
        the last version imported on or before that day.

    Returns
    -------
    dict or None
        The index entry, or None when `since` is None and there is no earlier version.

    Raises
    ------
    KGError
        If nothing matches `since`.
    """
    versions = list_versions(store)
    if since is None:
        return versions[-2] if len(versions) > 1 else None
    text = since.isoformat() if isinstance(since, dt.date) else str(since).strip()
    for v in versions:
        if text in (str(v["number"]), v["label"], v["run"]):
            return v
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        day = None
    if day is not None:
        earlier = [v for v in versions if dt.datetime.fromisoformat(v["time"]).date() <= day]
        if earlier:
            return earlier[-1]
    known = "; ".join(f"{v['number']} ({v['time'][:10]}, {v['label']})" for v in versions) or Phrase("error.none")
    raise KGError("version_unknown", since=since, known=known)


def diff(store, since=None, *, day=None, frames=None):
    """What changed between a recorded version and the current data.

    Parameters
    ----------
    store : graph.store.Store
    since : str, int, datetime.date or None
        The version to compare with (see `find_version`); default the previous one.
    day : datetime.date, optional
        Day at which current coverage and activity are counted; default today.
    frames : graph.extract.Frames, optional
        The frames of the store's current data (decisions and corrections applied), if the caller has them.

    Returns
    -------
    dict
        What changed in the data, not what a decision changed: an organisation merged into another
        by a decision is neither lost nor new, nor is a cooperation that only the merge moved.
        ``since`` (the version entry or None when there is no earlier version; then all
        lists are empty), ``day``, ``new_measures`` and ``ended_measures`` [{iri, title,
        end, reason}] (reason "removed": no longer in the inventory; "ended": its end
        date has passed), ``new_organisations`` and ``lost_organisations`` [{iri, label}],
        ``new_cooperations`` and ``lost_cooperations`` [{a, b}] (each {iri, label}),
        ``cells_gained`` and ``cells_lost`` [{target_group, field}] (each {iri, label}).

    Examples
    --------
    >>> from knotenpunkt.graph.store import Store
    >>> diff(Store())["since"] is None
    True
    """
    day = day or dt.date.today()
    version = find_version(store, since)
    keys = ("new_measures", "ended_measures", "new_organisations", "lost_organisations", "new_cooperations",
            "lost_cooperations", "cells_gained", "cells_lost")
    out = {"since": version, "day": day.isoformat(), **{k: [] for k in keys}}
    if version is None:
        return out
    old = store.read_json(_snapshot_file(version["number"]), None)
    frames = frames if frames is not None else load_frames(store)
    new = snapshot(store, day=day, frames=frames)
    org_label = {**old["organisations"], **new["organisations"]}
    concept_label = {**old["labels"], **new["labels"]}
    org = lambda iri: {"iri": iri, "label": org_label.get(iri, iri)}  # noqa: E731
    concept = lambda iri: {"iri": iri, "label": concept_label.get(iri, iri)}  # noqa: E731
    old_day = dt.date.fromisoformat(old["day"])

    def active(entry, at):
        start, end = (dt.date.fromisoformat(d) if d else None for d in entry[1:])
        return (start or dt.date.min) <= at <= (end or dt.date.max)

    out["new_measures"] = [{"iri": m, "title": new["measures"][m][0], "end": new["measures"][m][2], "reason": "new"}
                           for m in sorted(set(new["measures"]) - set(old["measures"]))]
    for m, entry in sorted(old["measures"].items()):
        if not active(entry, old_day):
            continue
        if m not in new["measures"]:
            out["ended_measures"].append({"iri": m, "title": entry[0], "end": entry[2], "reason": "removed"})
        elif not active(new["measures"][m], day):
            out["ended_measures"].append({"iri": m, "title": entry[0], "end": new["measures"][m][2], "reason": "ended"})
    out["new_organisations"] = [org(o) for o in sorted(set(new["organisations"]) - set(old["organisations"]))]
    out["lost_organisations"] = [org(o) for o in sorted(set(old["organisations"]) - set(new["organisations"]))]
    old_pairs, new_pairs = ({tuple(p) for p in s["cooperations"]} for s in (old, new))
    out["new_cooperations"] = [{"a": org(a), "b": org(b)} for a, b in sorted(new_pairs - old_pairs)]
    out["lost_cooperations"] = [{"a": org(a), "b": org(b)} for a, b in sorted(old_pairs - new_pairs)]
    old_cells, new_cells = ({tuple(c) for c in s["cells"]} for s in (old, new))
    out["cells_gained"] = [{"target_group": concept(t), "field": concept(f)} for t, f in sorted(new_cells - old_cells)]
    out["cells_lost"] = [{"target_group": concept(t), "field": concept(f)} for t, f in sorted(old_cells - new_cells)]
    return resolve_diff(out, frames)
