"""The user's mapping file: column roles, value → concept decisions, organisation decisions.

A mapping is JSON of this shape (every key optional)::

    {
      "city": "Wetzlar",
      "kinds":   {"<sheet>": "measures|providers|districts|cooperations|networks"},
      "columns": {"<sheet or *>": {"<header>": "<role>"}},
      "values":  {"target_groups|fields|districts|type": {"<text>": "<IRI, prefix:name, label or null>"}},
      "organisations": {"same": [["AWO", "Arbeiterwohlfahrt …"]], "different": [["…", "…"]]}
    }

`--write-mapping` writes the mapping an import detected (columns, and the values that
need a decision: fuzzy matches and unmapped texts), to edit and pass back with
`--mapping`. The store remembers the user's own mapping and organisation decisions, so
the next import starts from them (`graph.sidestate`, re-exported here).
"""

import json
from pathlib import Path

from knotenpunkt.graph.errors import IngestError
from knotenpunkt.graph.sidestate import decide_organisations, last_organisations, load_remembered, remember
from knotenpunkt.ingest.concepts import ConceptIndex
from knotenpunkt.ontology.namespace import PREFIXES

__all__ = ["load", "write", "merge", "resolve_values", "load_remembered", "remember", "detected",
           "decide_organisations", "last_organisations"]


def load(path):
    """Read a mapping file; a clear error names the file and the JSON problem."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise IngestError("mapping_missing", file=str(path), code="file_not_found") from None
    except json.JSONDecodeError as e:
        raise IngestError("mapping_not_json", error=e.msg, file=str(path), row=e.lineno,
                          code="bad_mapping") from None
    if not isinstance(data, dict):
        raise IngestError("mapping_not_object", file=str(path), code="bad_mapping")
    return data


def write(path, mapping):
    """Write a mapping file (UTF-8, indented, keys in order)."""
    Path(path).write_text(json.dumps(mapping, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def merge(base, override):
    """Merge two mappings; `override` wins, organisation decisions are united.

    Examples
    --------
    >>> merge({"values": {"fields": {"a": "x"}}}, {"values": {"fields": {"b": "y"}}})["values"]["fields"]
    {'a': 'x', 'b': 'y'}
    """
    out = {key: value for key, value in base.items()}
    for key, value in override.items():
        if key == "organisations":
            decisions = {k: list(v) for k, v in out.get(key, {}).items()}
            for verdict, pairs in value.items():
                known = {frozenset(p) for p in decisions.get(verdict, [])}
                decisions.setdefault(verdict, []).extend(p for p in pairs if frozenset(p) not in known)
            out[key] = decisions
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def resolve_values(store, values, scheme):
    """Turn the user's value references into concept IRIs.

    A reference is a full IRI, a prefixed name (``zg:gefluechtete``), a label of a
    concept of `scheme`, or null (the text is deliberately left unmapped).
    """
    index = ConceptIndex.from_store(store, scheme) if scheme else None
    out = {}
    for text, ref in values.items():
        if ref is None or str(ref).startswith(("http://", "https://", "urn:")):
            out[text] = ref
        elif ":" in str(ref) and str(ref).split(":", 1)[0] in PREFIXES:
            prefix, local = str(ref).split(":", 1)
            out[text] = PREFIXES[prefix] + local
        elif index is not None and (match := index.match(str(ref))).concept and match.how != "fuzzy":
            out[text] = match.concept.iri
        else:
            raise IngestError("mapping_unknown_concept", ref=ref, value=text, code="bad_mapping")
    return out


def detected(mapping, report, mapped_values, city):
    """The mapping an import used: the user's, plus detected kinds and columns and the values to decide."""
    out = merge(mapping, {"city": city.designation})  # "Landkreis Gießen": read back as the county, not the city
    for file in report["files"]:
        for sheet in file["sheets"]:
            if sheet["status"] == "used":
                out.setdefault("kinds", {})[sheet["name"]] = sheet["kind"]
                out.setdefault("columns", {})[sheet["name"]] = {header: role for role, header in sheet["columns"].items()}
    values = out.setdefault("values", {})
    for role, texts in mapped_values.items():
        for text, (iri, how) in texts.items():
            if how in ("fuzzy", "unmapped"):
                values.setdefault(role, {}).setdefault(text, iri)
    return out
