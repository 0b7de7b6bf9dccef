"""Run users' SPARQL queries with limits: read-only, no network, a time, memory and row cap.

Used by the SPARQL endpoint, the app's SPARQL page and the CLI's ``sparql``, so all follow
the same rules. Two walls keep a query from making any connection (decision note
``docs/decisions/20261205-no-outbound-queries.md``):

1. `check_query` refuses, before anything runs, every ``\\u``/``\\U`` escape (rdflib decodes
   them before parsing, oxigraph only inside strings, so the two would read different
   queries), every text in which the keyword ``SERVICE`` is followed by what could be its
   target (a lexical screen that needs no parser), and then what
   `graph.queries.check_user_query` refuses (updates, SERVICE, FROM).
2. The worker processes that evaluate queries over the embedded store run in a network
   namespace of their own (Linux ``unshare``): it has no interface but a loopback that is
   down, so even a query that got past the first wall cannot reach any address.

Each worker holds a read-only handle of the store and an address-space limit (setting
``query_memory_mb``). Oxigraph cannot interrupt a running query, so a query that
outlives the time limit is stopped by killing its worker; a fresh worker takes its place.
A small pool of workers keeps other clients answered meanwhile.

Results are serialised here, not by oxigraph, so that the row cap can cut them: at
most ``max_rows`` solutions or triples, with ``truncated`` set when there were more.
"""

import asyncio
import collections
import csv
import ctypes
import io
import json
import os
import pickle
import queue
import re
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from knotenpunkt.graph.errors import QueryError, QueryMemoryError, QueryTimeout, ServiceLimitError
from knotenpunkt.graph.queries import check_user_query
from knotenpunkt.graph.store import PREFIXES, open_store
from knotenpunkt.graph.texts import text

__all__ = ["Answer", "AsyncQueryPool", "QueryPool", "RESULT_TYPES", "GRAPH_TYPES", "BASE_IRI", "check_query",
           "check_query_quickly", "screen_query", "serialize_solutions", "close_network"]

BASE_IRI = "https://w3id.org/knotenpunkt/"  # relative IRIs in users' queries resolve against it
_ESCAPE = re.compile(r"\\[uU]")
_SEP = r"(?:\s|#[^\n\r]*)"  # whitespace or a comment (wider than SPARQL's: errs towards refusing)
# SERVICE, optionally SILENT, then the start of an IRI, a variable or a prefixed name.
_SERVICE = re.compile(rf"(?<![\w:?$])SERVICE{_SEP}*(?:SILENT{_SEP}*)?(?:[<?$:]|[^\W\d][\w.\-]*:)", re.I)

RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
_BOOLEAN_FORMATS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
                    "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}


@dataclass(frozen=True)
class Answer:
    """A serialised query answer."""

    media_type: str
    body: bytes
    rows: int
    truncated: bool


# ----------------------------------------------------------------------------------------
# The first wall: what may run

def screen_query(text):
    r"""Refuse a query text that could make the engine connect, without parsing it.

    Refused are ``\u``/``\U`` escapes anywhere (parsers disagree on where they apply)
    and the keyword ``SERVICE`` followed by an IRI, a variable or a prefixed name anywhere
    in the text, strings and comments included. A text that passes cannot name a SERVICE
    for any SPARQL parser, since without escapes the keyword must appear literally.

    Raises
    ------
    QueryError
        With the reason, in German.

    Examples
    --------
    >>> screen_query('SELECT ?t WHERE { ?m dct:title ?t FILTER(CONTAINS(?t, "Service für Familien")) }')
    >>> screen_query('SELECT * WHERE { BIND("a\\u0022" AS ?x) }')
    Traceback (most recent call last):
    ...
    knotenpunkt.graph.errors.QueryError: Unicode-Escapes (\u…, \U…) sind in Abfragen nicht erlaubt; bitte das Zeichen selbst schreiben.
    """
    if _ESCAPE.search(text):
        raise QueryError("query_unicode_escape")
    if _SERVICE.search(text):
        raise QueryError("query_service_anywhere")


# Words after which the full parse decides (updates, SERVICE, LOAD, FROM …): anywhere in the text, in any case,
# inside names, strings and comments too. A text without them cannot be an update or name a dataset or
# a service for any SPARQL parser (keywords have no escapes, and `\\u` escapes are refused before).
_FULL_CHECK_WORDS = ("from", "load", "service", "insert", "delete", "drop", "clear", "create", "add", "move", "copy",
                     "with", "using")
