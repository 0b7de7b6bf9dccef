"""`knotenpunkt serve`: a read-only SPARQL 1.1 Protocol endpoint over the store.

A view like the CLI and the app: HTTP in, `graph.sandbox.AsyncQueryPool` out. One asyncio event
loop (standard library, no dependency) reads every connection and waits on the query workers'
pipes, so no thread is held per connection or per query (decision note
``docs/decisions/20261205-endpoint-event-loop.md``).

- ``GET /sparql?query=…`` and ``POST /sparql`` (``application/x-www-form-urlencoded``
  or ``application/sparql-query``), content negotiation by ``Accept``;
- ``GET /sparql`` without a query: the service description (RDF), or the YASGUI query
  page for a browser; its scripts are served from ``/static/`` (no CDN);
- updates: 403; ``SERVICE``, ``LOAD``, ``FROM``/``FROM NAMED`` and the protocol's
  dataset parameters (in the body or the URL): 400, before anything runs
  (`graph.sandbox.check_query`; a text the quick check cannot decide is parsed in a thread);
- the limits of the settings ``query_time_limit_ms`` and ``query_memory_mb`` (503 when a
  query is stopped), ``max_returned_rows`` (header ``X-Knotenpunkt-Truncated``),
  ``max_request_bytes`` (413), ``idle_timeout_s`` (a request must arrive completely within it,
  else 408, and idle connections are closed) and ``cors_origins``; at most two queries of one
  client run at once (429).

Every request gets a status line: a request line or header that is not HTTP/1.1 is a 400 (431
when the head is too long, 505 for another version), an unexpected fault a 500, each with the
connection closed; a request whose body was not read closes its connection, so the unread
bytes are never taken for the next request. The requests of one connection are answered in turn.
"""

import asyncio
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from email.message import Message
from email.utils import formatdate
from functools import lru_cache
from http import HTTPStatus
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF

from knotenpunkt.graph.errors import QueryError, QueryTimeout, ReadOnlyError, ServiceLimitError
from knotenpunkt.graph.sandbox import GRAPH_TYPES, RESULT_TYPES, AsyncQueryPool, check_query, check_query_quickly
from knotenpunkt.graph.texts import text as catalogue_text

__all__ = ["Server", "make_server", "negotiate", "service_description"]

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
_MAX_HEAD = 65_536  # bytes of request line and headers together
_MAX_HEADERS = 100
_HEAD_END = re.compile(rb"\r?\n\r?\n")
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")  # a method or header name (RFC 9110 §5.6.2)
_CTL = re.compile(r"[\x00-\x20\x7f]")  # never in a request target
# Control characters escaped in the log (as http.server does): one unambiguous line per request.
_LOGGED = str.maketrans({"\\": "\\\\", **{c: f"\\x{c:02x}" for c in (*range(0x20), *range(0x7f, 0xa0))}})
_VERSION = re.compile(r"HTTP/(\d)\.(\d)")
_ALLOW = "GET, HEAD, POST, OPTIONS"
_ONE_EACH = ("content-length", "transfer-encoding", "host")  # headers that may not come twice (framing, target)
_SWEEP_S = 0.25  # how often connections are checked for a request that did not arrive in time


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


# ----------------------------------------------------------------------------------------
# Reading requests

class _BadRequest(Exception):
    """A request that cannot be read as HTTP/1.1; answered with `status` and the connection closed."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


@dataclass
class _Request:
    """A request's head, and its body once read."""

    method: str = ""
    target: str = ""
    version: str = "HTTP/1.1"
    headers: dict = field(default_factory=dict)  # lower-case name → its (only or first) value
    line: str = "-"  # the request line, for the log
    body: bytes = None

    @property
    def unread_body(self):
        """Whether the request announced a body that was not read."""
        return self.body is None and ("transfer-encoding" in self.headers
                                      or self.headers.get("content-length", "0") not in ("", "0"))

    @property
    def keep_alive(self):
        """Whether the client wants the connection kept (HTTP/1.1 unless ``close``; HTTP/1.0 only with ``keep-alive``)."""
        tokens = {t.strip().lower() for t in self.headers.get("connection", "").split(",")}
        return "close" not in tokens and (self.version == "HTTP/1.1" or "keep-alive" in tokens)


