"""Gaps (BRIEF §4): coverage cells nobody serves, unserved districts, need vs supply, funding cliffs.

Definitions
-----------
- A measure is *active* in a period when it started by the period's end and did not end
  before the period's start (a missing start or end is open).
- A measure for a target group counts for that group and every broader group (SKOS
  hierarchy), never the other way round.
- A measure *located* in a district is one whose place is that district; city-wide
  measures (the city or a larger area) count city-wide only.
"""

import datetime as dt
from collections import defaultdict

import pandas as pd

from knotenpunkt.graph.extract import HF_SCHEME, ZG_SCHEME, active_in

__all__ = ["measure_cells", "coverage_matrix", "zero_cells", "rank_gaps", "local_gap_counts", "unserved_districts",
           "supply", "funding_cliff", "label_key"]


def _target_groups(frames):
    return sorted(c for c in set(frames.ancestors["concept"]) if c.startswith(ZG_SCHEME))


def _fields(frames):
    return sorted(iri for iri in frames.labels if iri.startswith(HF_SCHEME))


def measure_cells(frames, start, end):
    """Active measures with every (target group incl. broader ones, field, place) they serve.

    Returns
    -------
    pandas.DataFrame
        measure, target_group, field, district (NaN when the measure names no place).
        Computed once per frames and period.
    """
    return frames.cached(("measure_cells", start, end), lambda: _measure_cells(frames, start, end))


def _measure_cells(frames, start, end):
    active = frames.measures.loc[active_in(frames.measures, start, end), "measure"].drop_duplicates()
    groups = frames.values("target_group").rename(columns={"value": "concept"})
    groups = groups.merge(frames.ancestors, on="concept")[["measure", "ancestor"]]
    groups = groups.rename(columns={"ancestor": "target_group"})
    fields = frames.values("field").rename(columns={"value": "field"})
    places = frames.values("district").rename(columns={"value": "district"})
    cells = pd.DataFrame({"measure": active}).merge(groups, on="measure").merge(fields, on="measure")
    return cells.merge(places, on="measure", how="left").drop_duplicates()


def coverage_matrix(frames, start, end, *, district=None):
    """Number of active measures per target group × field, zero cells included.

    Parameters
    ----------
    frames : graph.extract.Frames
    start, end : datetime.date
        The period looked at (equal for one day).
    district : str, optional
        Count only measures located in this district.

    Returns
    -------
    pandas.DataFrame
        Target groups as rows, fields as columns, counts of distinct measures. Computed
        once per frames, period and district.
    """
    return frames.cached(("coverage", start, end, district), lambda: _coverage_matrix(frames, start, end, district))


def _coverage_matrix(frames, start, end, district):
    cells = measure_cells(frames, start, end)
    if district is not None:
        cells = cells[cells["district"] == district]
    counts = cells.groupby(["target_group", "field"])["measure"].nunique()
    matrix = counts.unstack(fill_value=0).reindex(index=_target_groups(frames), columns=_fields(frames), fill_value=0)
    return matrix.fillna(0).astype(int)


def zero_cells(frames, start, end, *, districts=()):
    """Coverage cells nobody serves: city-wide, and for the given districts the cells the city
    serves elsewhere but not there.

    Parameters
    ----------
    districts : iterable of str
        District IRIs to list local gaps for (all districts would be districts × cells).

    Returns
    -------
    list of dict
        ``target_group``, ``field``, ``district`` (None for city-wide) as IRIs.
    """
    city = coverage_matrix(frames, start, end)
    out = [{"target_group": tg, "field": f, "district": None}
           for tg in city.index for f in city.columns if city.at[tg, f] == 0]
    local = _local_cells(frames, start, end)
    covered = _covered_cells(city)
    for district in districts:
        out.extend({"target_group": tg, "field": f, "district": district}
                   for tg, f in sorted(covered - local.get(district, set())))
    return out