_FULL_CHECK = re.compile("|".join(_FULL_CHECK_WORDS), re.I)  # also Unicode letters that match under re.I ("ſ", "ı")
_IRI = r'<[^<>"{}|^`\\\x00-\x20]*>'
_SKIP = r"(?:\s|#[^\n\r]*(?:[\n\r]|$))*"
# The prologue (BASE, PREFIX) and the query form keyword, exactly as the grammar writes them.
_FORM = re.compile(rf"{_SKIP}(?:(?:BASE{_SKIP}{_IRI}|PREFIX{_SKIP}[^\s:#<]*:{_SKIP}{_IRI}){_SKIP})*"
                   rf"(SELECT|ASK|CONSTRUCT|DESCRIBE)(?![\w:])", re.I)
_NESTING = 100  # brackets beyond which the full parse decides (it refuses deep nesting with a message)
_PARSE_LOCK = threading.Lock()  # rdflib's SPARQL parser (pyparsing) is not thread-safe


def _quick_form(text):
    """The query form of a plain read, decided without a parser; None when the full check must decide.

    The text must contain none of `_FULL_CHECK_WORDS`, must start with a prologue and a form keyword,
    and must not nest deeply. Its syntax is then checked by the store's own parser when it runs
    (a syntax error is a `QueryError` there).
    """
    if _names_full_check_word(text) or text.count("{") + text.count("(") > _NESTING:
        return None
    match = _FORM.match(text)
    return match[1].upper() if match else None


def _names_full_check_word(text):
    """Whether one of `_FULL_CHECK_WORDS` occurs in `text` in any case (as ``_FULL_CHECK.search``).

    An ASCII text is lowered and searched for each word (2 µs against 20 µs for the
    case-insensitive alternation); any other text goes through the regular expression.
    """
    if text.isascii():
        lowered = text.lower()
        return any(word in lowered for word in _FULL_CHECK_WORDS)
    return _FULL_CHECK.search(text) is not None


@lru_cache(maxsize=512)
def _full_check(text):
    """`graph.queries.check_user_query` under a lock (rdflib's parser is not thread-safe), remembered by text:
    ``(form, None)`` or ``(None, exception)``."""
    try:
        with _PARSE_LOCK:
            return check_user_query(text), None
    except QueryError as e:
        return None, e
    except RecursionError:
        return None, QueryError("query_too_deep")
    except Exception as e:  # rdflib's parser fails on some valid SPARQL (e.g. TypeError on `-2.5`)
        return None, QueryError("query_uncheckable", error=type(e).__name__)


def check_query_quickly(text):
    """`screen_query`, then the form of a plain read; None when `check_query` must parse the text.

    For a caller that must not wait for the parser in line (the endpoint's event loop hands
    the rest to a thread).

    Raises
    ------
    QueryError
        As `screen_query`.

    Examples
    --------
    >>> check_query_quickly("ASK { ?s ?p ?o }")
    'ASK'
    >>> check_query_quickly("SELECT * FROM <http://example.org/> WHERE { ?s ?p ?o }") is None
    True
    """
    screen_query(text)
    return _quick_form(text)


def check_query(text):
    """Check a user's query: `screen_query`, then `graph.queries.check_user_query`.

    A plain read (no word that could start an update, SERVICE, LOAD or FROM anywhere in the text,
    a prologue and a query form) is recognised without parsing (`_quick_form`, microseconds); every
    other text is parsed by rdflib (milliseconds), and its verdict is remembered by text.

    Returns
    -------
    str
        The query form: ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``.

    Raises
    ------
    ReadOnlyError
        For an update.
    QueryError
        For anything else refused or unreadable (also when the checking parser itself fails).
    """
    if (form := check_query_quickly(text)) is not None:
        return form
    form, error = _full_check(text)
    if error is not None:
        raise error
    return form


# ----------------------------------------------------------------------------------------
# The second wall: workers without a network

_CLONE_NEWUSER, _CLONE_NEWNET = 0x10000000, 0x40000000


