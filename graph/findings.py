"""Findings: short sentences in German and English, with their numbers and a suggested action.

Names are quoted („…“) instead of declined, so that the sentences stay correct German for
any organisation or district.
"""

import itertools

__all__ = ["explain_overlap", "write_findings", "top_findings"]


def _de_number(n):
    return f"{n:,}".replace(",", ".")


def _en(ref):
    """The English label of a concept reference (``label_en``), the German one where there is none."""
    return ref.get("label_en") or ref["label"]


def _list(labels, lang, limit=3):
    shown = [f"„{x}“" if lang == "de" else f'"{x}"' for x in labels[:limit]]
    more = len(labels) - len(shown)
    if more:
        shown.append(f"{more} weitere" if lang == "de" else f"{more} more")
    if len(shown) == 1:
        return shown[0]
    return ", ".join(shown[:-1]) + (" und " if lang == "de" else " and ") + shown[-1]


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
    tg, field, district = group["target_group"]["label"], group["field"]["label"], group["district"]["label"]
    tg_en, field_en, district_en = _en(group["target_group"]), _en(group["field"]), _en(group["district"])
    de = (f"{_list(ids, 'de', 5)} von {_list(group['providers'], 'de', 5)} richten sich zur selben Zeit an "
          f"„{tg}“ im Handlungsfeld „{field}“ in „{district}“; die Träger haben keine Kooperation, kein gemeinsames "
          "Angebot und kein gemeinsames Netzwerk.")
    en = (f"{_list(ids, 'en', 5)} by {_list(group['providers'], 'en', 5)} address \"{tg_en}\" in the field "
          f"\"{field_en}\" in \"{district_en}\" at the same time; the providers have no cooperation, no joint measure "
          "and no common network.")
    for a, b in itertools.combinations(sorted(group["providers"]), 2):
        if frozenset((a, b)) in proposals:
            de += f" Möglicherweise sind „{a}“ und „{b}“ dieselbe Organisation (offener Vorschlag)."
            en += f" \"{a}\" and \"{b}\" may be the same organisation (open proposal)."
    return de, en


_NOT_ASSESSABLE = {"target_group": ("Zielgruppen", "target groups"), "field": ("Handlungsfelder", "fields of action"),
                   "district": ("Orte und Stadtteile", "places or districts")}


