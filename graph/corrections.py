"""Corrections of measures made in the app, kept as RDF in a source of their own and applied over the import.

A coordinator fixes a typo in a title, a wrong end date, a target group or the provider on the
Angebote page instead of editing and uploading the workbook again. Each corrected fact of a
measure is one triple in the source ``GRAPH.corrections`` (``kp:correctedTitle``,
``kp:correctedStart``, ``kp:correctedEnd``, ``kp:correctedProvider``, and for lists
``kp:correctedTargetGroup``, ``kp:correctedField``, ``kp:correctedDistrict``, which replace the
imported list). `graph.extract.load_frames` applies them (`apply_corrections`); undoing a measure's
correction (`correct_measure` with no changes) removes its triples and the imported values show
again. The imported data stays as it was, so the next import is compared with the workbook.
"""

import datetime as dt

import pandas as pd

from knotenpunkt.graph.queries import run_frame
from knotenpunkt.ontology.namespace import GRAPH, KP

__all__ = ["CORRECTIONS_KEY", "FIELDS", "load_corrections", "correct_measure", "apply_corrections", "corrected"]

CORRECTIONS_KEY = str(GRAPH.corrections)
FIELDS = {"title": KP.correctedTitle, "start": KP.correctedStart, "end": KP.correctedEnd,
          "provider": KP.correctedProvider, "target_group": KP.correctedTargetGroup, "field": KP.correctedField,
          "district": KP.correctedDistrict}  # field → the property that replaces the imported fact
_LISTS = ("target_group", "field", "district")
_BY_PROPERTY = {str(p): f for f, p in FIELDS.items()}


def load_corrections(store):
    """Measure → its corrected facts: ``title`` (str), ``start``/``end`` (date), ``provider`` (IRI), lists of IRIs."""
    out = {}
    for r in run_frame(store, "extract_corrections").itertuples():
        name = _BY_PROPERTY[r.property]
        entry = out.setdefault(r.measure, {})
        if name in _LISTS:
            entry.setdefault(name, []).append(r.value)
        elif name in ("start", "end"):
            entry[name] = dt.date.fromisoformat(r.value[:10])
        else:
            entry[name] = r.value
    return out


def _literal(text):
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def _lines(corrections):
    for measure, facts in sorted(corrections.items()):
        for name, value in sorted(facts.items()):
            prop = f"<{FIELDS[name]}>"
            if name in _LISTS:
                yield from (f"<{measure}> {prop} <{v}> ." for v in sorted(set(value)))
            elif name in ("start", "end"):
                yield f'<{measure}> {prop} "{value.isoformat()}"^^<http://www.w3.org/2001/XMLSchema#date> .'
            elif name == "provider":
                yield f"<{measure}> {prop} <{value}> ."
            else:
                yield f"<{measure}> {prop} {_literal(value)} ."


def correct_measure(store, measure, changes, *, derive=None):
    """Record the corrections of one measure (replacing earlier ones), in one transaction.

    Parameters
    ----------
    store : graph.store.Store
        Opened for writing.
    measure : str
        The measure's IRI.
    changes : dict
        Field (`FIELDS`) → corrected value; empty undoes every correction of the measure.
    derive : callable, optional
        Derives the summary again in the same transaction (`graph.summary.derive`, passed by the
        views), so the counts the queries read agree with the corrected measures.

    Returns
    -------
    dict
        Every correction now in the store (`load_corrections`).
    """
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    corrections = load_corrections(store)
    corrections.pop(measure, None)
    if changes:
        corrections[measure] = dict(changes)
    store.replace_graphs({CORRECTIONS_KEY: list(_lines(corrections))}, derive=derive)
    return corrections


def apply_corrections(frames, corrections):
    """Apply corrections to the analysis tables in place; ``frames.cache["corrections"]`` keeps them."""
    frames.cache["corrections"] = corrections
    if not corrections:
        return frames
    measures = frames.measures
    for measure, facts in corrections.items():
        rows = measures["measure"] == measure
        if not rows.any():
            continue
        for name in ("title", "start", "end"):
            if name in facts:
                measures.loc[rows, name] = pd.Series([facts[name]] * int(rows.sum()), index=measures.index[rows],
                                                     dtype=object)
        if "provider" in facts:
            first = measures[rows].iloc[[0]].assign(provider=facts["provider"])
            measures = pd.concat([measures[~rows], first], ignore_index=True)
    frames.measures = measures
    lists = [(m, kind, v) for m, facts in corrections.items() for kind in _LISTS if kind in facts
             for v in facts[kind]]
    replaced = {(m, kind) for m, facts in corrections.items() for kind in _LISTS if kind in facts}
    if replaced:
        keep = [(m, k) not in replaced for m, k in zip(frames.links["measure"], frames.links["kind"])]
        frames.links = pd.concat([frames.links[keep], pd.DataFrame(lists, columns=["measure", "kind", "value"])],
                                 ignore_index=True)
    return frames


def corrected(frames, measure):
    """The corrections applied to `measure` (empty dict when none)."""
    return dict(frames.cache.get("corrections", {}).get(measure, {}))