def close_network():
    """Move this process into a network namespace of its own, where no address is reachable.

    Tries ``unshare(CLONE_NEWNET)`` (allowed for root), then with a user namespace
    (allowed for ordinary users on most Linux systems). Must run before the process starts
    threads.

    Returns
    -------
    str or None
        None when the process is cut off, else why not.
    """
    if not sys.platform.startswith("linux"):
        return text("error.isolation_not_linux", platform=sys.platform)
    libc = ctypes.CDLL(None, use_errno=True)
    uid, gid = os.getuid(), os.getgid()
    if libc.unshare(_CLONE_NEWNET) == 0:
        return None
    if libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET) != 0:
        return f"unshare: {os.strerror(ctypes.get_errno())}"
    try:  # keep the own user and group ids inside the new user namespace (the store's files)
        Path("/proc/self/setgroups").write_text("deny")
        Path("/proc/self/uid_map").write_text(f"{uid} {uid} 1")
        Path("/proc/self/gid_map").write_text(f"{gid} {gid} 1")
    except OSError as e:
        return f"uid_map: {e}"
    return None


def _limit_memory(megabytes):
    """Cap this process's address space (setting ``query_memory_mb``); 0 leaves it open."""
    import resource

    if megabytes > 0:
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


# ----------------------------------------------------------------------------------------
# Serialisation of solutions (SPARQL 1.1 Query Results JSON, XML, CSV and TSV)

def _json_term(term):
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = term.datatype.value
        return out
    return {"type": "literal", "value": str(term)}  # RDF-star triple terms: their N-Triples text


def _xml_term(term):
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


def _csv_value(term):
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return term.value if isinstance(term, (ox.NamedNode, ox.Literal)) else str(term)


def serialize_solutions(variables, rows, fmt):
    """Serialise solutions as SPARQL results in `fmt` (json, xml, csv or tsv).

    Parameters
    ----------
    variables : list of str
        Variable names without ``?``.
    rows : list of list
        One list of pyoxigraph terms (or None where unbound) per solution.
    fmt : str

    Examples
    --------
    >>> serialize_solutions(["x"], [[ox.Literal("a")]], "csv")
    b'x\\r\\na\\r\\n'
    """
    if fmt == "json":
        bindings = [{v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None} for row in rows]
        return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}},
                          ensure_ascii=False).encode("utf-8")
    if fmt == "xml":
        out = ['<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">',
               "<head>", *(f"<variable name={quoteattr(v)}/>" for v in variables), "</head><results>"]
        for row in rows:
            out.append("<result>" + "".join(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                                            for v, t in zip(variables, row, strict=True) if t is not None) + "</result>")
        out.append("</results></sparql>")
        return "\n".join(out).encode("utf-8")
    if fmt == "csv":
        text = io.StringIO(newline="")
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow(variables)
        writer.writerows([_csv_value(t) for t in row] for row in rows)
        return text.getvalue().encode("utf-8")
    if fmt == "tsv":
        lines = ["\t".join("?" + v for v in variables)]
        lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise ValueError(f"unknown results format {fmt!r}")


def evaluate(store, text, media_type, max_rows, bindings=None):
    """Evaluate a checked query on `store` and serialise at most `max_rows` results.

    Parameters
    ----------
    store : graph.store.Store
    text : str
        The query (already passed `check_user_query`).
    media_type : str
        A key of `RESULT_TYPES` for SELECT/ASK, or of `GRAPH_TYPES` for CONSTRUCT/DESCRIBE;
        a mismatching kind falls back to JSON results or Turtle.
    max_rows : int
    bindings : dict, optional
        Parameter values of a canned query (see `graph.store.Store.query`).
    """
    result = store.query(f"BASE <{BASE_IRI}>\n{text}", bindings=bindings)
    if isinstance(result, ox.QueryBoolean):
        media_type = media_type if media_type in RESULT_TYPES else "application/sparql-results+json"
        return Answer(media_type, result.serialize(format=_BOOLEAN_FORMATS[RESULT_TYPES[media_type]]), 1, False)
    if isinstance(result, ox.QuerySolutions):
        media_type = media_type if media_type in RESULT_TYPES else "application/sparql-results+json"
        variables = [v.value for v in result.variables]
        rows = []
        for solution in result:
            if len(rows) == max_rows:
                return Answer(media_type, serialize_solutions(variables, rows, RESULT_TYPES[media_type]), len(rows), True)
            rows.append([solution[v] for v in variables])
        return Answer(media_type, serialize_solutions(variables, rows, RESULT_TYPES[media_type]), len(rows), False)
    media_type = media_type if media_type in GRAPH_TYPES else "text/turtle"
    triples, truncated = [], False
    for triple in result:
        if len(triples) == max_rows:
            truncated = True
            break
        triples.append(triple)
    body = ox.serialize(triples, format=GRAPH_TYPES[media_type],
                        prefixes=PREFIXES if media_type == "text/turtle" else None)
    return Answer(media_type, body, len(triples), truncated)


