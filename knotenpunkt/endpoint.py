"""`knotenpunkt serve`: a read-only SPARQL 1.1 Protocol endpoint over the store.

A view like the CLI and the app: HTTP in, `graph.sandbox.QueryPool` out. Python's
``http.server`` is enough for a loopback service and adds no dependency.

- ``GET /sparql?query=…`` and ``POST /sparql`` (``application/x-www-form-urlencoded``
  or ``application/sparql-query``), content negotiation by ``Accept``;
- ``GET /sparql`` without a query: the service description (RDF), or the YASGUI query
  page for a browser; its scripts are served from ``/static/`` (no CDN);
- updates: 403; ``SERVICE``, ``LOAD``, ``FROM``/``FROM NAMED`` and the protocol's
  dataset parameters (in the body or the URL): 400, before anything runs
  (`graph.sandbox.check_query`);
- the limits of the settings ``query_time_limit_ms`` and ``query_memory_mb`` (503 when a
  query is stopped), ``max_returned_rows`` (header ``X-Knotenpunkt-Truncated``),
  ``max_request_bytes`` (413), ``idle_timeout_s`` (idle or slow connections are closed)
  and ``cors_origins``; at most two queries of one client run at once (429).

Every request gets a status line: an unexpected fault is a 500 with the connection
closed, and a request whose body was not read closes its connection, so the unread bytes
are never taken for the next request.
"""

import re
import sys
import threading
import time
from collections import Counter
from email.message import Message
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF

from knotenpunkt.graph.errors import QueryError, QueryTimeout, ReadOnlyError, ServiceLimitError
from knotenpunkt.graph.sandbox import GRAPH_TYPES, RESULT_TYPES, QueryPool, check_query
from knotenpunkt.graph.texts import text as catalogue_text

__all__ = ["make_server", "negotiate", "service_description"]

STATIC = Path(__file__).resolve().parent / "static"
_STATIC_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
                 ".html": "text/html; charset=utf-8"}
# Aliases clients send for the SPARQL result and RDF media types.
_ALIASES = {"application/json": "application/sparql-results+json", "application/xml": "application/sparql-results+xml",
            "text/xml": "application/sparql-results+xml", "text/tsv": "text/tab-separated-values",
            "application/x-turtle": "text/turtle", "text/plain": "application/n-triples",
            "application/json+ld": "application/ld+json"}
_CSP = ("default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "font-src 'self' data:; connect-src 'self'")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
_FORMATS = Namespace("http://www.w3.org/ns/formats/")
_EXPOSED = "X-Knotenpunkt-Truncated, X-Knotenpunkt-Rows, X-Knotenpunkt-Time-Ms"
_HOST = re.compile(r"[A-Za-z0-9.\-]+(?::\d{1,5})?|\[[0-9A-Fa-f:.]+\](?::\d{1,5})?")
_PER_CLIENT = 2  # queries of one client address running at once


def _say(key, **params):
    """The text ``http.<key>`` of the catalogue in the setting ``language``."""
    return catalogue_text("http." + key, **params)


def _accepted(header):
    """Media ranges of an Accept header with their q-values, best first (stable)."""
    ranges = []
    for position, part in enumerate((header or "*/*").split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if media:
            ranges.append((-q, position, _ALIASES.get(media.lower(), media.lower())))
    return [media for q, _, media in sorted(ranges) if q < 0]


def negotiate(accept, offered):
    """The first of `offered` (preferred first) that the Accept header allows, or None.

    Examples
    --------
    >>> negotiate("text/csv;q=0.5, application/json", ["text/turtle", "application/sparql-results+json", "text/csv"])
    'application/sparql-results+json'
    >>> negotiate("image/png", ["text/turtle"]) is None
    True
    """
    for media in _accepted(accept):
        if media == "*/*":
            return offered[0]
        if media.endswith("/*"):
            match = [o for o in offered if o.startswith(media[:-1])]
            if match:
                return match[0]
        elif media in offered:
            return media
    return None


def service_description(endpoint_url):
    """The SPARQL 1.1 Service Description of this endpoint as an rdflib graph."""
    g = Graph()
    g.bind("sd", SD)
    service = BNode()
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, URIRef(endpoint_url)))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                 "Turtle", "N-Triples", "JSON-LD", "RDF_XML"):
        g.add((service, SD.resultFormat, _FORMATS[name]))
    g.add((service, URIRef("http://purl.org/dc/terms/description"),
           Literal("Knotenpunkt: read-only SPARQL endpoint over the inventory of local integration work", lang="en")))
    return g


