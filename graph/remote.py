"""Server-backed mode: the store facade over any SPARQL 1.1 server instead of the embedded store.

Reads go to the server's query endpoint (SPARQL 1.1 Protocol), writes to its Graph Store
Protocol endpoint: each new version of a source is PUT as a graph of its own, then the
meta graph with the moved pointers is PUT in one request, then the old versions are
DELETEd — the same scheme as the embedded store, so an interrupted import leaves the
data as it was. Oxigraph server, Apache Jena Fuseki, GraphDB and QLever speak these
protocols; the tests run against ``oxigraph serve``. `SparqlBackend` is the backend the store
facade (`graph.store.Store`) runs over, beside the embedded ones of `graph.backend`.

Queries name the current graphs with ``default-graph-uri``/``named-graph-uri``, so no
server setting (union default graph) is needed. Query parameters are bound with a
``VALUES`` block at the start of the query's outer group pattern, their terms written
by oxigraph's N-Triples serialiser (never user text pasted into the query).
The side state (remembered mapping, organisation decisions, versions) lives on the server
too: each document is a graph of its own (``GRAPH.state/<name>/<digest>``, one
``kp:stateDocument`` literal) whose pointer moves in the same meta-graph PUT as the data.

A query stopped at Knotenpunkt's time limit is not stopped on the server: SPARQL 1.1 has
no cancel operation, and closing the connection does not end the evaluation in Oxigraph.
Users' queries are therefore bounded twice: in the query workers (`graph.sandbox`) the
socket gives up after ``query_time_limit_ms`` (`_Http.query_timeout`), and the server must
enforce a limit of its own (``oxigraph serve --timeout-s N``); `knotenpunkt serve` warns
when the setting ``backend_timeout_s`` does not say it does.
"""

import hashlib
import urllib.error
import urllib.parse
import urllib.request

import pyoxigraph as ox

from knotenpunkt.graph.backend import CURRENT_GRAPH, DIGEST, META_GRAPH, STATE_PREFIX, Backend
from knotenpunkt.graph.errors import QueryError, QueryTimeout, StoreError
from knotenpunkt.ontology.namespace import KP

__all__ = ["SparqlBackend", "bind_values"]

_STATE_DOCUMENT = ox.NamedNode(str(KP.stateDocument))

_TIMEOUT_S = 600


def _outer_brace(text):
    """Index of the first ``{`` of a query outside IRIs, strings and comments."""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            i = text.find("\n", i)
            if i < 0:
                break
        elif c == "<" and (end := text.find(">", i)) > 0 and not any(ch in text[i + 1:end] for ch in " \n\t{}\""):
            i = end
        elif c in "\"'":
            quote = text[i:i + 3] if text[i:i + 3] in ('"""', "'''") else c
            i += len(quote)
            while i < n and not text.startswith(quote, i):
                i += 2 if text[i] == "\\" else 1
            i += len(quote) - 1
        elif c == "{":
            return i
        i += 1
    raise QueryError("remote_no_where")


def bind_values(text, substitutions):
    """Bind variables by a VALUES block at the start of the outer group pattern.

    Parameters
    ----------
    text : str
    substitutions : dict
        pyoxigraph ``Variable`` → term.

    Examples
    --------
    >>> bind_values("SELECT ?x WHERE { ?x <p> ?y }", {ox.Variable("y"): ox.Literal('a"b')})
    'SELECT ?x WHERE { VALUES (?y) { ("a\\\\"b") } ?x <p> ?y }'
    """
    if not substitutions:
        return text
    at = _outer_brace(text) + 1
    names = " ".join(str(v) for v in substitutions)
    values = " ".join(str(t) for t in substitutions.values())
    return f"{text[:at]} VALUES ({names}) {{ ({values}) }}{text[at:]}"


