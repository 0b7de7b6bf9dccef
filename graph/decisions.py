"""Organisation decisions (the same organisation, or different ones) kept as RDF in a source of their own.

A coordinator confirms on the Dubletten page that two names are one organisation, or that they are
not. The decision is written at once, in one transaction, as a link between the two organisations'
IRIs in the source ``GRAPH.decisions``::

    <…/awo-lahn-dill> kp:sameOrganisationAs <…/awo> .
    <…/tuerkischer-elternverein> kp:differentOrganisationFrom <…/tuerkisch-islamische-gemeinde> .

`graph.extract.load_frames` resolves the "same" links when it loads the tables the analyses read
(`resolve_frames`): the organisations of one decision become one (the one with more measures keeps
its IRI), so gaps, overlaps, the network and the exports change without a new import, and undoing
the decision (`decide` with verdict None) removes the link. `resolve_diff` applies the same
resolution to what `graph.versions.diff` reports, so a merge is not reported as a lost organisation
or a changed cooperation. The names of each decision also go to the remembered mapping
(`graph.sidestate.decide_organisations`), so the next import merges (or keeps apart) the names itself.
"""

from collections import Counter

import pandas as pd

from knotenpunkt.graph.queries import run_frame, run_query
from knotenpunkt.graph.sidestate import decide_organisations, load_remembered, remember
from knotenpunkt.ontology.namespace import GRAPH, KP

__all__ = ["DECISIONS_KEY", "SAME", "DIFFERENT", "load_decisions", "decision_lines", "record_decision", "decide",
           "canonical_map", "resolve_frames", "resolve_diff", "review_proposals", "other_names", "name_index", "merged_away",
           "merge_names"]

DECISIONS_KEY = str(GRAPH.decisions)
SAME = str(KP.sameOrganisationAs)
DIFFERENT = str(KP.differentOrganisationFrom)
_PREDICATE = {"same": SAME, "different": DIFFERENT}


def load_decisions(store):
    """The decisions in the store as ``[(a, b, verdict)]`` (IRIs, verdict "same" or "different")."""
    table = run_frame(store, "extract_organisation_decisions")
    if table.empty:
        return []
    return [(r.a, r.b, r.verdict) for r in table.itertuples()]


def decision_lines(decisions):
    """N-Triples of `decisions` (``[(a, b, verdict)]``), one line each, pairs unordered.

    Examples
    --------
    >>> decision_lines([("http://x/b", "http://x/a", "same")])
    ['<http://x/a> <https://w3id.org/knotenpunkt/def#sameOrganisationAs> <http://x/b> .']
    """
    pairs = {tuple(sorted((a, b))): verdict for a, b, verdict in decisions if a != b}
    return [f"<{a}> <{_PREDICATE[v]}> <{b}> ." for (a, b), v in sorted(pairs.items())]


def record_decision(store, a, b, verdict, *, derive=None):
    """Write the decision on organisations `a` and `b` (IRIs) to the decisions source, in one transaction.

    Parameters
    ----------
    store : graph.store.Store
        Opened for writing.
    a, b : str
        Organisation IRIs.
    verdict : {"same", "different", None}
        None removes an earlier decision on the pair (back to "open").
    derive : callable, optional
        Derives the summary again in the same transaction (`graph.summary.derive`, passed by the
        views), so the key figures count a merged organisation once.

    Returns
    -------
    list of (str, str, str)
        The decisions now in the store.
    """
    if verdict not in ("same", "different", None):
        raise ValueError(verdict)
    pair = frozenset((a, b))
    decisions = [d for d in load_decisions(store) if frozenset(d[:2]) != pair]
    if verdict is not None:
        decisions.append((a, b, verdict))
    store.replace_graphs({DECISIONS_KEY: decision_lines(decisions)}, derive=derive)
    return decisions


def decide(store, proposal, verdict, *, derive=None):
    """Record a decision on a proposed pair: as RDF (applied at once) and in the remembered mapping (next import).

    Parameters
    ----------
    store : graph.store.Store
        Opened for writing.
    proposal : dict
        ``a``, ``b`` (the names), ``a_iri``, ``b_iri`` (None when a name is not in the data).
    verdict : {"same", "different", None}
        None undoes the decision.
    derive : callable, optional
        As for `record_decision`.
    """
    with store.transaction():
        if proposal.get("a_iri") and proposal.get("b_iri"):
            record_decision(store, proposal["a_iri"], proposal["b_iri"], verdict, derive=derive)
        if verdict is not None:
            decide_organisations(store, proposal["a"], proposal["b"], verdict)
            return
        mapping = load_remembered(store)
        pair = frozenset((proposal["a"], proposal["b"]))
        known = mapping.get("organisations", {})
        for key in ("same", "different"):
            if key in known:
                known[key] = [p for p in known[key] if frozenset(p) != pair]
        remember(store, mapping)