class _Handler(BaseHTTPRequestHandler):
    server_version = "Knotenpunkt"
    protocol_version = "HTTP/1.1"
    # Headers and body leave in two writes; with Nagle's algorithm the second waits for the client's
    # delayed ACK (40 ms on Linux) on every keep-alive request. TCP_NODELAY sends them at once.
    disable_nagle_algorithm = True

    # -- plumbing ---------------------------------------------------------------------

    def _send(self, status, body=b"", media_type="text/plain; charset=utf-8", headers=()):
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Content-Security-Policy", _CSP)
        origin = self.headers.get("Origin")
        if origin and origin in self.server.cors_origins:
            self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header("Access-Control-Expose-Headers", _EXPOSED)
            self.send_header("Vary", "Origin")
        for name, value in headers:
            self.send_header(name, value)
        if self._unread_body():
            self.close_connection = True  # the unread bytes must not be read as the next request
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self._answered = True

    def _unread_body(self):
        """Whether the request announced a body that was not read."""
        if self._body_read:
            return False
        return bool(self.headers.get("Transfer-Encoding")) or self.headers.get("Content-Length", "0").strip() not in ("", "0")

    def setup(self):
        self.timeout = self.server.idle_timeout  # idle and slow connections are closed
        super().setup()

    def handle_one_request(self):
        """One request, always answered: a fault becomes a 500 and closes the connection."""
        self._body_read = False
        self._answered = False
        try:
            super().handle_one_request()
        except (TimeoutError, ConnectionError):
            self.close_connection = True
        except Exception as e:  # noqa: BLE001 - the client gets a status line, the log the reason
            self.log_error("unexpected %s: %s", type(e).__name__, e)
            self.close_connection = True
            if not self._answered and getattr(self, "request_version", None):
                try:
                    self._error(HTTPStatus.INTERNAL_SERVER_ERROR, _say("internal_error"))
                except OSError:
                    pass

    def _error(self, status, message):
        self._send(status, f"{int(status)} {status.phrase}: {message}\n")

    def log_message(self, format, *args):  # one line per request on stderr, like every HTTP server
        sys.stderr.write(f"{self.address_string()} [{self.log_date_time_string()}] {format % args}\n")

    # -- methods ----------------------------------------------------------------------

    def do_GET(self):
        url = urlsplit(self.path)
        if url.path.startswith("/static/"):
            return self._static(url.path.removeprefix("/static/"))
        if url.path in ("", "/"):
            return self._send(HTTPStatus.FOUND, headers=[("Location", "/sparql")])
        if url.path != "/sparql":
            return self._error(HTTPStatus.NOT_FOUND, _say("not_found"))
        params = parse_qs(url.query, keep_blank_values=True)
        if "update" in params:
            return self._error(HTTPStatus.BAD_REQUEST, _say("update_by_get"))
        if "query" not in params:
            return self._description()
        self._query(params)

    do_HEAD = do_GET

    def do_POST(self):
        url = urlsplit(self.path)
        if url.path != "/sparql":
            return self._error(HTTPStatus.NOT_FOUND, _say("not_found"))
        if self.headers.get("Transfer-Encoding"):
            return self._error(HTTPStatus.LENGTH_REQUIRED, _say("no_chunked"))
        length = self.headers.get("Content-Length")
        if length is None:
            return self._error(HTTPStatus.LENGTH_REQUIRED, _say("no_length"))
        if not length.strip().isdigit():
            return self._error(HTTPStatus.BAD_REQUEST, _say("bad_length"))
        length = int(length)
        if length > self.server.max_request_bytes:
            return self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                               _say("too_large", limit=self.server.max_request_bytes))
        try:
            body = self.rfile.read(length)
        except TimeoutError:
            body = b""
        if len(body) < length:
            return self._error(HTTPStatus.REQUEST_TIMEOUT, _say("incomplete", seconds=self.server.idle_timeout))
        self._body_read = True
        in_url = parse_qs(url.query, keep_blank_values=True)
        content_type = self.headers.get("Content-Type")
        if not content_type:
            return self._error(HTTPStatus.BAD_REQUEST, _say("no_content_type"))
        header = Message()
        header["Content-Type"] = content_type
        media, charset = header.get_content_type(), (header.get_param("charset") or "utf-8").lower()
        if charset not in ("utf-8", "utf8"):
            return self._error(HTTPStatus.BAD_REQUEST, _say("charset", charset=charset))
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return self._error(HTTPStatus.BAD_REQUEST, _say("not_utf8"))
        if media == "application/x-www-form-urlencoded":
            try:
                params = parse_qs(text, keep_blank_values=True, strict_parsing=bool(text), errors="strict")
            except (ValueError, UnicodeDecodeError):
                return self._error(HTTPStatus.BAD_REQUEST, _say("bad_form"))
            if in_url:
                return self._error(HTTPStatus.BAD_REQUEST, _say("form_params_in_url", params=", ".join(sorted(in_url))))
            if "update" in params:
                if "query" in params or len(params["update"]) != 1:
                    return self._error(HTTPStatus.BAD_REQUEST, _say("one_operation"))
                return self._refuse_update(params["update"][0])
            return self._query(params)
        if media == "application/sparql-query":
            if "query" in in_url or "update" in in_url:
                return self._error(HTTPStatus.BAD_REQUEST, _say("query_twice"))
            return self._query({**in_url, "query": [text]})
        if media == "application/sparql-update":
            return self._refuse_update(text)
        return self._error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, _say("media_type", media=media))

    def do_OPTIONS(self):
        headers = [("Allow", "GET, HEAD, POST, OPTIONS")]
        if self.headers.get("Origin") in self.server.cors_origins:
            headers += [("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
                        ("Access-Control-Allow-Headers", "Content-Type, Accept"),
                        ("Access-Control-Max-Age", "600")]
        self._send(HTTPStatus.NO_CONTENT, headers=headers)

    def _not_allowed(self):
        self._send(HTTPStatus.METHOD_NOT_ALLOWED, _say("not_allowed") + "\n",
                   headers=[("Allow", "GET, HEAD, POST, OPTIONS")])

    do_PUT = do_DELETE = do_PATCH = _not_allowed

    # -- answers ----------------------------------------------------------------------

    def _query(self, params):
        queries = params.get("query", [])
        if len(queries) != 1:
            return self._error(HTTPStatus.BAD_REQUEST, _say("one_query"))
        if params.get("default-graph-uri") or params.get("named-graph-uri"):
            return self._error(HTTPStatus.BAD_REQUEST, _say("no_dataset"))
        text = queries[0]
        try:
            form = check_query(text)
        except ReadOnlyError as e:
            return self._error(HTTPStatus.FORBIDDEN, str(e))
        except QueryError as e:
            return self._error(HTTPStatus.BAD_REQUEST, str(e))
        offered = list(GRAPH_TYPES) if form in ("CONSTRUCT", "DESCRIBE") else list(RESULT_TYPES)
        media_type = negotiate(self.headers.get("Accept"), offered)
        if media_type is None:
            return self._error(HTTPStatus.NOT_ACCEPTABLE, _say("not_acceptable", offered=", ".join(offered)))
        start = time.monotonic()
        client = self.client_address[0]
        with self.server.running_lock:
            busy = self.server.running[client] >= _PER_CLIENT
            if not busy:
                self.server.running[client] += 1
        if busy:
            return self._error(HTTPStatus.TOO_MANY_REQUESTS, _say("too_many", count=_PER_CLIENT))
        try:
            answer = self.server.pool.run(text, media_type, checked=True)
        except (QueryTimeout, ServiceLimitError) as e:
            return self._error(HTTPStatus.SERVICE_UNAVAILABLE, str(e))
        except QueryError as e:
            return self._error(HTTPStatus.BAD_REQUEST, str(e))
        finally:
            with self.server.running_lock:
                self.server.running[client] -= 1
        headers = [("X-Knotenpunkt-Rows", str(answer.rows)),
                   ("X-Knotenpunkt-Time-Ms", f"{(time.monotonic() - start) * 1000:.0f}")]
        if answer.truncated:
            headers.append(("X-Knotenpunkt-Truncated", f"true; max_returned_rows={self.server.pool.max_rows}"))
        charset = "; charset=utf-8" if answer.media_type.startswith("text/") else ""
        self._send(HTTPStatus.OK, answer.body, answer.media_type + charset, headers)

    def _refuse_update(self, text):
        """Every update is refused: 403, or 400 when it is malformed or would LOAD from outside."""
        try:
            check_query(text)
        except ReadOnlyError as e:
            return self._error(HTTPStatus.FORBIDDEN, str(e))
        except QueryError as e:
            return self._error(HTTPStatus.BAD_REQUEST, str(e))
        self._error(HTTPStatus.BAD_REQUEST, _say("update_is_query"))

    def _description(self):
        media_type = negotiate(self.headers.get("Accept"), [*GRAPH_TYPES, "text/html"])  # */*: RDF, not the page
        if media_type == "text/html":
            return self._static("sparql.html")
        if media_type is None:
            return self._error(HTTPStatus.NOT_ACCEPTABLE, "Die Dienstbeschreibung gibt es als HTML oder RDF.")
        host = self.headers.get("Host", "")
        if not _HOST.fullmatch(host):
            host = f"{self.server.server_address[0]}:{self.server.server_address[1]}"
        fmt = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld",
               "application/rdf+xml": "xml"}[media_type]
        body = service_description(f"http://{host}/sparql").serialize(format=fmt, encoding="utf-8")
        self._send(HTTPStatus.OK, body, media_type)

    def _static(self, name):
        file = (STATIC / name).resolve()
        if file.parent != STATIC or not file.is_file() or file.suffix not in _STATIC_TYPES:
            return self._error(HTTPStatus.NOT_FOUND, _say("no_file"))
        self._send(HTTPStatus.OK, file.read_bytes(), _STATIC_TYPES[file.suffix],
                   headers=[("Cache-Control", "max-age=3600")])


