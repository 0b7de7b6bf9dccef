"""Canned SPARQL queries: one `.rq` file each in ``ontology/queries/``, with a ``#+`` header.

Header lines (grlc style)::

    #+ summary: What the query answers.
    #+ params: ?name (IRI|string|date|integer, optional) — what it restricts
    #+ returns: col1, col2
    #+ kind: interactive|report|bulk
    #+ used_by: where it is used

The kind is a performance contract, checked by `bench.run`:

- ``interactive``: answered while someone waits (a page, the SPARQL page, a client). It reads
  around one thing (a measure, an organisation, an area) or the summary written at import
  (`graph.summary`), so its cost does not grow with the inventory: within 10× of a two-hop
  query around one organisation.
- ``report``: lists or counts across the whole inventory (a funder list, a district chart for
  a chosen day). Its answer grows with the inventory, so its cost does too, but linearly;
  pages read it once per data version.
- ``bulk``: feeds the analyses and exports.

Parameters are bound with pyoxigraph substitutions (SEP-0007), never formatted into
the query text; SEP-0007 requires every bound variable to be projected by the SELECT.
A line that ends in ``# only if ?name`` is dropped when the optional parameter ``name``
is not given (pyoxigraph folds ``BOUND(?name)`` of a substituted variable to false, so
``FILTER(!BOUND(?x) || …)`` cannot express an optional filter).
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from rdflib import URIRef

from knotenpunkt.graph.errors import QueryError, ReadOnlyError
from knotenpunkt.graph.texts import Phrase
from knotenpunkt.ontology import QUERIES_DIR

__all__ = ["KINDS", "Param", "Query", "load_query", "list_queries", "run_query", "run_frame", "convert_param",
           "check_user_query", "prepare"]

_PARAM = re.compile(r"^\?(?P<name>\w+)\s*\((?P<type>\w+)(?P<optional>,\s*optional)?\)\s*(?:[—–-]\s*(?P<doc>.*))?$")
_TYPES = ("IRI", "string", "date", "integer")
KINDS = ("interactive", "report", "bulk")
_ONLY_IF = re.compile(r"#\s*only if \?(\w+)\s*$")


@dataclass(frozen=True)
class Param:
    """A query parameter: name (without ``?``), type, whether optional, and what it does."""

    name: str
    type: str
    optional: bool
    doc: str


@dataclass(frozen=True)
class Query:
    """A canned query and its header."""

    name: str
    summary: str
    returns: tuple
    kind: str
    used_by: str
    text: str
    params: tuple = field(default_factory=tuple)


def _parse_header(name, text):
    header = {}
    params = []
    for line in text.splitlines():
        if not line.startswith("#+"):
            continue
        key, _, value = line[2:].strip().partition(":")
        key, value = key.strip(), value.strip()
        if key == "params":
            if value.lower() in ("", "none", "keine"):
                continue
            m = _PARAM.match(value)
            if not m or m["type"] not in _TYPES:
                raise QueryError("query_param_line", name=name, value=repr(value))
            params.append(Param(m["name"], m["type"], bool(m["optional"]), (m["doc"] or "").strip()))
        else:
            header[key] = value
    for required in ("summary", "returns", "kind"):
        if not header.get(required):
            raise QueryError("query_header_missing", name=name, required=required)
    if header["kind"] not in KINDS:
        raise QueryError("query_kind", name=name, kinds=", ".join(KINDS), kind=repr(header["kind"]))
    return Query(name, header["summary"], tuple(c.strip() for c in header["returns"].split(",")),
                 header["kind"], header.get("used_by", ""), text, tuple(params))


def load_query(name):
    """Load one canned query by name (file name without ``.rq``).

    Raises
    ------
    QueryError
        If there is no such query or its header is incomplete.
    """
    path = QUERIES_DIR / f"{name.replace('-', '_')}.rq"
    if not path.is_file() or path.parent != QUERIES_DIR:
        known = ", ".join(q.name for q in list_queries())
        raise QueryError("query_unknown", name=name, known=known)
    return _parse_header(path.stem, path.read_text(encoding="utf-8"))


def list_queries():
    """All canned queries, sorted by name."""
    return [_parse_header(p.stem, p.read_text(encoding="utf-8")) for p in sorted(QUERIES_DIR.glob("*.rq"))]


def convert_param(param, value):
    """Convert a parameter value given as text (CLI, URL) to its declared type.

    Examples
    --------
    >>> convert_param(Param("at", "date", True, ""), "2026-11-15")
    datetime.date(2026, 11, 15)
    """
    if value is None or isinstance(value, (URIRef, dt.date, int)):
        return value
    try:
        if param.type == "IRI":
            return URIRef(str(value))
        if param.type == "date":
            return dt.date.fromisoformat(str(value))
        if param.type == "integer":
            return int(value)
    except ValueError:
        raise QueryError("query_param_value", param=param.name, value=value, type=param.type) from None
    return str(value)


def prepare(name, params):
    """The query text for the given parameters and its bindings (see `run_query`)."""
    query = load_query(name)
    declared = {p.name: p for p in query.params}
    unknown = set(params) - set(declared)
    if unknown:
        raise QueryError("query_param_unknown", name=name, unknown=", ".join(sorted(unknown)),
                         declared=", ".join(declared) or Phrase("error.none"))
    bindings = {}
    for p in query.params:
        value = params.get(p.name)
        if value in (None, "") and not p.optional:
            raise QueryError("query_param_missing", name=name, param=p.name, type=p.type)
        bindings[p.name] = convert_param(p, value) if value not in (None, "") else None
    text = "\n".join(line for line in query.text.splitlines()
                     if not ((m := _ONLY_IF.search(line)) and bindings.get(m[1]) is None))
    return text, bindings


def run_frame(store, name, **params):
    """Run a canned query; return a DataFrame of strings (fast path for the analyses)."""
    text, bindings = prepare(name, params)
    return store.frame(text, bindings=bindings)


def run_query(store, name, **params):
    """Run a canned query with bound parameters.

    Parameters
    ----------
    store : graph.store.Store
    name : str
    **params
        Values for the query's parameters, as text or typed values.

    Returns
    -------
    list of dict
        One dict of Python values per row.

    Raises
    ------
    QueryError
        An unknown query or parameter, a missing required parameter, or a bad value.
    """
    text, bindings = prepare(name, params)
    return store.select(text, bindings=bindings)


def _names(node):
    """Every parse-tree element name below `node` (rdflib's pyparsing results)."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        yield node.name
        for value in node.values():
            yield from _names(value)
    elif isinstance(node, (list, ParseResults)):
        for value in node:
            yield from _names(value)


def check_user_query(text):
    """Refuse a user's SPARQL text unless it is a plain read of this store.

    Allowed are SELECT, ASK, CONSTRUCT and DESCRIBE over the store; refused are updates
    (``DROP``, ``INSERT``, ``LOAD`` …), ``SERVICE`` (it would make the process connect to
    any URL) and ``FROM``/``FROM NAMED`` (which could name files or URLs). Datasette's
    `validate_sql_select` is the model.

    Returns
    -------
    str
        The query form: ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``.

    Raises
    ------
    ReadOnlyError
        For an update.
    QueryError
        For anything else refused, with the reason, before anything runs.

    Examples
    --------
    >>> check_user_query("SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    'SELECT'
    >>> check_user_query("DROP ALL")
    Traceback (most recent call last):
    ...
    knotenpunkt.graph.errors.ReadOnlyError: Nur lesende Abfragen (SELECT, ASK, CONSTRUCT, DESCRIBE) sind erlaubt, keine Änderungen.
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        tree = parseQuery(text)
    except ParseException as e:
        try:
            update = parseUpdate(text)
        except ParseException:
            raise QueryError("query_malformed", error=e) from None
        if "Load" in set(_names(update)):
            raise QueryError("query_load") from None
        raise ReadOnlyError("query_read_only") from None
    names = set(_names(tree))
    if "ServiceGraphPattern" in names:
        raise QueryError("query_service")
    if "DatasetClause" in names:
        raise QueryError("query_from")
    return tree[1].name.removesuffix("Query").upper()
