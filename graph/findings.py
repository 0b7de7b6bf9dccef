"""Findings: short sentences in German and English (``finding.*`` of `graph.texts`), with their numbers and a
suggested action.

Names are quoted („…“) instead of declined, so that the sentences stay correct German for
any organisation or district.
"""

import itertools

from knotenpunkt.graph.texts import text

__all__ = ["explain_overlap", "write_findings", "top_findings"]


def _de_number(n):
    return f"{n:,}".replace(",", ".")


def _en(ref):
    """The English label of a concept reference (``label_en``), the German one where there is none."""
    return ref.get("label_en") or ref["label"]


def _say(key, de=None, en=None, **both):
    """The text `key` in German and English: `both` fills either, `de` and `en` what differs (labels, numbers)."""
    return text(key, "de", **both, **(de or {})), text(key, "en", **both, **(en or {}))


def _list(labels, lang, limit=3):
    shown = [text("finding.quoted", lang, name=x) for x in labels[:limit]]
    more = len(labels) - len(shown)
    if more:
        shown.append(text("finding.more", lang, count=more))
    if len(shown) == 1:
        return shown[0]
    return ", ".join(shown[:-1]) + f" {text('finding.and', lang)} " + shown[-1]


def explain_overlap(group, proposals=frozenset()):
    """Why a group of measures is an uncoordinated overlap, in German and English.

    Parameters
    ----------
    group : dict
        An entry of ``analyse()["overlaps"]``.
    proposals : set of frozenset
        Pairs of organisation names proposed as one organisation; a group whose providers
        form such a pair may be one provider under two names, and the text says so.

    Returns
    -------
    tuple of (str, str)
    """
    ids = [m["source"]["id"] or m["title"] for m in group["measures"]]
    tg, field, district = group["target_group"], group["field"], group["district"]
    de, en = _say("finding.overlap_why",
                  de=dict(ids=_list(ids, "de", 5), providers=_list(group["providers"], "de", 5),
                          target_group=tg["label"], field=field["label"], district=district["label"]),
                  en=dict(ids=_list(ids, "en", 5), providers=_list(group["providers"], "en", 5),
                          target_group=_en(tg), field=_en(field), district=_en(district)))
    for a, b in itertools.combinations(sorted(group["providers"]), 2):
        if frozenset((a, b)) in proposals:
            same_de, same_en = _say("finding.overlap_same_organisation", a=a, b=b)
            de, en = f"{de} {same_de}", f"{en} {same_en}"
    return de, en


def _finding(kind, sentence, action, **numbers):
    """A finding from its sentence and its suggested action, each a pair (German, English)."""
    (de, en), (action_de, action_en) = sentence, action
    return {"kind": kind, "de": de, "en": en, "action_de": action_de, "action_en": action_en, "numbers": numbers}


