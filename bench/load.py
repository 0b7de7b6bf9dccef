"""A bounded loopback load test of a SPARQL endpoint: ours (`knotenpunkt serve`, every guard on)
and Oxigraph's own server (`oxigraph serve-read-only`) on the same on-disk store.

Cheap queries are look-ups of one measure's title by its IRI, each request a different
measure (so no answer or parse can be reused). Both servers query the union of the store's
graphs, where the data is (Oxigraph's server with ``--union-default-graph``: without it, it
would answer every look-up from the empty default graph), and the first answer of each must
name the title. Each client holds one keep-alive connection from a loopback address of its
own (127.0.0.2, 127.0.0.3, …): our endpoint runs at most two queries per client address, as a
real deployment would see one user per address. A second phase runs the same cheap load while
one more client sends a heavy query (a count over every triple, grouped by property) in a loop,
and reports the cheap queries' p99.

Bounded: loopback only, a fixed number of requests, a time limit per request, and the
servers are stopped when the step ends.
"""

import http.client
import json
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

__all__ = ["run_load", "CLIENTS", "REQUESTS_PER_CLIENT"]

CLIENTS = 8
REQUESTS_PER_CLIENT = 150
HEAVY = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p"
CHEAP = "SELECT ?title WHERE {{ <{measure}> <http://purl.org/dc/terms/title> ?title }}"
_ACCEPT = "application/sparql-results+json"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(kind, store_dir, port):
    """Start an endpoint on `port` over `store_dir`; return the process once it answers."""
    if kind == "ours":  # this checkout's code (the installed console script may belong to another one)
        command = [sys.executable, "-m", "knotenpunkt.cli", "serve", "--store", str(store_dir), "--host", "127.0.0.1",
                   "--port", str(port)]
    else:
        oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
        command = [oxigraph, "serve-read-only", "--location", str(_oxigraph_dir(store_dir)), "--union-default-graph",
                   "--bind", f"127.0.0.1:{port}"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               cwd=Path(__file__).resolve().parent.parent)
    deadline = time.monotonic() + 60
    path = "/sparql" if kind == "ours" else "/query"
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", f"{path}?query={quote('ASK {}')}", headers={"Accept": _ACCEPT})
            if connection.getresponse().status == 200:
                return process, path
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"{kind} endpoint did not start")


def _oxigraph_dir(store_dir):
    """The RocksDB directory of the store's current generation (`graph.backend`), or of the earlier layout."""
    store_dir = Path(store_dir)
    pointer = store_dir / "CURRENT"
    if pointer.is_file():
        return store_dir / "generations" / pointer.read_text(encoding="utf-8").strip() / "oxigraph"
    return store_dir / "oxigraph"


def _client(number, port, path, queries, latencies, errors, stop=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30,
                                            source_address=(f"127.0.0.{2 + number}", 0))
    for query in queries:
        if stop is not None and stop.is_set():
            break
        start = time.perf_counter()
        try:
            connection.request("GET", f"{path}?query={quote(query)}", headers={"Accept": _ACCEPT})
            response = connection.getresponse()
            response.read()
            ok = response.status == 200
        except OSError:
            ok = False
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30,
                                                    source_address=(f"127.0.0.{2 + number}", 0))
        if stop is None:
            latencies.append(time.perf_counter() - start)
            errors.append(not ok)
    connection.close()


def _phase(port, path, measures, *, heavy):
    """Run the cheap load (and a heavy client when `heavy`); return (seconds, latencies, errors)."""
    latencies, errors, threads = [], [], []
    stop = threading.Event()
    heavy_thread = None
    if heavy:
        heavy_thread = threading.Thread(target=_client, args=(CLIENTS, port, path, [HEAVY] * 10_000, [], [], stop))
        heavy_thread.start()
        time.sleep(0.2)
    for c in range(CLIENTS):
        mine = [CHEAP.format(measure=measures[(c * REQUESTS_PER_CLIENT + i) % len(measures)])
                for i in range(REQUESTS_PER_CLIENT)]
        threads.append(threading.Thread(target=_client, args=(c, port, path, mine, latencies, errors)))
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - start
    stop.set()
    if heavy_thread:
        heavy_thread.join()
    return seconds, latencies, errors


def _check_answer(port, path, measure):
    """Fail unless the server finds the measure's title (both servers must do the same work)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", f"{path}?query={quote(CHEAP.format(measure=measure))}", headers={"Accept": _ACCEPT})
    bindings = json.loads(connection.getresponse().read())["results"]["bindings"]
    connection.close()
    if not bindings:
        raise RuntimeError(f"{path} found no title of {measure}")


def _percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else None


def run_load(kind, store_dir):
    """Run both phases against one endpoint; return the step's measurement."""
    from knotenpunkt.graph.store import Store

    store = Store(store_dir, read_only=True)
    measures = [r["m"] for r in store.select("SELECT ?m WHERE { ?m a kp:Measure } ORDER BY ?m LIMIT 5000")]
    store.close() if hasattr(store, "close") else None
    del store
    port = _free_port()
    process, path = _start(kind, store_dir, port)
    try:
        _check_answer(port, path, measures[0])
        _phase(port, path, measures[::-1], heavy=False)  # warm-up
        seconds, latencies, errors = _phase(port, path, measures, heavy=False)
        _, mixed, mixed_errors = _phase(port, path, measures, heavy=True)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
    ms = lambda v: round(v * 1000, 2)  # noqa: E731
    return {"requests": len(latencies), "errors": sum(errors), "requests_per_s": round(len(latencies) / seconds, 1),
            "p50_ms": ms(statistics.median(latencies)), "p99_ms": ms(_percentile(latencies, 0.99)),
            "with_heavy_p99_ms": ms(_percentile(mixed, 0.99)), "with_heavy_errors": sum(mixed_errors),
            "clients": CLIENTS, "seconds": seconds}
