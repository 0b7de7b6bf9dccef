"""Browsing the inventory: filter options, measures by filter, the measure table, organisation profiles.

Everything works on `graph.extract.Frames` and returns plain data (sets, dicts,
DataFrames) with labels in the requested language; the app's pages render it.
"""

import pandas as pd

from knotenpunkt.graph.extract import HF_SCHEME, ZG_SCHEME, active_in
from knotenpunkt.graph.gaps import label_key
from knotenpunkt.graph.queries import run_frame

__all__ = ["FILTER_KINDS", "TEXT_COLUMNS", "load_measure_texts", "filter_options", "select_measures", "measure_table", "organisations_of",
           "organisation_profile"]

FILTER_KINDS = ("target_group", "field", "district", "provider", "funder")
TEXT_COLUMNS = ("description", "languages", "schedule", "notes")
_HIERARCHICAL = ("target_group", "district")  # a filter value also selects narrower concepts


def _sorted_labels(frames, iris, lang):
    """IRI → label, sorted by label."""
    return dict(sorted(((iri, frames.label(iri, lang)) for iri in iris if isinstance(iri, str)),
                       key=lambda item: (label_key(item[1]), item[0])))


def filter_options(frames, lang="de"):
    """The values each measure filter offers, with labels in `lang`.

    Returns
    -------
    dict
        ``target_group``, ``field`` (every concept of the vocabulary), ``district`` (the
        areas measures name and every area containing them), ``provider``, ``funder``,
        ``type`` (organisation types in the data): each IRI → label, sorted by label.
    """
    places = set(frames.values("district")["value"])
    within = frames.ancestors[frames.ancestors["concept"].isin(places)]["ancestor"]
    return {
        "target_group": _sorted_labels(frames, (i for i in frames.labels if i.startswith(ZG_SCHEME)), lang),
        "field": _sorted_labels(frames, (i for i in frames.labels if i.startswith(HF_SCHEME)), lang),
        "district": _sorted_labels(frames, places | set(within), lang),
        "provider": _sorted_labels(frames, set(frames.provided()["provider"]), lang),
        "funder": _sorted_labels(frames, set(frames.values("funder")["value"]), lang),
        "type": _sorted_labels(frames, set(frames.organisations["type"].dropna()), lang),
    }


def _with_narrower(frames, iris):
    """The given concepts and every concept below them."""
    return set(frames.ancestors.loc[frames.ancestors["ancestor"].isin(set(iris)), "concept"]) | set(iris)


def select_measures(frames, *, target_group=(), field=(), district=(), provider=(), funder=(), start=None, end=None,
                    text=None):
    """IRIs of the measures that match every given filter.

    Parameters
    ----------
    frames : graph.extract.Frames
    target_group, field, district, provider, funder : collection of str
        IRIs; a measure matches when it has any of them (empty: no filter). A target
        group or district also selects its narrower concepts (a measure for "Geflüchtete
        Frauen" is one for "Frauen"; one in a Stadtteil is one in the Kernstadt).
    start, end : datetime.date, optional
        Only measures active at some day of the period (one of them alone: that day).
    text : str, optional
        Case-insensitive part of the title, the row's own id or a provider's name.

    Returns
    -------
    set of str
    """
    measures = frames.measures
    selected = set(measures["measure"])
    for kind, wanted in (("target_group", target_group), ("field", field), ("district", district),
                         ("funder", funder)):
        if wanted:
            wanted = _with_narrower(frames, wanted) if kind in _HIERARCHICAL else set(wanted)
            links = frames.values(kind)
            selected &= set(links.loc[links["value"].isin(wanted), "measure"])
    if provider:
        selected &= set(measures.loc[measures["provider"].isin(set(provider)), "measure"])
    if start or end:
        selected &= set(measures.loc[active_in(measures, start or end, end or start), "measure"])
    if text:
        needle = text.strip().lower()
        haystack = (measures["title"].fillna("") + " " + measures["source_id"].fillna("") + " "
                    + measures["provider"].map(frames.label)).str.lower()
        selected &= set(measures.loc[haystack.str.contains(needle, regex=False), "measure"])
    return selected


def load_measure_texts(store):
    """Measure → its free-text facts: ``description``, ``languages``, ``schedule`` and ``notes`` (the values
    kept as text, "Spalte: Wert"; query ``extract_measure_texts``), indexed by measure IRI."""
    return run_frame(store, "extract_measure_texts").set_index("measure")


