"""What the steering group gets to see, gathered once for the deck, the handout and the pictures.

`build_report` reads the store (key figures, analysis, versions, network, gap matrix,
district supply) and returns one dict; `graph.deck`, `graph.handout` and
`graph.pictures` only lay it out. Every section names the canned queries
(``ontology/queries/*.rq``) its figures come from (`SOURCES`), so each figure can be
reproduced with ``knotenpunkt query NAME``.
"""

import datetime as dt

from knotenpunkt.graph import gaps, network, versions
from knotenpunkt.graph.analysis import analyse
from knotenpunkt.graph.exports import contacts, personal_data_allowed, strip_control
from knotenpunkt.graph.extract import load_frames
from knotenpunkt.graph.findings import top_findings
from knotenpunkt.graph.queries import run_query
from knotenpunkt.graph.texts import LANGUAGES, language, section
from knotenpunkt.graph.texts import text as catalogue_text

__all__ = ["SOURCES", "TEXTS", "LANGUAGES", "build_report", "text", "source_line", "source_note", "source_notes",
           "format_number", "clean", "figure_rows", "overlap_rows", "change_lines"]


SOURCES = {
    "key_figures": ("count_inventory",),
    "findings": ("extract_measures", "extract_measure_links", "extract_hierarchy", "list_cooperations",
                 "network_memberships", "list_districts"),
    "network": ("extract_organisations", "list_cooperations", "extract_measures", "extract_measure_links",
                "network_memberships"),
    "gap_matrix": ("extract_measures", "extract_measure_links", "extract_hierarchy"),
    "districts": ("district_supply",),
    "overlaps": ("extract_measures", "extract_measure_links", "extract_hierarchy", "list_cooperations",
                 "network_memberships"),
    "funding_cliff": ("extract_measures", "extract_measure_links", "extract_hierarchy"),
    "changes": ("imports_since",),
    "contacts": ("measure_contacts",),
}

TEXTS = section("report")  # the report's part of the one catalogue, graph/texts.toml


def text(report, key, **values):
    """The text `key` in the report's language, with `values` filled in."""
    return catalogue_text("report." + key, report["lang"], **values)


def source_line(report, section):
    """The source line on a slide or page face: what the figures come from and the day, in plain words."""
    key = "source_changes" if section == "changes" else "source"
    return text(report, key, day=report["day_text"])


_SECTION_TITLES = {"key_figures": "key_figures", "findings": "findings", "network": "network",
                   "gap_matrix": "gap_matrix", "districts": "district_chart", "overlaps": "overlaps",
                   "funding_cliff": "funding_cliff", "changes": "changes", "contacts": "contact"}


def source_note(report, section):
    """The technical source of a section (canned query names), for speaker notes and the appendix."""
    key = "source_note_changes" if section == "changes" else "source_note"
    return text(report, key, section=text(report, _SECTION_TITLES[section]), queries=", ".join(SOURCES[section]))


def source_notes(report):
    """The appendix "Quellen der Zahlen": an introduction, one line per section, the data version."""
    return [text(report, "sources_intro"), *(source_note(report, s) for s in SOURCES if s != "contacts"),
            text(report, "data_version", data_version=report["data_version"])]


def format_number(value, digits=0, lang="de"):
    """A number as the report's language writes it.

    Examples
    --------
    >>> format_number(1317.5, 1), format_number(0.459, 2), format_number(1317, lang="en")
    ('1.317,5', '0,46', '1,317')
    """
    text_ = f"{value:,.{digits}f}"
    return text_.replace(",", "\x00").replace(".", ",").replace("\x00", ".") if lang == "de" else text_


def _day_text(day, lang):
    return day.strftime("%d.%m.%Y") if lang == "de" else day.isoformat()


def _overlaps(result, frames, lang, people, top):
    out = []
    for group in result["overlaps"][:top]:
        cell = " × ".join(frames.label(group[k]["iri"], lang) for k in ("target_group", "field", "district"))
        measures = [{"title": m["title"], "provider": m["provider"],
                     "contact": people.get(m["iri"]) if people is not None else None} for m in group["measures"]]
        out.append({"rank": group["rank"], "cell": cell, "measures": measures, "why": group[f"why_{lang}"]})
    return out


def _funding_cliff(report, result, frames, lang, top):
    out = []
    for c in result["gaps"]["funding_cliff"][:top]:
        if c["reason"] == "ends":
            reason = text(report, "ends", date=_day_text(dt.date.fromisoformat(c["last_end"]), lang))
        else:
            reason = text(report, "one_funder", funder=c["funder"]["label"])
        out.append({"cell": f"{frames.label(c['target_group']['iri'], lang)} × {frames.label(c['field']['iri'], lang)}",
                    "reason": reason, "measures": [m["title"] for m in c["measures"]]})
    return out


def _listing(report, key, items, limit=6):
    """Lines for one kind of change: a heading with the count, then up to `limit` entries."""
    lines = [f"{text(report, key)}: {len(items) or text(report, 'none')}"]
    lines += [f"  • {item}" for item in items[:limit]]
    if len(items) > limit:
        lines.append("  " + text(report, "more", n=len(items) - limit))
    return lines