def canonical_map(decisions, weight=None):
    """Organisation → the organisation it was merged into, for every "same" decision (transitively).

    Of each group of organisations decided to be one, the one with the highest `weight` (ties: the
    smallest IRI) keeps its IRI; the others map to it.

    Parameters
    ----------
    decisions : list of (str, str, str)
    weight : dict, optional
        Organisation → its weight (e.g. its number of measures).

    Examples
    --------
    >>> canonical_map([("a", "b", "same"), ("b", "c", "same"), ("c", "d", "different")], {"c": 3})
    {'a': 'c', 'b': 'c'}
    """
    weight = weight or {}
    parent = {}

    def find(x):
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for a, b, verdict in decisions:
        if verdict == "same" and find(a) != find(b):
            parent[find(a)] = find(b)
    groups = {}
    for x in parent:
        groups.setdefault(find(x), set()).add(x)
    out = {}
    for root, members in groups.items():
        members.add(root)
        keep = min(members, key=lambda m: (-weight.get(m, 0), m))
        out.update({m: keep for m in members if m != keep})
    return dict(sorted(out.items()))


def _pairs(frame, mapping):
    """Cooperation pairs with organisations mapped, without self-loops and repeats, smaller IRI first."""
    a, b = frame["a"].replace(mapping), frame["b"].replace(mapping)
    pairs = pd.DataFrame({"a": a.where(a < b, b), "b": b.where(a < b, a)})
    return pairs[pairs["a"] != pairs["b"]].drop_duplicates().reset_index(drop=True)


def resolve_frames(frames, decisions):
    """Apply the "same" decisions to the analysis tables, in place.

    Measures' providers, partners and funders, cooperations and network memberships of a merged
    organisation go to the organisation it was merged into; the merged one leaves the organisation
    table. ``frames.cache["merged"]`` keeps the map (`canonical_map`), ``frames.cache["decisions"]``
    every decision.

    Parameters
    ----------
    frames : graph.extract.Frames
    decisions : list of (str, str, str)

    Returns
    -------
    graph.extract.Frames
        `frames`.
    """
    frames.cache["decisions"] = list(decisions)
    weight = Counter(frames.measures["provider"].dropna())
    weight.update(frames.links.loc[frames.links["kind"] == "partner", "value"])
    mapping = canonical_map(decisions, weight)
    frames.cache["merged"] = mapping
    if not mapping:
        return frames
    measures = frames.measures.assign(provider=frames.measures["provider"].replace(mapping))
    frames.measures = measures.drop_duplicates(["measure", "provider"]).reset_index(drop=True)
    links = frames.links
    organisational = links["kind"].isin(["partner", "funder"])
    links = links.assign(value=links["value"].where(~organisational, links["value"].replace(mapping)))
    provided = set(zip(frames.measures["measure"], frames.measures["provider"]))
    own = (links["kind"] == "partner") & pd.Series([(m, v) in provided for m, v in zip(links["measure"], links["value"])],
                                                   index=links.index, dtype=bool)
    frames.links = links[~own].drop_duplicates().reset_index(drop=True)
    if not frames.cooperations.empty:
        frames.cooperations = _pairs(frames.cooperations, mapping)
    frames.memberships = frames.memberships.assign(
        member=frames.memberships["member"].replace(mapping)).drop_duplicates().reset_index(drop=True)
    organisations = frames.organisations
    kept = organisations[~organisations["organisation"].isin(mapping)].set_index("organisation")
    for alias, keep in mapping.items():  # the kept organisation inherits a type or place it lacks
        row = organisations[organisations["organisation"] == alias]
        if keep in kept.index and not row.empty:
            for column in ("type", "district"):
                if pd.isna(kept.at[keep, column]):
                    kept.at[keep, column] = row.iloc[0][column]
    frames.organisations = kept.reset_index()
    return frames


def merge_names(other_names, frames):
    """Organisation → its other names, with the names of the organisations merged into it.

    Parameters
    ----------
    other_names : dict
        Organisation → list of its other names (query ``organisation_names``).
    frames : graph.extract.Frames
        Resolved frames.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> frames = SimpleNamespace(cache={"merged": {"b": "a"}}, label=lambda iri: iri.upper())
    >>> merge_names({"a": ["A1"], "b": ["B1"]}, frames)
    {'a': ['A1', 'B', 'B1']}
    """
    mapping = merged_away(frames)
    out = {iri: list(names) for iri, names in other_names.items() if iri not in mapping}
    for alias, keep in mapping.items():
        names = out.setdefault(keep, [])
        for name in (frames.label(alias), *other_names.get(alias, [])):
            if name not in names and name != frames.label(keep):
                names.append(name)
    return out