def measure_table(frames, measures=None, lang="de", texts=None):
    """One row per measure with its links as labels in `lang`, sorted by title.

    Parameters
    ----------
    measures : collection of str, optional
        Measure IRIs to include (default: all).
    texts : pandas.DataFrame, optional
        From `load_measure_texts`: adds its columns (`TEXT_COLUMNS`, "" where missing).

    Returns
    -------
    pandas.DataFrame
        ``measure`` (IRI), ``id``, ``title``, ``provider``, ``partner``, ``target_group``,
        ``field``, ``district``, ``funder`` (labels joined by ", "), ``start``, ``end``,
        ``file``, ``sheet``, ``row``.
    """
    rows = frames.measures if measures is None else frames.measures[frames.measures["measure"].isin(set(measures))]
    linked = frames.links[frames.links["measure"].isin(set(rows["measure"]))]
    joined = {kind: group.groupby("measure")["value"].agg(lambda v: ", ".join(sorted(frames.label(i, lang) for i in set(v))))
              for kind, group in linked.groupby("kind")}
    joined["provider"] = rows.dropna(subset=["provider"]).groupby("measure")["provider"].agg(
        lambda v: ", ".join(sorted(frames.label(i, lang) for i in set(v))))
    table = rows.drop_duplicates("measure").rename(columns={"source_id": "id"})
    table = table[["measure", "id", "title", "start", "end", "file", "sheet", "row"]].copy()
    for kind in ("provider", "partner", "target_group", "field", "district", "funder"):
        table[kind] = table["measure"].map(joined.get(kind, pd.Series(dtype=object))).fillna("")
    table["row"] = table["row"].astype("Int64")
    columns = ["measure", "id", "title", "provider", "partner", "target_group", "field", "district", "funder",
               "start", "end", "file", "sheet", "row"]
    if texts is not None:
        for column in TEXT_COLUMNS:
            table[column] = table["measure"].map(texts[column]).fillna("")
        columns += list(TEXT_COLUMNS)
    return table[columns].sort_values(["title", "id"], key=lambda s: s.str.lower()).reset_index(drop=True)


def organisations_of(frames, measures):
    """The organisations that run or join any of the given measures (providers and partners)."""
    participants = frames.participants()
    return set().union(*(participants.get(m, set()) for m in measures))


def organisation_profile(frames, G, organisation, *, names=(), metrics=None, lang="de"):
    """What the inventory knows about one organisation.

    Parameters
    ----------
    frames : graph.extract.Frames
    G : networkx.Graph
        The cooperation graph (`graph.network.build_cooperation_graph`).
    organisation : str
        Its IRI.
    names : iterable of str
        The other names it appears under (query ``organisation_names``).
    metrics : pandas.DataFrame, optional
        `graph.network.centralities` of `G`.

    Returns
    -------
    dict
        ``label``, ``type``, ``names``, ``measures`` (DataFrame: `measure_table` rows plus
        ``role`` provider/partner), ``partners`` (DataFrame: ``organisation``, ``label``,
        ``cooperation``, ``joint_measure``, ``network``, ``weight``), ``networks`` (labels),
        ``metrics`` (dict or None).
    """
    known = frames.provided()
    provided = set(known.loc[known["provider"] == organisation, "measure"])
    partners = frames.values("partner")
    joined = set(partners.loc[partners["value"] == organisation, "measure"]) - provided
    measures = measure_table(frames, provided | joined, lang)
    measures.insert(1, "role", measures["measure"].map(lambda m: "provider" if m in provided else "partner"))
    links = [{"organisation": other, "label": G.nodes[other].get("label", other),
              **{kind: data["kinds"].get(kind, 0) for kind in ("cooperation", "joint_measure", "network")},
              "weight": data["weight"]}
             for other, data in (G[organisation].items() if organisation in G else [])]
    links = pd.DataFrame(links, columns=["organisation", "label", "cooperation", "joint_measure", "network", "weight"])
    memberships = frames.memberships
    networks = sorted(frames.label(n, lang) for n in set(memberships.loc[memberships["member"] == organisation,
                                                                         "network"]))
    types = frames.organisations.loc[frames.organisations["organisation"] == organisation, "type"].dropna()
    has_metrics = metrics is not None and organisation in metrics.index
    return {
        "label": frames.label(organisation, lang),
        "type": frames.label(types.iloc[0], lang) if len(types) else None,
        "names": sorted(set(names) - {frames.label(organisation, lang)}),
        "measures": measures,
        "partners": links.sort_values(["weight", "label"], ascending=[False, True]).reset_index(drop=True),
        "networks": networks,
        "metrics": {k: round(float(v), 4) for k, v in metrics.loc[organisation].items()} if has_metrics else None,
    }