def _finding(kind, de, en, action_de, action_en, **numbers):
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
        de, en = _NOT_ASSESSABLE[kind]
        out.append(_finding(
            "not_assessable", f"{de} konnten keinem Begriff zugeordnet werden; Lückenanalyse nicht möglich.",
            f"No {en} could be mapped to a concept; gaps cannot be assessed.",
            f"Auf der Importseite die Texte der Spalte „{de}“ Begriffen zuordnen (oder in der Mapping-Datei).",
            f"Map the texts of the {en} column to concepts on the import page (or in the mapping file).",
            dimension=kind))
    citywide = [z for z in gaps["zero_cells"] if z["district"] is None]
    ranked = sorted(citywide, key=lambda z: -(z.get("target_group_measures", 0) * z.get("field_measures", 0)))
    for z in ranked[:limit]:
        tg, field = z["target_group"]["label"], z["field"]["label"]
        tg_en, field_en = _en(z["target_group"]), _en(z["field"])
        out.append(_finding(
            "zero_cell", f"Für „{tg}“ gibt es im Handlungsfeld „{field}“ kein Angebot.",
            f"There is no measure for \"{tg_en}\" in the field \"{field_en}\".",
            f"Prüfen, ob ein Träger aus „{field}“ ein Angebot für „{tg}“ öffnen kann.",
            f"Check whether a provider in \"{field_en}\" can open a measure to \"{tg_en}\".",
            target_group_measures=z.get("target_group_measures", 0), field_measures=z.get("field_measures", 0)))
    supply = {s["district"]["iri"]: s for s in gaps["supply"]}
    for d in gaps["unserved_districts"]:
        figures = supply.get(d["iri"], {})
        detail_de = detail_en = ""
        if figures.get("inhabitants"):
            share = figures.get("migration_share")
            detail_de = f" ({_de_number(figures['inhabitants'])} Einwohner" + (
                f", {share * 100:.0f} % mit Migrationsgeschichte)" if share is not None else ")")
            detail_en = f" ({figures['inhabitants']:,} inhabitants" + (f", {share:.0%} with a migration background)"
                                                                       if share is not None else ")")
        out.append(_finding(
            "unserved_district", f"In „{d['label']}“{detail_de} gibt es derzeit kein Angebot vor Ort.",
            f"There is currently no measure located in \"{_en(d)}\"{detail_en}.",
            "Stadtweite Angebote dort bekannt machen oder ein Angebot vor Ort prüfen.",
            "Promote city-wide measures there or consider a local one.", inhabitants=figures.get("inhabitants")))
    served = [s for s in gaps["supply"] if s["per_1000"] is not None and s["measures"] > 0]
    if served:
        low = min(served, key=lambda s: s["per_1000"])
        out.append(_finding(
            "supply", f"„{low['district']['label']}“ hat mit {low['per_1000']:.1f} Angeboten je 1.000 Einwohner mit "
                      "Migrationsgeschichte die geringste Versorgung.".replace(f"{low['per_1000']:.1f}",
                                                                              f"{low['per_1000']:.1f}".replace(".", ",")),
            f"\"{_en(low['district'])}\" has the lowest supply: {low['per_1000']:.1f} measures per 1,000 residents "
            "with a migration background.",
            "Bedarf mit den Trägern vor Ort besprechen.", "Discuss the need with the local providers.",
            per_1000=low["per_1000"]))
    for group in result["overlaps"][:limit]:
        out.append(_finding("overlap", group["why_de"], group["why_en"],
                            "Die Träger miteinander bekannt machen und Absprachen anregen.",
                            "Introduce the providers to each other and encourage coordination.",
                            measures=len(group["measures"])))
    ends = [c for c in gaps["funding_cliff"] if c["reason"] == "ends"]
    if ends:
        out.append(_finding(
            "funding_cliff", f"{len(ends)} Kombinationen aus Zielgruppe und Handlungsfeld verlieren ihr einziges "
                             "Angebot, wenn die laufende Förderung endet.",
            f"{len(ends)} target group × field combinations lose their only coverage when current funding ends.",
            "Anschlussfinanzierung früh klären.", "Settle follow-up funding early.", cells=len(ends)))
    net = result["network"]
    for bridge in net["bridges"][:limit]:
        out.append(_finding(
            "bridge", f"Ohne „{bridge['label']}“ zerfällt das Netzwerk in {bridge['parts']} Teile; "
                      + (f"{bridge['cut_off']} Organisationen hängen" if bridge["cut_off"] != 1 else "1 Organisation hängt")
                      + " nur über diese Organisation am Rest.",
            f"Without \"{bridge['label']}\" the network falls apart into {bridge['parts']} parts; "
            f"{bridge['cut_off']} organisations are connected to the rest only through it.",
            "Direkte Verbindungen zwischen den Teilen stärken.", "Strengthen direct ties between the parts.",
            parts=bridge["parts"], cut_off=bridge["cut_off"]))
    if net["brokers"]:
        top = net["brokers"][0]
        out.append(_finding(
            "broker", f"„{top['label']}“ verbindet im Netzwerk am meisten Organisationen, die sonst keinen Draht "
                      "zueinander hätten.",
            f"\"{top['label']}\" connects the most organisations that would otherwise have no link.",
            "Diese Vermittlerrolle anerkennen und entlasten.", "Recognise and support this brokering role.",
            betweenness=top["betweenness"]))
    if net["isolates"]:
        names = [i["label"] for i in net["isolates"]]
        out.append(_finding(
            "isolates", f"{len(names)} Organisationen haben keine Kooperation im Bestand, z. B. {_list(names, 'de')}.",
            f"{len(names)} organisations have no cooperation in the inventory, e.g. {_list(names, 'en')}.",
            "Zu Netzwerktreffen einladen.", "Invite them to network meetings.", isolates=len(names)))
    for intro in net["introductions"][:3]:
        out.append(_finding(
            "introduction", f"„{intro['a']['label']}“ und „{intro['b']['label']}“ arbeiten für dieselben Zielgruppen "
                            f"im selben Stadtteil ({len(intro['cells'])}×), haben aber keine Verbindung.",
            f"\"{intro['a']['label']}\" and \"{intro['b']['label']}\" serve the same target groups in the same "
            f"district ({len(intro['cells'])}×) but have no link.",
            "Die beiden Organisationen einander vorstellen.", "Introduce the two organisations.",
            cells=len(intro["cells"])))
    proposals = result["org_duplicates"].get("proposals", [])
    if proposals:
        out.append(_finding(
            "org_duplicates", f"{len(proposals)} Paare von Organisationsnamen könnten dieselbe Organisation meinen.",
            f"{len(proposals)} pairs of organisation names may denote the same organisation.",
            "Auf der Seite Dubletten bestätigen oder ablehnen.", "Confirm or reject them on the Duplicates page.",
            proposals=len(proposals)))
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