def write_findings(result, *, limit=5):
    """The findings of an analysis, most telling first within each kind.

    Parameters
    ----------
    result : dict
        What `graph.analysis.analyse` computed (without ``findings``).
    limit : int
        Most sentences of one kind.

    Returns
    -------
    list of dict
        ``kind``, ``de``, ``en``, ``action_de``, ``action_en``, ``numbers``.
    """
    out = []
    gaps = result["gaps"]
    for kind in gaps.get("not_assessable", []):
        dimension = {lang: text(f"finding.dimension_{kind}", lang) for lang in ("de", "en")}
        out.append(_finding(
            "not_assessable", _say("finding.not_assessable", de={"dimension": dimension["de"]},
                                   en={"dimension": dimension["en"]}),
            _say("finding.not_assessable_action", de={"dimension": dimension["de"]}, en={"dimension": dimension["en"]}),
            dimension=kind))
    citywide = [z for z in gaps["zero_cells"] if z["district"] is None]
    ranked = sorted(citywide, key=lambda z: -(z.get("target_group_measures", 0) * z.get("field_measures", 0)))
    for z in ranked[:limit]:
        de = {"target_group": z["target_group"]["label"], "field": z["field"]["label"]}
        en = {"target_group": _en(z["target_group"]), "field": _en(z["field"])}
        out.append(_finding(
            "zero_cell", _say("finding.zero_cell", de=de, en=en), _say("finding.zero_cell_action", de=de, en=en),
            target_group_measures=z.get("target_group_measures", 0), field_measures=z.get("field_measures", 0)))
    supply = {s["district"]["iri"]: s for s in gaps["supply"]}
    for d in gaps["unserved_districts"]:
        figures = supply.get(d["iri"], {})
        detail_de = detail_en = ""
        if figures.get("inhabitants"):
            share = figures.get("migration_share")
            de = {"inhabitants": _de_number(figures["inhabitants"]), "share": f"{share * 100:.0f} %" if share is not None else ""}
            en = {"inhabitants": f"{figures['inhabitants']:,}", "share": f"{share:.0%}" if share is not None else ""}
            key = "finding.inhabitants_share" if share is not None else "finding.inhabitants"
            detail_de, detail_en = (f" ({part})" for part in _say(key, de=de, en=en))
        out.append(_finding(
            "unserved_district", _say("finding.unserved_district", de={"district": d["label"], "detail": detail_de},
                                      en={"district": _en(d), "detail": detail_en}),
            _say("finding.unserved_district_action"), inhabitants=figures.get("inhabitants")))
    served = [s for s in gaps["supply"] if s["per_1000"] is not None and s["measures"] > 0]
    if served:
        low = min(served, key=lambda s: s["per_1000"])
        out.append(_finding(
            "supply", _say("finding.supply",
                           de={"district": low["district"]["label"], "per_1000": f"{low['per_1000']:.1f}".replace(".", ",")},
                           en={"district": _en(low["district"]), "per_1000": f"{low['per_1000']:.1f}"}),
            _say("finding.supply_action"), per_1000=low["per_1000"]))
    for group in result["overlaps"][:limit]:
        out.append(_finding("overlap", (group["why_de"], group["why_en"]), _say("finding.overlap_action"),
                            measures=len(group["measures"])))
    ends = [c for c in gaps["funding_cliff"] if c["reason"] == "ends"]
    if ends:
        out.append(_finding("funding_cliff", _say("finding.funding_cliff", count=len(ends)),
                            _say("finding.funding_cliff_action"), cells=len(ends)))
    net = result["network"]
    for bridge in net["bridges"][:limit]:
        key = "finding.bridge" if bridge["cut_off"] != 1 else "finding.bridge_one"
        out.append(_finding(
            "bridge", _say(key, label=bridge["label"], parts=bridge["parts"], cut_off=bridge["cut_off"]),
            _say("finding.bridge_action"), parts=bridge["parts"], cut_off=bridge["cut_off"]))
    if net["brokers"]:
        top = net["brokers"][0]
        out.append(_finding("broker", _say("finding.broker", label=top["label"]), _say("finding.broker_action"),
                            betweenness=top["betweenness"]))
    if net["isolates"]:
        names = [i["label"] for i in net["isolates"]]
        out.append(_finding(
            "isolates", _say("finding.isolates", count=len(names), de={"names": _list(names, "de")},
                             en={"names": _list(names, "en")}),
            _say("finding.isolates_action"), isolates=len(names)))
    for intro in net["introductions"][:3]:
        out.append(_finding(
            "introduction", _say("finding.introduction", a=intro["a"]["label"], b=intro["b"]["label"],
                                 cells=len(intro["cells"])),
            _say("finding.introduction_action"), cells=len(intro["cells"])))
    proposals = result["org_duplicates"].get("proposals", [])
    if proposals:
        out.append(_finding("org_duplicates", _say("finding.org_duplicates", count=len(proposals)),
                            _say("finding.org_duplicates_action"), proposals=len(proposals)))
    return out


def top_findings(findings, n=6):
    """The first finding of each kind, then the second of each, … — so a short list covers all kinds.

    Examples
    --------
    >>> fs = [{"kind": "a", "de": 1}, {"kind": "a", "de": 2}, {"kind": "b", "de": 3}]
    >>> [f["de"] for f in top_findings(fs, 2)]
    [1, 3]
    """
    by_kind = {}
    for finding in findings:
        by_kind.setdefault(finding["kind"], []).append(finding)
    out = []
    for round_ in itertools.zip_longest(*by_kind.values()):
        out.extend(f for f in round_ if f is not None)
    return out[:n]