# ----------------------------------------------------------------------------------------
# The worker pool

_TICK_S = 0.05  # how often `AsyncQueryPool` looks for what is late
_LENGTH = struct.Struct("!Q")  # each message on a worker's pipes: its length, then its pickle


def _message(obj):
    """`obj` framed for a worker's pipe: length, then pickle."""
    payload = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    return _LENGTH.pack(len(payload)) + payload


def _serve_requests(store_path, personal_data, memory_mb=0, isolation=None):
    """Worker process: answer (text, media type, max rows, bindings) requests framed by `_message` on stdin.

    `isolation` is why the worker could not cut itself off the network (None: it did); the
    first message tells the pool.
    """
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # whatever a library prints goes to stderr, not into the answers
    store = open_store(store_path, personal_data=personal_data)
    if hasattr(store._ox, "query_timeout"):  # server-backed: give up on the server's answer at the time limit
        from knotenpunkt.graph.settings import get_setting

        store._ox.query_timeout = get_setting("query_time_limit_ms") / 1000 + 2
    _limit_memory(memory_mb)
    out.write(_message(("ready", isolation)))
    out.flush()
    while len(head := sys.stdin.buffer.read(_LENGTH.size)) == _LENGTH.size:
        text, media_type, max_rows, bindings = pickle.loads(sys.stdin.buffer.read(_LENGTH.unpack(head)[0]))
        try:
            answer = evaluate(store, text, media_type, max_rows, bindings)
            reply = ("ok", answer.media_type, answer.body, answer.rows, answer.truncated)  # plain values pickle fastest
        except QueryError as e:
            reply = ("error", e.key, e.params)
        except MemoryError:
            reply = ("memory", "")
        except Exception as e:  # an oxigraph evaluation error (type errors, I/O): the client's 400
            reply = ("error", "query_not_evaluable", {"error": str(e)})
        out.write(_message(reply))
        out.flush()


class _Worker:
    """One worker process (``python -m knotenpunkt.graph.sandbox``), spoken to by framed pickles over its stdin/stdout.

    A fresh interpreter, not a fork (a forked store handle is unsafe) and not multiprocessing's
    spawn (which would re-run the parent's main script, e.g. the Streamlit app). Its answers
    are read with `recv` (blocking, for `QueryPool`) or, once `watch` hands its pipe to an
    event loop, as futures from `next_message` (for `AsyncQueryPool`).
    """

    def __init__(self, store_path, personal_data, memory_mb=0, isolate="isolate", time_limit_ms=10_000):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "knotenpunkt.graph.sandbox", str(store_path), "1" if personal_data else "0", str(memory_mb),
             isolate],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0, cwd=Path(__file__).resolve().parent.parent,
            env={**os.environ, "KNOTENPUNKT_QUERY_TIME_LIMIT_MS": str(time_limit_ms)})
        self.started = False
        self.isolation = None  # why the worker is not cut off the network (None: it is)
        self._fd = self.process.stdout.fileno()
        self._received = bytearray()
        self._ended = False  # the worker closed its end of the pipe
        self._loop = None
        self._waiter = None

    def send(self, message):
        data = memoryview(_message(message))
        while data:  # the pipe blocks until the worker, waiting for a request, has read it
            data = data[self.process.stdin.write(data):]

    def _take(self):
        """The next complete message received, or None."""
        if len(self._received) < _LENGTH.size:
            return None
        end = _LENGTH.size + _LENGTH.unpack_from(self._received)[0]
        if len(self._received) < end:
            return None
        message = pickle.loads(self._received[_LENGTH.size:end])
        del self._received[:end]
        return message

    def _read(self):
        """Read what the pipe holds; False once the worker has closed it."""
        try:
            data = os.read(self._fd, 1 << 20)
        except BlockingIOError:
            return True
        self._received += data
        self._ended = not data
        return bool(data)

    def recv(self, deadline=None):
        """The next message, waiting until `deadline` (``time.monotonic()``); None when it passed first.

        Raises
        ------
        EOFError
            The worker is gone.
        """
        while (message := self._take()) is None:
            timeout = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not select.select([self._fd], [], [], timeout)[0]:
                return None
            if not self._read():
                raise EOFError
        return message

    def watch(self, loop):
        """Read the pipe from now on in `loop`'s callbacks (once per worker)."""
        if self._loop is None:
            self._loop = loop
            os.set_blocking(self._fd, False)
            loop.add_reader(self._fd, self._readable)

    def unwatch(self):
        """Stop reading the pipe in the event loop (before the worker is stopped)."""
        if self._loop is not None and not self._loop.is_closed():
            self._loop.remove_reader(self._fd)

    def _readable(self):
        if not self._read():
            self._loop.remove_reader(self._fd)
        if self._waiter is not None and not self._waiter.done():
            if (message := self._take()) is not None:
                self._waiter.set_result(message)
            elif self._ended:
                self._waiter.set_exception(EOFError())

    def next_message(self):
        """A future of the worker's next message, read in the event loop's callbacks (see `watch`).

        It raises EOFError when the worker is gone; its owner may resolve it with None when a
        deadline passes first.
        """
        future = self._loop.create_future()
        if (message := self._take()) is not None:
            future.set_result(message)
        elif self._ended:
            future.set_exception(EOFError())
        else:
            self._waiter = future
        return future

    def ready(self, message):
        """Take the worker's first message (None: it did not come in time)."""
        if message is None:
            raise QueryError("query_worker_start")
        _, self.isolation = message
        self.started = True

    def wait_ready(self, timeout):
        if not self.started:
            self.ready(self.recv(time.monotonic() + timeout))

    def ran_out_of_memory(self):
        """Whether the (dead) worker was ended by its memory limit (an abort on a failed allocation)."""
        try:
            code = self.process.wait(2)
        except subprocess.TimeoutExpired:
            return False
        return code in (-signal.SIGABRT, -signal.SIGSEGV, -signal.SIGBUS)

    def stop(self):
        self.process.kill()
        self.process.wait(5)
        self.process.stdin.close()
        self.process.stdout.close()


