"""What a planned import asks the user before it is written, and the user's answers as a mapping.

An `ingest.importer.ImportPlan` holds the detected columns, the free-text values that
matched no concept or only fuzzily, the organisation-merge proposals and the report on
every row. These functions turn them into plain tables for review (the app's import
page), and the reviewed tables back into a mapping for `plan_import` (see
`ingest.mapping` for its shape).
"""

import pandas as pd

from knotenpunkt.graph.texts import say
from knotenpunkt.ingest.builder import SCHEMES
from knotenpunkt.ingest.concepts import ConceptIndex
from knotenpunkt.ingest.headers import ROLES

__all__ = ["VALUE_ROLES", "sheet_table", "column_table", "column_roles", "value_table", "concept_options", "proposal_table",
           "row_table", "build_mapping"]

VALUE_ROLES = ("target_groups", "fields", "districts", "type")  # roles whose texts map to concepts


def _used_sheets(plan):
    return [(f, s) for f in plan.report["files"] for s in f["sheets"] if s["status"] == "used"]


def sheet_table(plan, lang="de"):
    """One row per sheet: ``file``, ``sheet``, ``kind`` (None without a table), ``status``, ``header_row``, ``rows``,
    ``reason`` (why the sheet was read as its kind, or skipped)."""
    return pd.DataFrame([{"file": f["name"], "sheet": s["name"], "kind": s.get("kind"), "status": s["status"],
                          "header_row": s.get("header_row"), "rows": s.get("rows", s.get("nonempty_rows")),
                          "reason": s.get("reason_en" if lang == "en" else "reason", "")}
                         for f in plan.report["files"] for s in f["sheets"]],
                        columns=["file", "sheet", "kind", "status", "header_row", "rows", "reason"])


def column_table(plan):
    """The detected column roles of every used sheet.

    Returns
    -------
    dict
        Sheet name → (kind, DataFrame with ``header`` and ``role``; unmapped columns have role "").
    """
    out = {}
    for _, sheet in _used_sheets(plan):
        rows = [{"header": header, "role": role} for role, header in sheet["columns"].items()]
        rows += [{"header": header, "role": ""} for header in sheet.get("unmapped_columns", [])]
        out[sheet["name"]] = (sheet["kind"], pd.DataFrame(rows, columns=["header", "role"]))
    return out


def value_table(plan, lang="de"):
    """The free-text values worth a look: matched by reading the phrase (with its explanation), fuzzily or not at all.

    Returns
    -------
    pandas.DataFrame
        ``role``, ``text``, ``how`` (lexical, code, fuzzy, unmapped), ``concept`` (the first IRI or None),
        ``label`` (every concept's label, joined by " + "), ``explanation`` (in `lang`), ``suggestions`` (joined by
        "; "), ``rows`` (how often it occurs); one row per role and text.
    """
    found = {}
    for row in plan.report["rows"]:
        seen = set()
        for role in VALUE_ROLES:
            for entry in row["mapped"].get(role) or []:
                if entry.get("how") not in ("lexical", "code", "fuzzy", "unmapped"):
                    continue
                key = (role, entry["text"])
                if key in found:
                    if key not in seen:
                        found[key]["rows"] += 1
                    elif entry.get("label") and entry["label"] not in found[key]["label"].split(" + "):
                        found[key]["label"] += " + " + entry["label"]
                    seen.add(key)
                    continue
                seen.add(key)
                found[key] = {"role": role, "text": entry["text"], "how": entry["how"], "concept": entry.get("iri"),
                              "label": entry.get("label") or "", "explanation": say(entry.get("explanation"), lang),
                              "suggestions": "; ".join(say(s, lang) for s in entry.get("suggestions") or []),
                              "rows": 1}
    return pd.DataFrame(sorted(found.values(), key=lambda e: (e["role"], e["text"].lower())),
                        columns=["role", "text", "how", "concept", "label", "explanation", "suggestions", "rows"])


def concept_options(plan, store, role, lang="de"):
    """The concepts a text of `role` can be mapped to: IRI → label in `lang`, sorted by label.

    Target groups, fields and organisation types come from their vocabularies; districts
    from the areas the plan's rows were mapped to.
    """
    if role in SCHEMES:
        concepts = ConceptIndex.from_store(store, SCHEMES[role]).by_iri.values()
        pairs = [(c.iri, c.label(lang)) for c in concepts]
    else:
        pairs = {(e["iri"], e["label"]) for row in plan.report["rows"] for e in row["mapped"].get(role) or []
                 if e.get("iri")}
    return dict(sorted(pairs, key=lambda p: (str(p[1]).lower(), p[0])))


def proposal_table(plan, lang="de"):
    """Organisation names that may denote the same organisation: ``a``, ``b``, ``score``, ``reason`` (in `lang`)."""
    return pd.DataFrame([{**p, "reason": say(p["reason"], lang)} for p in plan.report["organisations"]["proposals"]],
                        columns=["a", "b", "score", "reason"])


def row_table(plan, lang="de"):
    """The report on every row: ``file``, ``sheet``, ``row``, ``id``, ``status``, ``messages`` (in `lang`)."""
    return pd.DataFrame([{"file": r["file"], "sheet": r["sheet"], "row": r["row"], "id": r["id"], "status": r["status"],
                          "messages": " | ".join(f"{m['column']}: {m[lang]}" if m.get("column") else m[lang]
                                                 for m in r["messages"])}
                         for r in plan.report["rows"]], columns=["file", "sheet", "row", "id", "status", "messages"])


def build_mapping(*, columns=None, values=None, same=(), different=()):
    """The user's answers as a mapping for `ingest.importer.plan_import`.

    Parameters
    ----------
    columns : dict, optional
        Sheet → DataFrame with ``header`` and ``role`` (as from `column_table`, edited);
        rows with an empty role are left to the importer.
    values : pandas.DataFrame, optional
        ``role``, ``text``, ``concept`` (IRI, or None to keep the text unmapped).
    same, different : iterable of (str, str)
        Organisation-name pairs decided to be the same organisation, or different ones.

    Examples
    --------
    >>> build_mapping(same=[("AWO", "AWO Lahn-Dill")])
    {'columns': {}, 'values': {}, 'organisations': {'same': [['AWO', 'AWO Lahn-Dill']], 'different': []}}
    """
    mapping = {"columns": {}, "values": {}, "organisations": {"same": [list(p) for p in same],
                                                              "different": [list(p) for p in different]}}
    for sheet, table in (columns or {}).items():
        chosen = {r.header: r.role for r in table.itertuples() if r.role}
        if chosen:
            mapping["columns"][sheet] = chosen
    if values is not None:
        for r in values.itertuples():
            mapping["values"].setdefault(r.role, {})[r.text] = r.concept if isinstance(r.concept, str) and r.concept else None
    return mapping


def column_roles(kind):
    """The column roles a table of `kind` knows (for choosing a column's role).

    Examples
    --------
    >>> "title" in column_roles("measures")
    True
    """
    return list(ROLES[kind])