def _read_head(head):
    r"""The request line and headers (bytes without the blank line) as a `_Request`.

    Strict where leniency would let two readers frame a request differently: a line must end in
    CRLF or LF (no other CR), header names are tokens directly followed by a colon (so no
    continuation lines), and ``Content-Length``, ``Transfer-Encoding`` and ``Host`` come at most once.

    Raises
    ------
    _BadRequest

    Examples
    --------
    >>> _read_head(b"GET /sparql HTTP/1.1\r\nHost: x\r\nAccept:  text/csv ").headers
    {'host': 'x', 'accept': 'text/csv'}
    >>> _read_head(b"GET /sparql HTTP/1.1\r\nHost: x\r\n continued")
    Traceback (most recent call last):
    ...
    knotenpunkt.endpoint._BadRequest: Die Anfragezeile oder eine Kopfzeile ist kein gültiges HTTP/1.1.
    """
    lines = [line.removesuffix(b"\r").decode("iso-8859-1") for line in head.split(b"\n")]
    if len(lines) > _MAX_HEADERS + 1:
        raise _BadRequest(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, _say("head_too_large", limit=_MAX_HEAD))
    parts = lines[0].split(" ")
    if len(parts) != 3 or not _TOKEN.fullmatch(parts[0]) or not parts[1] or _CTL.search(parts[1]):
        raise _BadRequest(HTTPStatus.BAD_REQUEST, _say("bad_request"))
    request = _Request(*parts, line=lines[0])
    if request.version not in ("HTTP/1.1", "HTTP/1.0"):
        newer = (match := _VERSION.fullmatch(request.version)) and int(match[1]) >= 2
        raise _BadRequest(HTTPStatus.HTTP_VERSION_NOT_SUPPORTED if newer else HTTPStatus.BAD_REQUEST, _say("version"))
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        name = name.lower()
        if not colon or not _TOKEN.fullmatch(name) or "\r" in line or "\0" in line \
                or (name in _ONE_EACH and name in request.headers):
            raise _BadRequest(HTTPStatus.BAD_REQUEST, _say("bad_request"))
        request.headers.setdefault(name, value.strip(" \t"))
    return request


@lru_cache(maxsize=1)
def _dates(second):
    """The ``Date`` header and the log's time of `second` (once per second)."""
    return formatdate(second, usegmt=True), time.strftime("%d/%b/%Y %H:%M:%S", time.localtime(second))


def _reply(status, body=b"", media_type="text/plain; charset=utf-8", headers=()):
    return status, body, media_type, headers


def _error(status, message):
    return _reply(status, f"{int(status)} {status.phrase}: {message}\n")