class _Pool:
    """What `QueryPool` and `AsyncQueryPool` share: the settings, starting and stopping workers, reading replies."""

    def __init__(self, store_path, *, time_limit_ms=10_000, max_rows=10_000, personal_data=False, workers=2,
                 memory_mb=None, isolation=None):
        from knotenpunkt.graph.settings import get_setting

        self.store_path = str(Path(store_path).resolve())  # the workers run in another directory
        self.time_limit = time_limit_ms / 1000
        self.max_rows = max_rows
        self.personal_data = personal_data
        self.memory_mb = get_setting("query_memory_mb") if memory_mb is None else memory_mb
        self.isolation = get_setting("query_network_isolation") if isolation is None else isolation
        self.remote = bool(get_setting("sparql_endpoint"))
        self.max_workers = 2 * workers + 2
        self._lock = threading.Lock()
        self._count = 0
        open_store(self.store_path).close()  # create a missing store once, not in racing workers
        for _ in range(workers):
            self._release(self._spawn())

    def _spawn(self):
        with self._lock:
            self._count += 1
        return _Worker(self.store_path, self.personal_data, self.memory_mb,
                       isolate="off" if self.isolation == "off" else "remote" if self.remote else "isolate",
                       time_limit_ms=int(self.time_limit * 1000))

    def _retire(self, worker):
        if worker is None:
            return
        worker.stop()
        with self._lock:
            self._count -= 1

    def _check_isolation(self, worker):
        if worker.isolation is not None and self.isolation == "required":
            raise ServiceLimitError("query_isolation", isolation=worker.isolation)

    def _timeout(self):
        return QueryTimeout("query_time_limit", seconds=f"{self.time_limit:g}")

    def _memory_error(self):
        return QueryMemoryError("query_memory", memory_mb=self.memory_mb)

    def _answer(self, reply):
        """The `Answer` of a worker's reply, or the error it reports."""
        status, *payload = reply
        if status == "memory":
            raise self._memory_error()
        if status == "error":
            raise QueryError(payload[0], **payload[1])
        return Answer(*payload)