def merged_away(frames):
    """The organisations merged into another by a decision (`resolve_frames`)."""
    return dict(frames.cache.get("merged", {}))


def resolve_diff(changes, frames):
    """Remove from a `graph.versions.diff` result what only a merge decision changed.

    A merged organisation is no lost organisation, and a cooperation that now runs between the
    organisations it was merged into is neither lost nor new.

    Parameters
    ----------
    changes : dict
        A result of `graph.versions.diff` (the current side already resolved by `load_frames`).
    frames : graph.extract.Frames
        The current, resolved frames.

    Returns
    -------
    dict
        A copy of `changes`.
    """
    mapping = merged_away(frames)
    if not mapping or changes.get("since") is None:
        return changes
    out = dict(changes)
    current = set(zip(frames.cooperations["a"], frames.cooperations["b"]))
    current |= {(b, a) for a, b in current}
    resolve = lambda iri: mapping.get(iri, iri)  # noqa: E731
    out["lost_organisations"] = [o for o in changes["lost_organisations"] if o["iri"] not in mapping]
    out["new_organisations"] = [o for o in changes["new_organisations"] if o["iri"] not in mapping]
    lost = [(c["a"]["iri"], c["b"]["iri"]) for c in changes["lost_cooperations"]]
    new = {(c["a"]["iri"], c["b"]["iri"]) for c in changes["new_cooperations"]}
    old = {(a, b) for a, b in current if (a, b) not in new and (b, a) not in new} | set(lost)
    old_resolved = {frozenset((resolve(a), resolve(b))) for a, b in old}
    out["lost_cooperations"] = [c for c, (a, b) in zip(changes["lost_cooperations"], lost, strict=True)
                                if resolve(a) != resolve(b) and (resolve(a), resolve(b)) not in current]
    out["new_cooperations"] = [c for c in changes["new_cooperations"]
                               if frozenset((c["a"]["iri"], c["b"]["iri"])) not in old_resolved]
    return out


def other_names(store):
    """Organisation → the other names it appears under in the imported data (no decision applied)."""
    return {r["organisation"]: [n for n in (r["other_names"] or "").split(" | ") if n]
            for r in run_query(store, "organisation_names")}


def name_index(frames, other_names):
    """Name → organisation IRI, from preferred labels and the other names (`organisation_names`).

    Parameters
    ----------
    frames : graph.extract.Frames
    other_names : dict
        Organisation → list of its other names.
    """
    index = {}
    for iri, names in other_names.items():
        for name in names:
            index.setdefault(name, iri)
    for iri, (de, en) in frames.labels.items():
        for name in (de, en):
            if name:
                index[name] = iri
    return index


def review_proposals(proposals, frames, names):
    """The organisation proposals of the last import, as the decisions so far leave them.

    Parameters
    ----------
    proposals : list of dict
        ``a``, ``b``, ``score``, ``reason`` (`graph.sidestate.last_organisations`; the reason in both
        languages, or one string in a store of an older version: `graph.texts.say` writes either).
    frames : graph.extract.Frames
        Resolved frames (`resolve_frames`), for the decisions and labels.
    names : dict
        Name → organisation IRI (`name_index`).

    Returns
    -------
    dict
        ``open``: the proposals still to decide, names replaced by the organisation each was merged
        into, one per pair of organisations; ``decided``: the proposals with a decision
        (``verdict`` "same" or "different"), to undo. Each proposal gains ``a_iri``, ``b_iri``,
        ``a_label``, ``b_label``. A proposal whose names were merged into one organisation by another
        decision is in neither list.
    """
    mapping = merged_away(frames)
    verdicts = {frozenset((a, b)): v for a, b, v in frames.cache.get("decisions", [])}
    resolve = lambda iri: mapping.get(iri, iri)  # noqa: E731
    open_, decided, seen = [], [], set()
    for p in proposals:
        a_iri, b_iri = names.get(p["a"]), names.get(p["b"])
        entry = {**p, "a_iri": a_iri, "b_iri": b_iri, "a_label": p["a"], "b_label": p["b"]}
        if a_iri and b_iri and (verdict := verdicts.get(frozenset((a_iri, b_iri)))):
            if (key := ("decided", frozenset((a_iri, b_iri)))) not in seen:
                seen.add(key)
                decided.append({**entry, "verdict": verdict})
            continue
        if not (a_iri and b_iri):
            key = frozenset((p["a"], p["b"]))
        else:
            a_iri, b_iri = resolve(a_iri), resolve(b_iri)
            key = frozenset((a_iri, b_iri))
            if a_iri == b_iri or verdicts.get(key) == "different":
                continue
            entry.update(a_iri=a_iri, b_iri=b_iri, a_label=frames.label(a_iri), b_label=frames.label(b_iri))
        if key not in seen:
            seen.add(key)
            open_.append(entry)
    return {"open": open_, "decided": decided}