class SparqlBackend(Backend):
    """The backend over a SPARQL 1.1 server: queries by the Protocol, writes by the Graph Store Protocol.

    Parameters
    ----------
    query_url : str
        The server's SPARQL query endpoint (setting ``sparql_endpoint``), e.g.
        ``http://localhost:7878/query`` for ``oxigraph serve``.
    graph_store_url : str, optional
        Its Graph Store Protocol endpoint (setting ``graph_store_endpoint``); by default
        the sibling path ``store`` of the query URL (Oxigraph's layout).
    """

    union_default = False  # every query names the current graphs: no server setting needed
    tidy = True  # a writer removes graphs no pointer refers to (left by an interrupted client)

    def __init__(self, query_url, graph_store_url=None):
        self.query_url = query_url
        self.graph_store_url = graph_store_url or urllib.parse.urljoin(query_url, "store")
        self.query_timeout = _TIMEOUT_S  # seconds; the query workers set their time limit

    def refresh(self):
        """Another client may have written: the facade asks for the current graphs again."""
        return True

    def _request(self, url, *, method="GET", data=None, headers=None, missing_ok=False, timeout=_TIMEOUT_S):
        """(media type, body) of the answer; (None, b"") for a 404 when `missing_ok` (a graph not there)."""
        request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.headers.get_content_type(), response.read()
        except urllib.error.HTTPError as e:
            if e.code == 404 and missing_ok:
                return None, b""
            detail = e.read().decode("utf-8", "replace")[:500]
            if e.code == 400:
                raise QueryError("remote_rejects", detail=detail) from None
            raise StoreError("remote_status", url=url, status=e.code, detail=detail) from None
        except TimeoutError:
            raise QueryTimeout("remote_timeout", url=url, seconds=f"{timeout:g}") from None
        except OSError as e:
            raise StoreError("remote_unreachable", url=url, error=e) from None

    def query(self, sparql, *, prefixes=None, substitutions=None, default_graph=None, named_graphs=None, union=False):
        """A query naming its graphs (`union` is not offered: the facade always passes the list)."""
        prologue = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in (prefixes or {}).items())
        form = [("query", prologue + bind_values(sparql, substitutions))]
        form += [("default-graph-uri", g.value) for g in default_graph or ()]
        form += [("named-graph-uri", g.value) for g in named_graphs or ()]
        media_type, body = self._request(
            self.query_url, method="POST", data=urllib.parse.urlencode(form).encode("utf-8"),
            headers={"Content-Type": "application/x-www-form-urlencoded",
                     "Accept": "application/sparql-results+json, application/n-triples;q=0.9"},
            timeout=self.query_timeout)
        if media_type in ("application/sparql-results+json", "application/json"):
            return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        return ox.parse(body, format=ox.RdfFormat.N_TRIPLES)

    def quads_for_pattern(self, subject, predicate, obj, graph):
        terms = [t if t is not None else ox.Variable(n) for t, n in ((subject, "s"), (predicate, "p"), (obj, "o"))]
        solutions = self.query(f"SELECT * WHERE {{ GRAPH {graph} {{ {' '.join(map(str, terms))} }} }}")
        for s in solutions:
            yield ox.Quad(*(s[n] if t is None else t for t, n in ((subject, "s"), (predicate, "p"), (obj, "o"))), graph)

    def named_graphs(self):
        return [s["g"] for s in self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")]

    def contains_named_graph(self, graph):
        return bool(self.query(f"ASK {{ GRAPH {graph} {{ }} }}"))

    def _graph_url(self, graph):
        return f"{self.graph_store_url}?{urllib.parse.urlencode({'graph': graph.value})}"

    def bulk_load(self, reader, *, to_graph):
        """Add triples to a graph (Graph Store Protocol POST), like oxigraph's bulk load."""
        self._request(self._graph_url(to_graph), method="POST", data=reader if isinstance(reader, bytes) else reader.read(),
                      headers={"Content-Type": "application/n-triples"})

    def put_graph(self, graph, ntriples):
        """Replace a graph's content in one request (Graph Store Protocol PUT)."""
        self._request(self._graph_url(graph), method="PUT", data=ntriples.encode("utf-8"),
                      headers={"Content-Type": "application/n-triples"})

    def get_graph(self, graph):
        return self._request(self._graph_url(graph), headers={"Accept": "application/n-triples"}, missing_ok=True)[1]

    def remove_graph(self, graph):
        self._request(self._graph_url(graph), method="DELETE", missing_ok=True)

    def switch_meta(self, keys, ntriples):
        """Move the pointers by replacing the meta graph in one Graph Store Protocol PUT (the commit point)."""
        moved = {str(k) for k in keys}
        old_versions = {str(q.object) for q in self.quads_for_pattern(None, CURRENT_GRAPH, None, META_GRAPH)
                        if str(q.subject) in moved}
        kept = [line for line in self.get_graph(META_GRAPH).decode("utf-8").splitlines()
                if line.strip() and not any(line.startswith(f"{k} {CURRENT_GRAPH} ") for k in moved)
                and not any(line.startswith(f"{v} {DIGEST} ") for v in old_versions)]
        self.put_graph(META_GRAPH, "\n".join([*kept, ntriples]))

    def read_side(self, name):
        """The current version of the side-state document `name`, or None."""
        key = ox.NamedNode(STATE_PREFIX + name)
        for pointer in self.quads_for_pattern(key, CURRENT_GRAPH, None, META_GRAPH):
            for q in self.quads_for_pattern(key, _STATE_DOCUMENT, None, pointer.object):
                return q.object.value
        return None

    def write_side(self, name, text):
        """PUT a new version of a side-state document; the facade moves its pointer with the data's.

        Returns
        -------
        tuple
            (key, version graph, digest), staged like a source.
        """
        key = STATE_PREFIX + name
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        version = ox.NamedNode(f"{key}/{digest[:16]}")
        self.put_graph(version, f"{ox.NamedNode(key)} {_STATE_DOCUMENT} {ox.Literal(text)} .")
        return key, version, digest

    def backup(self, target):
        raise StoreError("remote_backup")