class _Server(ThreadingHTTPServer):
    daemon_threads = True


def make_server(store_path, *, host, port, time_limit_ms, max_rows, max_request_bytes, cors_origins="",
                personal_data=False, workers=2, idle_timeout_s=30, memory_mb=None):
    """Create the endpoint's HTTP server (not yet serving) and its query workers.

    Parameters
    ----------
    store_path : str or pathlib.Path
        The on-disk store; the workers read it and follow every committed import.
    host, port :
        Where to listen; port 0 picks a free one (``server.server_address``).
    time_limit_ms, max_rows, max_request_bytes, cors_origins, personal_data, idle_timeout_s :
        The settings of the same names.
    memory_mb : int, optional
        Setting ``query_memory_mb`` (default: the setting).

    Returns
    -------
    http.server.ThreadingHTTPServer
        Call ``serve_forever()``; ``server.pool.close()`` stops the workers.
    """
    server = _Server((host, port), _Handler)
    server.pool = QueryPool(store_path, time_limit_ms=time_limit_ms, max_rows=max_rows,
                            personal_data=personal_data, workers=workers, memory_mb=memory_mb)
    server.idle_timeout = idle_timeout_s
    server.running = Counter()
    server.running_lock = threading.Lock()
    server.max_request_bytes = max_request_bytes
    server.cors_origins = {o.strip() for o in cors_origins.split(",") if o.strip()}
    return server
