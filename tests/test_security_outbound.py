"""No query, however written or escaped, makes a Knotenpunkt process open a connection.

A real listener socket counts connections while generated query variants go to the
endpoint, to the query workers the app's SPARQL page uses (`graph.sandbox.QueryPool`) and
to the CLI's ``sparql``. The second wall (workers in a network namespace of their own) is
tested on its own by handing a SERVICE query straight to a worker, past every check.
"""

import random
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from typer.testing import CliRunner

from knotenpunkt.graph.errors import QueryError
from knotenpunkt.graph.sandbox import QueryPool, check_query, close_network, screen_query
from knotenpunkt.graph.store import Store
from knotenpunkt.cli import app
from tests.test_endpoint import start_server


class Listener:
    """A TCP listener on 127.0.0.1 that counts the connections it accepts."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = False
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self):
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self):
        time.sleep(0.3)  # a connection attempt in flight still counts
        self._stop = True
        self._thread.join()
        self.sock.close()


@pytest.fixture
def listener():
    listener = Listener()
    yield listener
    listener.close()


def _escape(ch, rng):
    code = ord(ch)
    return rng.choice([f"\\u{code:04X}", f"\\u{code:04x}", f"\\U{code:08X}"])


def _escaped(text, rng, share=0.5):
    return "".join(_escape(ch, rng) if ch.isalpha() and rng.random() < share else ch for ch in text)


def query_variants(port, n=60, seed=16):
    """SERVICE queries aimed at the listener, written in many ways (escapes in strings, IRIs,
    keywords and comments; long strings; case; comments between tokens)."""
    rng = random.Random(seed)
    target = f"http://127.0.0.1:{port}/x"
    service = f"SERVICE <{target}> {{ ?a ?b ?c }}"
    fixed = [
        # the audit's finding: rdflib ends the string at \u0022, oxigraph keeps it inside
        f'SELECT * WHERE {{ BIND("a\\u0022 AS ?x) }} #" AS ?y) {service} }}',
        f"SELECT * WHERE {{ BIND('a\\u0027 AS ?x) }} #' AS ?y) {service} }}",
        f'SELECT * WHERE {{ BIND("""a\\u0022\\u0022\\u0022 AS ?x) }} #""" AS ?y) {service} }}',
        f"SELECT * WHERE {{ {service} }}",
        f"select * where {{ service silent <{target}> {{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o .SERVICE<{target}>{{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ SERVICE # comment\n <{target}> {{ ?a ?b ?c }} }}",
        f"PREFIX x: <http://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICE x:x {{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ BIND(<{target}> AS ?u) SERVICE ?u {{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE <{target}> {{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ SERVICE <\\u0068ttp://127.0.0.1:{port}/x> {{ ?a ?b ?c }} }}",
        f'SELECT * WHERE {{ BIND("{"x" * 5000}\\u0022 AS ?x) }} #" AS ?y) {service} }}',
    ]
    generated = []
    for _ in range(n):
        pieces = [rng.choice(["SELECT * WHERE {", "select * where {", "ASK {", "CONSTRUCT { ?a ?b ?c } WHERE {"]),
                  rng.choice(["", ' BIND("s\\u0022 AS ?q) } #" AS ?w)', " # SERVICE in a comment\n",
                              f' BIND("""{"y" * rng.randint(1, 3000)}""" AS ?l)']),
                  _escaped(service, rng, rng.random()),
                  "}"]
        generated.append(" ".join(pieces))
    return fixed + generated


def test_the_first_wall_refuses_every_variant_before_it_runs():
    for query in query_variants(1):
        with pytest.raises(QueryError):
            check_query(query)


def test_the_screen_lets_ordinary_queries_pass():
    for query in ['SELECT ?t WHERE { ?m dct:title ?t FILTER(CONTAINS(?t, "Service für Familien")) }',
                  "SELECT ?service WHERE { ?service a kp:Measure }",
                  'SELECT * WHERE { ?s ?p "C:\\\\Temp" }',
                  "SELECT * WHERE { ?s kp:serviceArea ?o }"]:
        screen_query(query)


def test_a_worker_cannot_connect_even_when_asked_directly(tmp_path, listener):
    """The second wall on its own: a SERVICE query handed to a worker past every check."""
    assert close_network.__doc__  # the wall exists on this platform
    pool = QueryPool(tmp_path / "store", time_limit_ms=5000, max_rows=10, workers=1)
    try:
        assert pool.isolated, "the query workers must run without network on Linux"
        worker = pool._acquire(time.monotonic() + 5)
        worker.wait_ready(30)
        worker.send((f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/x> {{ ?a ?b ?c }} }}",
                     "application/sparql-results+json", 10, None))
        status, *payload = worker.recv()  # an error comes as its catalogue key and values
        message = str(QueryError(payload[0], **payload[1])) if status == "error" else ""
        pool._idle.put(worker)
    finally:
        pool.close()
    assert status == "error" and "unreachable" in message
    listener.close()
    assert listener.connections == 0


def test_without_the_wall_the_listener_would_count_a_connection(listener):
    """The listener works: the same query in this (unwalled) process connects."""
    import pyoxigraph as ox

    with pytest.raises(OSError):
        list(ox.Store().query(f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/x> {{ ?a ?b ?c }} }}"))
    listener.close()
    assert listener.connections >= 1


def test_no_variant_connects_from_the_query_workers(tmp_path, listener):
    """The path of the app's SPARQL page: check, then the workers."""
    pool = QueryPool(tmp_path / "store", time_limit_ms=5000, max_rows=10, workers=1)
    try:
        for query in query_variants(listener.port):
            with pytest.raises(QueryError):
                pool.run(query)
    finally:
        pool.close()
    listener.close()
    assert listener.connections == 0


def test_no_variant_connects_from_the_endpoint(tmp_path, listener):
    Store(tmp_path / "store").close()
    process, url = start_server(tmp_path / "store")
    statuses = set()
    try:
        for query in query_variants(listener.port, n=40):
            for data in (urllib.parse.urlencode({"query": query}).encode(), query.encode()):
                kind = "application/x-www-form-urlencoded" if data != query.encode() else "application/sparql-query"
                request = urllib.request.Request(url + "/sparql", data=data, headers={"Content-Type": kind})
                try:
                    with urllib.request.urlopen(request, timeout=10) as response:
                        statuses.add(response.status)
                except urllib.error.HTTPError as e:
                    statuses.add(e.code)
    finally:
        process.terminate()
        process.wait(10)
    listener.close()
    assert listener.connections == 0
    assert statuses == {400}


def test_no_variant_connects_from_the_cli(tmp_path, listener):
    runner = CliRunner()
    store = str(tmp_path / "store")
    for query in query_variants(listener.port, n=10):
        result = runner.invoke(app, ["sparql", query, "--store", store])
        assert result.exit_code == 2, result.output
        assert "Fehler:" in result.output
    listener.close()
    assert listener.connections == 0