class QueryPool(_Pool):
    """Worker processes answering read-only queries over an on-disk store, with limits.

    Callers in any thread wait for their answer (the app's SPARQL page, the CLI); the
    endpoint's event loop uses `AsyncQueryPool`.

    Parameters
    ----------
    store_path : str or pathlib.Path
    time_limit_ms, max_rows : int
        Settings ``query_time_limit_ms`` and ``max_returned_rows``.
    personal_data : bool
        Setting ``include_personal_data``.
    workers : int
        Workers kept ready; when all are busy, up to ``2 * workers + 2`` run at once, so that
        cheap queries are still answered while runaways run into the time limit.
    memory_mb : int, optional
        Address-space limit of each worker (setting ``query_memory_mb``).
    isolation : str, optional
        Setting ``query_network_isolation``: ``auto`` (cut the workers off the network where
        the system allows it), ``required`` (refuse to answer otherwise) or ``off``. Workers
        that query a SPARQL server (setting ``sparql_endpoint``) need the network.

    Examples
    --------
    >>> import tempfile
    >>> pool = QueryPool(tempfile.mkdtemp(), time_limit_ms=5000, max_rows=10)
    >>> pool.run("ASK { ?s ?p ?o }").body
    b'{"head":{},"boolean":true}'
    >>> pool.close()
    """

    def __init__(self, store_path, **options):
        self._idle = queue.LifoQueue()
        super().__init__(store_path, **options)

    @property
    def isolated(self):
        """Whether the workers are cut off the network (asks a worker; None while none has started)."""
        worker = self._acquire(time.monotonic() + self.time_limit)
        try:
            worker.wait_ready(30.0)
            return worker.isolation is None
        finally:
            self._release(worker)

    def _release(self, worker):
        self._idle.put(worker)

    def _acquire(self, deadline):
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            can_grow = self._count < self.max_workers
        if can_grow:
            return self._spawn()
        try:
            return self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise QueryTimeout("query_workers_busy") from None

    def run(self, text, media_type="application/sparql-results+json", *, checked=False, bindings=None):
        """Check (unless the caller did) and evaluate a user's query within the limits.

        `bindings` are the parameter values of a canned query (picklable Python values).
        The lexical screen (`screen_query`) runs even when the caller checked.

        Returns
        -------
        Answer

        Raises
        ------
        QueryTimeout
            The query took longer than the time limit (it was stopped).
        QueryMemoryError
            The query needed more memory than a worker may use (it was stopped).
        ServiceLimitError
            The workers cannot be cut off the network and the setting requires it.
        QueryError
            The query is not allowed or not valid.
        """
        if checked:
            screen_query(text)
        else:
            check_query(text)
        worker = self._acquire(time.monotonic() + self.time_limit)
        try:
            worker.wait_ready(30.0)  # a fresh worker needs a moment to open the store
            self._check_isolation(worker)
            worker.send((text, media_type, self.max_rows, bindings))
            reply = worker.recv(time.monotonic() + self.time_limit)
            if reply is None:
                self._retire(worker)
                worker = self._spawn()  # a fresh one takes its place (it starts while we answer)
                raise self._timeout()
        except (EOFError, OSError, pickle.UnpicklingError):
            memory = worker.ran_out_of_memory()
            self._retire(worker)
            worker = None
            if memory:
                raise self._memory_error() from None
            raise QueryError("query_worker_crashed") from None
        finally:
            if worker is not None:
                self._release(worker)
        return self._answer(reply)

    def close(self):
        """Stop every worker."""
        while True:
            try:
                self._retire(self._idle.get_nowait())
            except queue.Empty:
                return