def change_lines(report):
    """The changes since the last meeting as lines of text (deck and handout)."""
    changes = report["changes"]
    if changes["since"] is None:
        return [text(report, "no_earlier")]
    v = changes["since"]
    date = _day_text(dt.date.fromisoformat(v["time"][:10]), report["lang"])
    lines = [text(report, "since", number=v["number"], date=date, label=v["label"])]
    lines += _listing(report, "new_measures", [m["title"] for m in changes["new_measures"]])
    lines += _listing(report, "ended_measures", [m["title"] for m in changes["ended_measures"]])
    for key in ("new_organisations", "lost_organisations"):
        lines += _listing(report, key, [o["label"] for o in changes[key]])
    for key in ("new_cooperations", "lost_cooperations"):
        lines += _listing(report, key, [f"{c['a']['label']} – {c['b']['label']}" for c in changes[key]])
    for key in ("cells_gained", "cells_lost"):
        lines += _listing(report, key, [f"{c['target_group']['label']} × {c['field']['label']}" for c in changes[key]])
    return lines


def figure_rows(report):
    """Key figures as (label, value) rows, in the order of the key-figures slide and page."""
    keys = ("measures", "organisations", "target_groups", "districts", "cooperations", "networks")
    rows = [(text(report, k), report["counts"][k]) for k in keys]
    rows += [(text(report, k), v) for k, v in report["summary"].items()]
    return [(label, format_number(value, lang=report["lang"])) for label, value in rows]


def overlap_rows(report):
    """The overlap table: cell, measures with provider (and contact when allowed), reason."""
    rows = []
    for o in report["overlaps"]:
        measures = []
        for m in o["measures"]:
            entry = f"{m['title']} ({m['provider']})"
            if m["contact"]:
                entry += f" – {text(report, 'contact')}: " + ", ".join(v for v in m["contact"].values() if v)
            measures.append(entry)
        rows.append((o["cell"], "\n".join(measures), o["why"]))
    return rows


def build_report(store, *, since=None, day=None, lang=None, include_personal_data=None, seed=42, top=8):
    """Gather everything the deck, the handout and the pictures show.

    Parameters
    ----------
    store : graph.store.Store
    since : str, optional
        Version to compare with (number, label or date; see `graph.versions.find_version`);
        default the previous one.
    day : datetime.date, optional
        Day the analysis looks at; default today.
    lang : {"de", "en"}, optional
        Language of the texts; default the setting ``language``.
    include_personal_data : bool, optional
        Name the contact of each overlapping measure; default the setting
        ``include_personal_data``.
    seed : int
        Seed of the network layout and communities.
    top : int
        Rows of the overlap and funding-cliff tables.

    Returns
    -------
    dict
        ``lang``, ``day``, ``day_text``, ``city``, ``version``, ``files``, ``data_version``,
        ``counts`` (count_inventory), ``summary`` (zero cells, unserved districts, overlaps,
        funding cliffs), ``findings`` [{text, action}], ``overlaps``, ``funding_cliff``,
        ``changes`` (`graph.versions.diff`), ``graph`` (networkx), ``type_labels``,
        ``matrix`` (DataFrame of counts, labelled rows and columns), ``district_supply``
        (DataFrame), ``personal_data``.
    """
    lang = lang or language()
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {LANGUAGES}, not {lang!r}")
    day = day or dt.date.today()
    frames = load_frames(store)
    result = analyse(store, start=day, end=day, seed=seed, frames=frames)  # the frames are loaded once
    allowed = personal_data_allowed(include_personal_data)
    listed = versions.list_versions(store)
    cities = store.select("SELECT DISTINCT ?city WHERE { ?scheme kp:municipality ?city }")
    report = {
        "lang": lang, "day": day, "day_text": _day_text(day, lang),
        "city": ", ".join(sorted(frames.label(c["city"], lang) for c in cities)),
        "version": listed[-1] if listed else None,
        "files": sorted({str(f) for f in frames.measures["file"].dropna()}),
        "data_version": store.data_version(),
        "counts": dict(run_query(store, "count_inventory")[0]),
        "personal_data": allowed,
    }
    report["summary"] = {
        "zero_cells": sum(1 for z in result["gaps"]["zero_cells"] if z["district"] is None),
        "unserved_districts": len(result["gaps"]["unserved_districts"]),
        "overlap_count": len(result["overlaps"]),
        "cliff_count": len(result["gaps"]["funding_cliff"]),
    }
    report["findings"] = [{"text": f[lang], "action": f[f"action_{lang}"]} for f in top_findings(result["findings"])]
    report["overlaps"] = _overlaps(result, frames, lang, contacts(store) if allowed else None, top)
    report["funding_cliff"] = _funding_cliff(report, result, frames, lang, top)
    report["changes"] = versions.diff(store, since, day=day, frames=frames)
    for cell in report["changes"]["cells_gained"] + report["changes"]["cells_lost"]:
        for concept in cell.values():
            concept["label"] = frames.label(concept["iri"], lang)
    report["graph"] = network.build_cooperation_graph(frames)
    report["type_labels"] = {t: frames.label(t, lang) for t in frames.organisations["type"].dropna().unique()}
    # the matrix shows no gaps when no target group or no field of action is mapped: it says so instead
    report["matrix_missing"] = (" und " if lang == "de" else " and ").join(
        catalogue_text(f"finding.dimension_{kind}", lang)
        for kind in ("target_group", "field") if kind in result["gaps"]["not_assessable"])
    matrix = gaps.coverage_matrix(frames, day, day)
    matrix = matrix.rename(index=lambda i: frames.label(i, lang), columns=lambda c: frames.label(c, lang))
    report["matrix"] = matrix.loc[sorted(matrix.index, key=gaps.label_key), sorted(matrix.columns, key=gaps.label_key)]
    supply = gaps.supply(frames, day, day)  # what the canned query district_supply answers, from the frames
    report["district_supply"] = supply.assign(label=[frames.label(d, lang) for d in supply["district"]])
    return report


def clean(value):
    """Text of a report value for layout: control characters removed, None as empty."""
    return "" if value is None else strip_control(value)