def label_key(label):
    """Sort key for German labels: umlauts and ß beside their base letters, case ignored ("Ältere" before "Eltern").

    Examples
    --------
    >>> sorted(["Zugewanderte", "Ältere", "Eltern", "Arbeitsuchende"], key=label_key)
    ['Ältere', 'Arbeitsuchende', 'Eltern', 'Zugewanderte']
    """
    import unicodedata

    text = str(label).replace("ß", "ss").casefold()
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode(), text


def rank_gaps(frames, start, end, *, district=None, thin=1):
    """Empty and thin cells (target group × field), the ones with the most need first.

    Need is the number of residents with a migration background (districts sheet: inhabitants ×
    share) who live where the cell has no local measure: in the chosen `district`, or city-wide in
    every district without a measure located there for that cell. Without population figures the
    need is unknown and the number of such districts ranks the cells. Ties go to the cell with fewer
    measures, then target groups and fields take turns (the least served group first), so the top
    of the list names several groups and fields rather than every field of one group. (Inventories give no
    target-group sizes; residents with a migration background stand for them.)

    Parameters
    ----------
    frames : graph.extract.Frames
    start, end : datetime.date
    district : str, optional
        Rank the cells of this district (measures located there).
    thin : int
        Cells with at most this many measures count as thin (0: empty cells only).

    Returns
    -------
    pandas.DataFrame
        ``target_group``, ``field`` (IRIs), ``measures``, ``need`` (residents, NaN if unknown),
        ``districts_without`` (districts without a local measure for the cell), ``rank`` (1 = first).
    """
    matrix = coverage_matrix(frames, start, end, district=district)
    cells = matrix.stack().rename("measures").reset_index()
    cells.columns = ["target_group", "field", "measures"]
    cells = cells[cells["measures"] <= thin].copy()
    residents = supply(frames, start, end).set_index("district")["residents_with_migration"]
    local = _local_cells(frames, start, end)
    places = [district] if district is not None else list(frames.districts["district"])
    without = {d: [(tg, f) not in local.get(d, set()) for tg, f in zip(cells["target_group"], cells["field"])]
               for d in places}
    cells["districts_without"] = [sum(flags) for flags in zip(*without.values())] if places else 0
    known = residents.reindex(places).dropna()
    need = pd.Series(0.0, index=cells.index)
    for d in known.index:
        need += pd.Series(without[d], index=cells.index) * known[d]
    cells["need"] = need if len(known) else float("nan")
    cells["group_measures"] = cells["target_group"].map(matrix.sum(axis=1))  # ties: the least served group first
    keys = ["need", "districts_without", "measures", "group_measures"]
    cells = cells.sort_values(keys, ascending=[False, False, True, True], na_position="last", kind="stable")
    # among equally needed cells, target groups and fields take turns: the top names several of each
    tie = ["need", "districts_without", "measures"]
    cells["turn"] = pd.concat([cells.groupby([*tie, "target_group"], dropna=False).cumcount(),
                               cells.groupby([*tie, "field"], dropna=False).cumcount()], axis=1).max(axis=1)
    cells = cells.sort_values(["need", "districts_without", "measures", "turn", "group_measures"],
                              ascending=[False, False, True, True, True], na_position="last", kind="stable")
    cells = cells.drop(columns=["group_measures", "turn"])
    cells["rank"] = range(1, len(cells) + 1)
    return cells.reset_index(drop=True)


def local_gap_counts(frames, start, end):
    """Per district, how many cells the city serves elsewhere but not there."""
    covered = _covered_cells(coverage_matrix(frames, start, end))
    local = _local_cells(frames, start, end)
    return {d: len(covered - local.get(d, set())) for d in frames.districts["district"]}


def _covered_cells(matrix):
    return {(tg, f) for tg in matrix.index for f in matrix.columns if matrix.at[tg, f] > 0}


def _local_cells(frames, start, end):
    """District → the (target group, field) cells served by measures located there."""
    return frames.cached(("local_cells", start, end), lambda: _group_local_cells(frames, start, end))