class AsyncQueryPool(_Pool):
    """`QueryPool` for one asyncio event loop (the endpoint): the same workers and limits, and no thread waits.

    Workers are taken last-in first-out (the one that answered last has the warmest caches).
    While the pool is below ``2 * workers + 2``, taking the last idle worker (or finding none)
    starts one more, which joins the idle ones when it is ready: a request takes whichever is
    free first and never waits for a start while another worker frees up sooner. Deadlines (the time limit, a free worker,
    a worker's start) are checked every `_TICK_S` while anything is awaited, not by a timer per
    request. The blocking steps of a worker's end (reaping a killed process) run in the loop's
    default executor.

    Parameters
    ----------
    store_path : str or pathlib.Path
    **options
        As for `QueryPool`.
    """

    def __init__(self, store_path, **options):
        self._idle = []
        self._waiting = collections.deque()  # futures of requests waiting for a worker
        self._deadlines = {}  # future → (deadline in loop time, what it gets once that passed)
        self._ticking = None
        super().__init__(store_path, **options)

    @property
    def isolated(self):
        """Whether the workers are cut off the network (asks an idle worker; call it before the loop runs)."""
        worker = self._idle[-1]
        worker.wait_ready(30.0)
        return worker.isolation is None

    def _expect(self, future, deadline, late=None):
        """Give `future` `late` (raised if it is an exception) unless it is done by `deadline` (see `_tick`)."""
        self._deadlines[future] = deadline, late
        if self._ticking is None:
            self._ticking = future.get_loop().call_later(_TICK_S, self._tick)

    async def _until(self, future, deadline, late=None):
        """What `future` gives, or `late` (raised if it is an exception) when `deadline` passes first."""
        self._expect(future, deadline, late)
        try:
            return await future
        finally:
            del self._deadlines[future]

    def _tick(self):
        now = asyncio.get_running_loop().time()
        for future, (deadline, late) in list(self._deadlines.items()):
            if now >= deadline and not future.done():
                if isinstance(late, BaseException):
                    future.set_exception(late)
                else:
                    future.set_result(late)
        self._ticking = asyncio.get_running_loop().call_later(_TICK_S, self._tick) if self._deadlines else None

    def _grow(self, loop):
        """Start one more worker; it joins the idle ones once it is ready."""
        worker = self._spawn()
        worker.watch(loop)
        ready = worker.next_message()
        self._expect(ready, loop.time() + 30.0)
        ready.add_done_callback(lambda _: self._join(loop, worker, ready))

    def _join(self, loop, worker, ready):
        del self._deadlines[ready]
        try:
            worker.ready(ready.result())
        except (QueryError, EOFError):  # it did not start in time, or died starting: the next request tries again
            worker.unwatch()
            loop.run_in_executor(None, self._retire, worker)
            return
        self._release(worker)

    def _release(self, worker):
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():
                waiter.set_result(worker)
                return
        self._idle.append(worker)

    async def _acquire(self, loop, deadline):
        if len(self._idle) <= 1 and self._count < self.max_workers:
            self._grow(loop)  # one ahead: the next request finds it ready
        if self._idle:
            return self._idle.pop()
        waiter = loop.create_future()
        self._waiting.append(waiter)
        try:
            return await self._until(waiter, deadline, QueryTimeout("query_workers_busy"))
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled() and waiter.exception() is None:
                self._release(waiter.result())
            raise

    async def _end(self, loop, worker):
        """Stop a worker without blocking the loop; whether its memory limit had ended it."""
        worker.unwatch()
        memory = await loop.run_in_executor(None, worker.ran_out_of_memory)
        await loop.run_in_executor(None, self._retire, worker)
        return memory

    async def run(self, text, media_type="application/sparql-results+json"):
        """Evaluate a user's query that passed `check_query`, within the limits (the screen runs again).

        Returns and raises as `QueryPool.run`.
        """
        screen_query(text)
        loop = asyncio.get_running_loop()
        worker = await self._acquire(loop, loop.time() + self.time_limit)
        worker.watch(loop)
        try:
            if not worker.started:  # one of the first workers, started before the loop ran
                worker.ready(await self._until(worker.next_message(), loop.time() + 30.0))
            self._check_isolation(worker)
            worker.send((text, media_type, self.max_rows, None))
            reply = await self._until(worker.next_message(), loop.time() + self.time_limit)
        except (EOFError, OSError, pickle.UnpicklingError):
            if await self._end(loop, worker):
                raise self._memory_error() from None
            raise QueryError("query_worker_crashed") from None
        except (QueryError, ServiceLimitError):  # it did not start in time, or may not answer: nothing was sent
            self._release(worker)
            raise
        except asyncio.CancelledError:  # the server stops; a reply may still come, so nobody gets this worker
            worker.unwatch()
            self._retire(worker)
            raise
        if reply is None:
            worker.process.kill()
            await self._end(loop, worker)
            self._grow(loop)  # a fresh one takes its place
            raise self._timeout()
        self._release(worker)
        return self._answer(reply)

    def close(self):
        """Stop every idle worker (after the event loop has stopped)."""
        while self._idle:
            self._retire(self._idle.pop())


if __name__ == "__main__":
    problem = {"isolate": close_network, "off": lambda: text("error.isolation_off"),
               "remote": lambda: text("error.isolation_remote")}[sys.argv[4]]()
    _serve_requests(sys.argv[1], sys.argv[2] == "1", int(sys.argv[3]), problem)