class _Connection(asyncio.Protocol):
    """One client connection: requests are read as they arrive and answered one after the other."""

    def __init__(self, server):
        self.server = server
        self.loop = server.loop
        self.transport = None
        self.client = None
        self.buffer = bytearray()
        self.busy = False  # a request is being answered; what arrives meanwhile waits in the buffer
        self.answering = None  # the task of the request being answered (the loop keeps only weak references)
        self.ended = False  # the client will send nothing more
        self.reading_answers = True  # False while the transport holds more than its limit of unsent answer bytes
        self.deadline = None  # loop time by which the awaited request (or body) must have arrived (`Server._sweep`)
        self.body_wanted = None  # (future, length) while an answer waits for its request's body

    # -- the transport's callbacks ----------------------------------------------------

    def connection_made(self, transport):
        self.transport = transport
        self.client = transport.get_extra_info("peername")[0]
        self.server.connections.add(self)
        self._wait()

    def data_received(self, data):
        self.buffer += data
        if self.body_wanted is not None:
            self._body_arrived()
        elif not self.busy:
            self._next()
        elif len(self.buffer) > _MAX_HEAD + self.server.max_request_bytes:
            self.transport.pause_reading()  # a client sending ahead waits until its earlier requests are answered

    def eof_received(self):
        self.ended = True
        if self.body_wanted is not None:
            self._body_arrived()
        elif not self.busy:
            self._next()
        return True  # keep the transport open for the answer

    def connection_lost(self, exc):
        self.server.connections.discard(self)

    def pause_writing(self):
        """The client does not read its answers: read no more requests, and close if it still does not in time."""
        self.reading_answers = False
        self.transport.pause_reading()
        self._wait()

    def resume_writing(self):
        self.reading_answers = True
        if not self.busy:
            self.transport.resume_reading()
            self._wait()
            self._next()

    # -- reading ----------------------------------------------------------------------

    def _wait(self):
        """Give what is awaited next (a request, head and body, or a body) `idle_timeout_s` to arrive."""
        self.deadline = self.loop.time() + self.server.idle_timeout

    def expire(self):
        """What was awaited did not come in time (`Server._sweep`): the client reading its answers (drop them and
        close), a request (408 if part of it came, else close) or a body (its answer is the 408)."""
        self.deadline = None
        if not self.reading_answers:
            self.transport.abort()
        elif self.transport.is_closing():
            return
        elif self.body_wanted is not None:
            waiter, _ = self.body_wanted
            waiter.done() or waiter.set_result(None)
        elif self.buffer.strip():
            self._send(_Request(), *_error(HTTPStatus.REQUEST_TIMEOUT,
                                           _say("incomplete", seconds=self.server.idle_timeout)), close=True)
        else:
            self.transport.close()

    def _next(self):
        """Answer the next request once its head has arrived; until then wait for more bytes."""
        if self.transport.is_closing():
            return
        del self.buffer[:len(self.buffer) - len(self.buffer.lstrip(b"\r\n"))]  # empty lines before a request
        end = _HEAD_END.search(self.buffer, 0, _MAX_HEAD + 4)
        try:
            if end is None:
                if len(self.buffer) > _MAX_HEAD:
                    raise _BadRequest(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, _say("head_too_large", limit=_MAX_HEAD))
                if self.ended:
                    self.transport.close()
                return
            request = _read_head(bytes(self.buffer[:end.start()]))
        except _BadRequest as e:
            self._send(_Request(), *_error(e.status, str(e)), close=True)
            return
        del self.buffer[:end.end()]
        self.deadline = None
        self.busy = True
        self.answering = self.loop.create_task(self._answer(request))

    async def _body(self, request, length):
        """The request's body of `length` bytes, or None when it did not arrive within `idle_timeout_s`."""
        if len(self.buffer) < length and not self.ended:
            if request.headers.get("expect", "").lower() == "100-continue" and request.version == "HTTP/1.1":
                self.transport.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            self.transport.resume_reading()
            waiter = self.loop.create_future()
            self.body_wanted = waiter, length
            self._wait()
            try:
                await waiter
            finally:
                self.body_wanted = self.deadline = None
        if len(self.buffer) < length:
            return None
        body = bytes(self.buffer[:length])
        del self.buffer[:length]
        return body

    def _body_arrived(self):
        waiter, length = self.body_wanted
        if (len(self.buffer) >= length or self.ended) and not waiter.done():
            waiter.set_result(None)

    # -- answering --------------------------------------------------------------------

    async def _answer(self, request):
        """Answer one request, always with a status line; then read the next."""
        close = False
        try:
            response = await self._respond(request)
        except Exception as e:  # noqa: BLE001 - the client gets a status line, the log the reason
            self._log(f"unexpected {type(e).__name__}: {e}")
            response, close = _error(HTTPStatus.INTERNAL_SERVER_ERROR, _say("internal_error")), True
        self.busy = False
        if self.transport.is_closing():
            return
        self._send(request, *response, close=close)
        if not self.transport.is_closing() and self.reading_answers:  # else `resume_writing` goes on
            self.transport.resume_reading()
            self._wait()
            self._next()

    def _send(self, request, status, body=b"", media_type="text/plain; charset=utf-8", headers=(), *, close=False):
        if isinstance(body, str):
            body = body.encode("utf-8")
        date, log_date = _dates(int(time.time()))
        lines = [f"HTTP/1.1 {int(status)} {status.phrase}", "Server: Knotenpunkt", f"Date: {date}",
                 f"Content-Type: {media_type}", f"Content-Length: {len(body)}", "X-Content-Type-Options: nosniff",
                 f"Content-Security-Policy: {_CSP}"]
        origin = request.headers.get("origin")
        if origin and origin in self.server.cors_origins:
            lines += [f"Access-Control-Allow-Origin: {origin}", f"Access-Control-Expose-Headers: {_EXPOSED}",
                      "Vary: Origin"]
        lines += [f"{name}: {value}" for name, value in headers]
        close = close or self.ended or request.unread_body or not request.keep_alive  # unread bytes are no request
        if close:
            lines.append("Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("iso-8859-1")
        self.transport.write(head if request.method == "HEAD" else head + body)
        sys.stderr.write(f'{self.client} [{log_date}] "{request.line.translate(_LOGGED)}" {int(status)} {len(body)}\n')
        if close:
            self.transport.close()

    def _log(self, message):
        sys.stderr.write(f"{self.client} [{_dates(int(time.time()))[1]}] {message.translate(_LOGGED)}\n")

    async def _respond(self, request):
        """The response to `request` as (status, body, media type, headers)."""
        url = urlsplit("/" + request.target.lstrip("/") if request.target.startswith("//") else request.target)
        if request.method in ("GET", "HEAD"):
            return await self._get(request, url)
        if request.method == "POST":
            return await self._post(request, url)
        if request.method == "OPTIONS":
            headers = [("Allow", _ALLOW)]
            if request.headers.get("origin") in self.server.cors_origins:
                headers += [("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
                            ("Access-Control-Allow-Headers", "Content-Type, Accept"),
                            ("Access-Control-Max-Age", "600")]
            return _reply(HTTPStatus.NO_CONTENT, headers=headers)
        if request.method in ("PUT", "DELETE", "PATCH"):
            return _reply(HTTPStatus.METHOD_NOT_ALLOWED, _say("not_allowed") + "\n", headers=[("Allow", _ALLOW)])
        return _error(HTTPStatus.NOT_IMPLEMENTED, _say("unknown_method", method=request.method))

    async def _get(self, request, url):
        if url.path.startswith("/static/"):
            return _static(url.path.removeprefix("/static/"))
        if url.path in ("", "/"):
            return _reply(HTTPStatus.FOUND, headers=[("Location", "/sparql")])
        if url.path != "/sparql":
            return _error(HTTPStatus.NOT_FOUND, _say("not_found"))
        params = parse_qs(url.query, keep_blank_values=True)
        if "update" in params:
            return _error(HTTPStatus.BAD_REQUEST, _say("update_by_get"))
        if "query" not in params:
            return self._description(request)
        return await self._query(request, params)

    async def _post(self, request, url):
        if url.path != "/sparql":
            return _error(HTTPStatus.NOT_FOUND, _say("not_found"))
        if "transfer-encoding" in request.headers:
            return _error(HTTPStatus.LENGTH_REQUIRED, _say("no_chunked"))
        length = request.headers.get("content-length")
        if length is None:
            return _error(HTTPStatus.LENGTH_REQUIRED, _say("no_length"))
        if not (length.isascii() and length.isdigit()):
            return _error(HTTPStatus.BAD_REQUEST, _say("bad_length"))
        length = int(length)
        if length > self.server.max_request_bytes:
            return _error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, _say("too_large", limit=self.server.max_request_bytes))
        request.body = await self._body(request, length)
        if request.body is None:
            return _error(HTTPStatus.REQUEST_TIMEOUT, _say("incomplete", seconds=self.server.idle_timeout))
        in_url = parse_qs(url.query, keep_blank_values=True)
        content_type = request.headers.get("content-type")
        if not content_type:
            return _error(HTTPStatus.BAD_REQUEST, _say("no_content_type"))
        header = Message()
        header["Content-Type"] = content_type
        media, charset = header.get_content_type(), (header.get_param("charset") or "utf-8").lower()
        if charset not in ("utf-8", "utf8"):
            return _error(HTTPStatus.BAD_REQUEST, _say("charset", charset=charset))
        try:
            text = request.body.decode("utf-8")
        except UnicodeDecodeError:
            return _error(HTTPStatus.BAD_REQUEST, _say("not_utf8"))
        if media == "application/x-www-form-urlencoded":
            try:
                params = parse_qs(text, keep_blank_values=True, strict_parsing=bool(text), errors="strict")
            except (ValueError, UnicodeDecodeError):
                return _error(HTTPStatus.BAD_REQUEST, _say("bad_form"))
            if in_url:
                return _error(HTTPStatus.BAD_REQUEST, _say("form_params_in_url", params=", ".join(sorted(in_url))))
            if "update" in params:
                if "query" in params or len(params["update"]) != 1:
                    return _error(HTTPStatus.BAD_REQUEST, _say("one_operation"))
                return await self._refuse_update(params["update"][0])
            return await self._query(request, params)
        if media == "application/sparql-query":
            if "query" in in_url or "update" in in_url:
                return _error(HTTPStatus.BAD_REQUEST, _say("query_twice"))
            return await self._query(request, {**in_url, "query": [text]})
        if media == "application/sparql-update":
            return await self._refuse_update(text)
        return _error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, _say("media_type", media=media))

    async def _check(self, text):
        """`check_query` without holding up the loop: a text the quick check cannot decide is parsed in a thread."""
        return check_query_quickly(text) or await self.loop.run_in_executor(None, check_query, text)

    async def _query(self, request, params):
        queries = params.get("query", [])
        if len(queries) != 1:
            return _error(HTTPStatus.BAD_REQUEST, _say("one_query"))
        if params.get("default-graph-uri") or params.get("named-graph-uri"):
            return _error(HTTPStatus.BAD_REQUEST, _say("no_dataset"))
        text = queries[0]
        try:
            form = await self._check(text)
        except ReadOnlyError as e:
            return _error(HTTPStatus.FORBIDDEN, str(e))
        except QueryError as e:
            return _error(HTTPStatus.BAD_REQUEST, str(e))
        offered = list(GRAPH_TYPES) if form in ("CONSTRUCT", "DESCRIBE") else list(RESULT_TYPES)
        media_type = negotiate(request.headers.get("accept"), offered)
        if media_type is None:
            return _error(HTTPStatus.NOT_ACCEPTABLE, _say("not_acceptable", offered=", ".join(offered)))
        start = time.monotonic()
        running = self.server.running
        if running[self.client] >= _PER_CLIENT:
            return _error(HTTPStatus.TOO_MANY_REQUESTS, _say("too_many", count=_PER_CLIENT))
        running[self.client] += 1
        try:
            answer = await self.server.pool.run(text, media_type)
        except (QueryTimeout, ServiceLimitError) as e:
            return _error(HTTPStatus.SERVICE_UNAVAILABLE, str(e))
        except QueryError as e:
            return _error(HTTPStatus.BAD_REQUEST, str(e))
        finally:
            running[self.client] -= 1
            if not running[self.client]:
                del running[self.client]
        headers = [("X-Knotenpunkt-Rows", str(answer.rows)),
                   ("X-Knotenpunkt-Time-Ms", f"{(time.monotonic() - start) * 1000:.0f}")]
        if answer.truncated:
            headers.append(("X-Knotenpunkt-Truncated", f"true; max_returned_rows={self.server.pool.max_rows}"))
        charset = "; charset=utf-8" if answer.media_type.startswith("text/") else ""
        return _reply(HTTPStatus.OK, answer.body, answer.media_type + charset, headers)

    async def _refuse_update(self, text):
        """Every update is refused: 403, or 400 when it is malformed or would LOAD from outside."""
        try:
            await self._check(text)
        except ReadOnlyError as e:
            return _error(HTTPStatus.FORBIDDEN, str(e))
        except QueryError as e:
            return _error(HTTPStatus.BAD_REQUEST, str(e))
        return _error(HTTPStatus.BAD_REQUEST, _say("update_is_query"))

    def _description(self, request):
        media_type = negotiate(request.headers.get("accept"), [*GRAPH_TYPES, "text/html"])  # */*: RDF, not the page
        if media_type == "text/html":
            return _static("sparql.html")
        if media_type is None:
            return _error(HTTPStatus.NOT_ACCEPTABLE, _say("description_formats"))
        host = request.headers.get("host", "")
        if not _HOST.fullmatch(host):
            host = "{}:{}".format(*self.server.server_address)
        fmt = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld",
               "application/rdf+xml": "xml"}[media_type]
        body = service_description(f"http://{host}/sparql").serialize(format=fmt, encoding="utf-8")
        return _reply(HTTPStatus.OK, body, media_type)