def _group_local_cells(frames, start, end):
    cells = measure_cells(frames, start, end).dropna(subset=["district"])
    out = defaultdict(set)
    for district, group, field in zip(cells["district"], cells["target_group"], cells["field"]):
        out[district].add((group, field))
    return dict(out)


def unserved_districts(frames, start, end):
    """Districts without any active measure located in them, and districts without one for a target group.

    Returns
    -------
    tuple of (list of str, dict)
        The district IRIs with no measure at all, and district → target groups it has no
        measure for (only for districts that have some measure).
    """
    cells = measure_cells(frames, start, end)
    active = frames.measures.loc[active_in(frames.measures, start, end), "measure"]
    located = frames.values("district")
    located = set(located.loc[located["measure"].isin(active), "value"])
    districts = list(frames.districts["district"])
    unserved = [d for d in districts if d not in located]
    groups = _target_groups(frames)
    served = defaultdict(set)
    for district, group in zip(cells["district"], cells["target_group"]):
        if isinstance(district, str):  # not a measure without a place
            served[district].add(group)
    by_group = {}
    for district in districts:
        if district in unserved:
            continue
        missing = [g for g in groups if g not in served.get(district, set())]
        if missing:
            by_group[district] = missing
    return unserved, by_group


def supply(frames, start, end):
    """Active measures per 1,000 residents with a migration background, per district.

    Returns
    -------
    pandas.DataFrame
        district, measures, inhabitants, migration_share, residents_with_migration,
        per_1000 (NaN where the districts sheet has no figures), sorted by per_1000.
    """
    active = frames.measures.loc[active_in(frames.measures, start, end), "measure"]
    located = frames.values("district")
    counts = located[located["measure"].isin(active)].groupby("value")["measure"].nunique()
    table = frames.districts[["district", "inhabitants", "migration_share"]].copy()
    table["measures"] = table["district"].map(counts).fillna(0).astype(int)
    residents = pd.to_numeric(table["inhabitants"], errors="coerce") * pd.to_numeric(table["migration_share"],
                                                                                     errors="coerce")
    table["residents_with_migration"] = residents.round()
    table["per_1000"] = (table["measures"] / residents * 1000).round(2)
    return table.sort_values(["per_1000", "measures"], na_position="last").reset_index(drop=True)


def _months_later(day, months):
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def funding_cliff(frames, at, *, months=12):
    """Cells (city-wide) whose only coverage ends within `months` or hangs on one funder.

    Returns
    -------
    list of dict
        ``target_group``, ``field``, ``measures``, ``reason`` ("ends" or "one_funder"),
        ``last_end`` (for "ends"), ``funder`` (for "one_funder").
    """
    cells = measure_cells(frames, at, at)
    ends = dict(zip(frames.measures["measure"], frames.measures["end"]))
    funded_by = frames.values("funder")
    funders = {}
    for measure, funder in zip(funded_by["measure"], funded_by["value"]):
        funders.setdefault(measure, set()).add(funder)
    by_cell = defaultdict(set)
    for measure, tg, field in zip(cells["measure"], cells["target_group"], cells["field"]):
        by_cell[(tg, field)].add(measure)
    horizon = _months_later(at, months)
    out = []
    for (tg, field), in_cell in sorted(by_cell.items()):
        measures = sorted(in_cell)
        last = [ends.get(m) for m in measures]
        if all(e is not None and not pd.isna(e) and e <= horizon for e in last):
            out.append({"target_group": tg, "field": field, "measures": measures, "reason": "ends",
                        "last_end": max(last)})
        funded = [funders.get(m, set()) for m in measures]
        if all(len(f) == 1 for f in funded) and len(set().union(*funded)) == 1:
            out.append({"target_group": tg, "field": field, "measures": measures, "reason": "one_funder",
                        "funder": next(iter(funded[0]))})
    return out