def _static(name):
    file = (STATIC / name).resolve()
    if file.parent != STATIC or not file.is_file() or file.suffix not in _STATIC_TYPES:
        return _error(HTTPStatus.NOT_FOUND, _say("no_file"))
    return _reply(HTTPStatus.OK, file.read_bytes(), _STATIC_TYPES[file.suffix], [("Cache-Control", "max-age=3600")])


class Server:
    """The endpoint: a listening socket served by one asyncio event loop, and its query workers.

    Attributes
    ----------
    server_address : tuple
        ``(host, port)`` it listens on.
    pool : graph.sandbox.AsyncQueryPool
    """

    def __init__(self, host, port, *, max_request_bytes, idle_timeout_s, cors_origins):
        self.max_request_bytes = max_request_bytes
        self.idle_timeout = idle_timeout_s
        self.cors_origins = cors_origins
        self.running = Counter()  # client address → its queries running
        self.connections = set()
        self.pool = None
        self.loop = asyncio.new_event_loop()
        self._listener = self.loop.run_until_complete(self.loop.create_server(lambda: _Connection(self), host, port))
        self.server_address = self._listener.sockets[0].getsockname()[:2]
        self.loop.call_soon(self._sweep)

    def _sweep(self):
        """Expire the connections whose awaited request did not arrive in time (one timer, not one per request)."""
        now = self.loop.time()
        for connection in [c for c in self.connections if c.deadline is not None and now >= c.deadline]:
            connection.expire()
        self.loop.call_later(_SWEEP_S, self._sweep)

    def serve_forever(self):
        """Answer requests until interrupted (KeyboardInterrupt)."""
        self.loop.run_until_complete(self._listener.serve_forever())

    def server_close(self):
        """Stop listening, end what is still running and close the loop (then close the pool)."""
        self._listener.close()
        tasks = asyncio.all_tasks(self.loop)
        for task in tasks:
            task.cancel()
        self.loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
        self.loop.close()


def make_server(store_path, *, host, port, time_limit_ms, max_rows, max_request_bytes, cors_origins="",
                personal_data=False, workers=2, idle_timeout_s=30, memory_mb=None):
    """Create the endpoint's server (listening, not yet serving) and its query workers.

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
    Server
        Call ``serve_forever()``, then ``server_close()``; ``server.pool.close()`` stops the workers.
    """
    server = Server(host, port, max_request_bytes=max_request_bytes, idle_timeout_s=idle_timeout_s,
                    cors_origins={o.strip() for o in cors_origins.split(",") if o.strip()})
    server.pool = AsyncQueryPool(store_path, time_limit_ms=time_limit_ms, max_rows=max_rows,
                                 personal_data=personal_data, workers=workers, memory_mb=memory_mb)
    return server
