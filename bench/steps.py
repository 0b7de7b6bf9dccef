"""Benchmark steps, each run in a fresh process by `bench.run`: ours and the naive baseline.

``python -m bench.steps STEP PATH`` runs one step once and prints one JSON line with
``seconds`` (wall clock of the step itself, not of the interpreter start; a step that
returns ``seconds`` times only its own part, e.g. the browser's first draw) and
``peak_mb`` (the process's peak resident memory).
"""

import json
import resource
import sys
import time
from pathlib import Path

__all__ = ["STEPS"]


def import_knotenpunkt(path, workdir):
    """Our import as `knotenpunkt import` does it: read, map, reconcile, validate (compiled SHACL), then
    stage the data in the on-disk store and commit."""
    begin = time.perf_counter()  # as the baseline's: its imports included
    from knotenpunkt.graph.store import Store
    from knotenpunkt.ingest.importer import commit_import, plan_import

    store = Store(Path(workdir) / "store")
    start = time.perf_counter()
    plan = plan_import([path], store)
    planned = time.perf_counter()
    commit_import(plan, store)
    written = time.perf_counter()
    return {"seconds": written - begin,  # the triples are counted after the clock stops
            "rows": plan.counts["rows"], "triples": sum(store.count_quads(str(iri)) for iri in plan.graphs),
            "read_and_map_s": round(planned - start, 2), "validate_and_write_s": round(written - planned, 2)}


def reimport_knotenpunkt(path, workdir):
    """The same workbook imported again into (a copy of) the store it was imported into: nothing to do."""
    import shutil
    import subprocess

    from knotenpunkt.graph.store import Store
    from knotenpunkt.ingest.importer import _unchanged_plan, import_files

    shutil.copytree(store_dir(path), Path(workdir) / "store", ignore=shutil.ignore_patterns("dump.nq"))
    store = Store(Path(workdir) / "store")
    current = _unchanged_plan([path], store, city=None, mapping=None, add=False) is not None
    store.close()
    if not current:  # made by other code: imported once more, in a child (its memory is not this step's)
        subprocess.run([sys.executable, "-c", "import sys; from knotenpunkt.graph.store import Store; "
                        "from knotenpunkt.ingest.importer import import_files; "
                        "import_files([sys.argv[1]], Store(sys.argv[2]))", str(path), str(Path(workdir) / "store")],
                       check=True)
    start = time.perf_counter()
    store = Store(Path(workdir) / "store")
    plan = import_files([path], store)
    seconds = time.perf_counter() - start
    return {"rows": plan.counts["rows"], "unchanged": bool(plan.report.get("unchanged")),
            "changed": len(plan.report["changed"]), "seconds": seconds}


def import_naive(path, workdir):
    """The naive importer (`bench.naive`): pandas reads, a plain label lookup maps, rdflib builds,
    pySHACL validates, the graph is written as Turtle."""
    from bench.naive import import_naive as run

    return run(path, workdir)


def analyse_knotenpunkt(path, workdir):
    """Our analysis: reopen the on-disk store made by `bench.run` (cold start), analyse with an empty
    cache, then once more (answered from the cache, as the app and the deck are)."""
    import datetime as dt

    from knotenpunkt.graph.analysis import analyse  # its cache lives in the process: empty in this fresh one
    from knotenpunkt.graph.store import Store

    start = time.perf_counter()  # after the imports: the interpreter's start is not the analysis
    store = Store(store_dir(path), read_only=True)
    opened = time.perf_counter()
    result = analyse(store, start=dt.date(2026, 11, 15))
    analysed = time.perf_counter()
    analyse(store, start=dt.date(2026, 11, 15))  # the next call (app, deck) reads the cache
    return {"overlaps": len(result["overlaps"]), "nodes": result["network"]["nodes"],
            "open_s": round(opened - start, 2), "analyse_s": round(analysed - opened, 2),
            "cached_ms": round((time.perf_counter() - analysed) * 1000, 1), "seconds": analysed - start}


def _rdflib_term(value):
    """A parameter value as an rdflib term."""
    from rdflib.term import Identifier, Literal

    return value if isinstance(value, Identifier) else Literal(value)


class _RdflibStore:
    """The naive stack's store: an rdflib graph answering the same SPARQL queries."""

    def __init__(self, graph):
        self.graph = graph

    def query(self, sparql, *, bindings=None):
        from knotenpunkt.graph.store import PREFIXES

        return self.graph.query(sparql, initNs=PREFIXES,
                                initBindings={k: _rdflib_term(v) for k, v in (bindings or {}).items() if v is not None})

    def frame(self, sparql, *, bindings=None):
        import pandas as pd

        from knotenpunkt.graph.store import to_python, to_term

        rows = self.query(sparql, bindings=bindings)
        names = [str(v) for v in rows.vars]
        data = [[None if row[v] is None else to_python(to_term(row[v])) for v in rows.vars] for row in rows]
        return pd.DataFrame(data, columns=names, dtype=object)

    def select(self, sparql, *, bindings=None):
        frame = self.frame(sparql, bindings=bindings)
        return frame.to_dict("records")

    def data_version(self):
        return "naive"

    def read_json(self, name, default):
        return default

    def write_json(self, name, data):
        pass


def analyse_naive(path, workdir):
    """The naive stack: rdflib loads the same triples and answers the same queries; networkx does
    every graph algorithm with its defaults (exact betweenness, its own Louvain)."""
    import datetime as dt

    from rdflib import Dataset

    from knotenpunkt.graph import network
    from knotenpunkt.graph.analysis import analyse

    network.LARGE_GRAPH = network.MEDIUM_GRAPH = float("inf")  # networkx for every size, exact betweenness
    start = time.perf_counter()
    g = Dataset(default_union=True)
    g.parse(store_dir(path) / "dump.nq", format="nquads")
    loaded = time.perf_counter()
    result = analyse(_RdflibStore(g), start=dt.date(2026, 11, 15), use_cache=False)
    return {"overlaps": len(result["overlaps"]), "nodes": result["network"]["nodes"],
            "load_s": round(loaded - start, 2), "analyse_s": round(time.perf_counter() - loaded, 2)}


def cold_start_knotenpunkt(path, workdir):
    """Reopen the on-disk store in a fresh process and answer the first query (the key figures)."""
    start = time.perf_counter()
    from knotenpunkt.graph.queries import run_query
    from knotenpunkt.graph.store import Store

    imported = time.perf_counter()
    store = Store(store_dir(path), read_only=True)
    opened = time.perf_counter()
    counts = run_query(store, "count_inventory")[0]
    return {"measures": counts["measures"], "import_modules_s": round(imported - start, 3),
            "open_s": round(opened - imported, 3), "first_answer_s": round(time.perf_counter() - opened, 3)}


def cold_start_naive(path, workdir):
    """The naive stack's cold start: rdflib parses the store's N-Quads dump, then answers the same query."""
    start = time.perf_counter()
    from rdflib import Dataset

    from knotenpunkt.graph.queries import run_query

    g = Dataset(default_union=True)
    g.parse(store_dir(path) / "dump.nq", format="nquads")
    loaded = time.perf_counter()
    counts = run_query(_RdflibStore(g), "count_inventory")[0]
    return {"measures": counts["measures"], "load_s": round(loaded - start, 2),
            "first_answer_s": round(time.perf_counter() - loaded, 3)}


# The yardstick of the canned queries (BRIEF §7, perf.md "d_2hop"): the two-hop neighbourhood of the
# organisation with the most measures as a CONSTRUCT, what an ego-network drill-down reads: its own
# triples and those of its neighbours, the measures it runs among them.
TWO_HOPS = """CONSTRUCT { ?organisation ?p ?x . ?x ?q ?y . ?z ?r ?organisation . ?z ?s ?w } WHERE {
  { ?organisation ?p ?x OPTIONAL { ?x ?q ?y } } UNION { ?z ?r ?organisation OPTIONAL { ?z ?s ?w } }
}"""
# The list of its neighbours only (partners' partners, co-providers, network peers), reported beside it.
NEIGHBOURS = """SELECT DISTINCT ?organisation ?neighbour WHERE {
  { ?organisation kp:cooperatesWith ?x . ?x kp:cooperatesWith ?neighbour }
  UNION { ?m kp:provider ?organisation ; kp:partner ?neighbour }
  UNION { ?network org:hasMember ?organisation , ?neighbour }
}"""
NAIVE_QUERY_LIMIT_S = 60  # rdflib's time for one canned query before it is given up
TOP_PROVIDER = "SELECT ?organisation (COUNT(?m) AS ?n) WHERE { ?m kp:provider ?organisation } " \
               "GROUP BY ?organisation ORDER BY DESC(?n) ?organisation LIMIT 1"


def query_params(store, query):
    """Values for a canned query's parameters, taken from one measure so that they combine."""
    import datetime as dt

    one = store.select("SELECT ?measure ?target_group ?field ?district ?provider WHERE { ?measure a kp:Measure ; "
                       "dct:audience ?target_group ; cv:thematicArea ?field ; dct:spatial ?district ; "
                       "kp:provider ?provider } ORDER BY ?measure LIMIT 1")[0]
    day = dt.date(2026, 11, 15)
    values = {**one, "organisation": one["provider"], "at": day, "since": dt.date(2000, 1, 1), "from": day,
              "until": day + dt.timedelta(days=365)}
    return {p.name: values[p.name] for p in query.params}


def _time_queries(store, repeat, *, warm_up=True, limit_s=None):
    """Median milliseconds of every canned query (all rows fetched) and of the two-hop yardstick;
    a query that takes longer than `limit_s` is given up (rdflib cannot be stopped otherwise)."""
    import signal
    import statistics

    from rdflib import URIRef

    from knotenpunkt.graph.queries import list_queries, run_query

    def timed(run):
        if warm_up:
            run()  # the first run pays for caches
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            rows = run()
            times.append(time.perf_counter() - start)
        return round(statistics.median(times) * 1000, 2), len(rows)

    organisation = URIRef(store.select(TOP_PROVIDER)[0]["organisation"])
    yardstick, triples = timed(lambda: list(store.query(TWO_HOPS, bindings={"organisation": organisation})))
    neighbours, _ = timed(lambda: store.select(NEIGHBOURS, bindings={"organisation": organisation}))
    per_query, rows = {}, {}

    def give_up(signum, frame):
        raise TimeoutError(f"over {limit_s} s")

    signal.signal(signal.SIGALRM, give_up)
    for query in list_queries():
        params = query_params(store, query)
        try:
            signal.setitimer(signal.ITIMER_REAL, limit_s or 0)
            per_query[query.name], rows[query.name] = timed(lambda q=query, p=params: run_query(store, q.name, **p))
        except Exception as e:  # rdflib cannot answer some queries (GROUP_CONCAT over unbound values)
            per_query[query.name], rows[query.name] = None, f"{type(e).__name__}: {e}"[:120]
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    return {"yardstick_ms": yardstick, "yardstick_triples": triples, "neighbours_ms": neighbours,
            "query_ms": per_query, "query_rows": rows}


def queries_knotenpunkt(path, workdir):
    """Every canned query on the on-disk store (median of 5 runs each) and the two-hop yardstick."""
    from knotenpunkt.graph.store import Store

    return _time_queries(Store(store_dir(path), read_only=True), repeat=5)


def queries_naive(path, workdir):
    """The same queries answered by rdflib's SPARQL engine over the loaded dump (one run each: rdflib
    keeps no caches; a query is given up after a minute)."""
    from rdflib import Dataset

    g = Dataset(default_union=True)
    g.parse(store_dir(path) / "dump.nq", format="nquads")
    return _time_queries(_RdflibStore(g), repeat=1, warm_up=False, limit_s=NAIVE_QUERY_LIMIT_S)


def deck_knotenpunkt(path, workdir):
    """The steering-group deck as `knotenpunkt deck` makes it, after a cold start and without a cached analysis."""
    from knotenpunkt.graph.deck import write_deck
    from knotenpunkt.graph.report import build_report
    from knotenpunkt.graph.store import Store

    (store_dir(path) / "analysis_cache.json").unlink(missing_ok=True)
    start = time.perf_counter()
    report = build_report(Store(store_dir(path), read_only=True))
    built = time.perf_counter()
    write_deck(report, str(Path(workdir) / "deck.pptx"))
    return {"report_s": round(built - start, 2), "pictures_and_pptx_s": round(time.perf_counter() - built, 2),
            "bytes": (Path(workdir) / "deck.pptx").stat().st_size}


def _cooperation_graph(path):
    """The cooperation graph of the benchmark store, as the network page builds it."""
    from knotenpunkt.graph import network
    from knotenpunkt.graph.extract import load_frames
    from knotenpunkt.graph.store import Store

    return network.build_cooperation_graph(load_frames(Store(store_dir(path), read_only=True)))


def network_page_knotenpunkt(path, workdir):
    """The network page's HTML as the app makes it: server layout, vis-network inlined; above the
    aggregation limit one node per organisation type (what the page shows first)."""
    from knotenpunkt.graph import network
    from knotenpunkt.graph.viz import AGGREGATE_LIMIT, compute_layout, network_html

    G = _cooperation_graph(path)
    built = time.perf_counter()
    shown = G
    if len(G) > AGGREGATE_LIMIT:
        shown = network.aggregate_graph(G, {n: G.nodes[n].get("type") or "–" for n in G})
    positions = compute_layout(shown)
    laid_out = time.perf_counter()
    page = network_html(shown, positions=positions, titles={n: str(shown.nodes[n].get("label", n)) for n in shown})
    return {"organisations": len(G), "drawn": len(shown), "layout_s": round(laid_out - built, 2),
            "html_s": round(time.perf_counter() - laid_out, 2), "bytes": len(page),
            "seconds": time.perf_counter() - built}


def network_page_naive(path, workdir):
    """pyvis with its defaults: every organisation, `from_nx`, physics on (layout left to the browser)."""
    from pyvis.network import Network

    G = _cooperation_graph(path)
    built = time.perf_counter()
    net = Network(cdn_resources="in_line")
    net.from_nx(G)
    page = net.generate_html()
    return {"organisations": len(G), "drawn": len(G), "html_s": round(time.perf_counter() - built, 2),
            "bytes": len(page), "seconds": time.perf_counter() - built}


# Records the time of the first drawing on any canvas (vis-network draws nodes with arc()).
_FIRST_DRAW = """window.__firstDraw = null;
const arc = CanvasRenderingContext2D.prototype.arc;
CanvasRenderingContext2D.prototype.arc = function (...args) {
  if (window.__firstDraw === null) window.__firstDraw = performance.now();
  return arc.apply(this, args);
};"""
DRAW_NODES = 2000


def _first_draw_ms(page_html, workdir):
    """Milliseconds from navigation to the first node drawn, in headless Debian chromium."""
    import shutil

    from playwright.sync_api import sync_playwright

    file = Path(workdir) / "network.html"
    file.write_text(page_html, encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                    args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1300, "height": 800})
        page.add_init_script(_FIRST_DRAW)
        page.goto(file.as_uri())
        page.wait_for_function("window.__firstDraw !== null", timeout=0)  # bench.run's time limit applies
        ms = page.evaluate("window.__firstDraw")
        browser.close()
    return round(ms, 1)


def _draw_graph(path):
    """The first `DRAW_NODES` organisations by number of links, with the links among them."""
    G = _cooperation_graph(path)
    keep = sorted(G, key=lambda n: (-G.degree(n), n))[:DRAW_NODES]
    return G.subgraph(keep).copy()


def network_draw_knotenpunkt(path, workdir):
    """First draw of the network page's picture of 2,000 organisations in Chromium (fixed layout, no physics)."""
    from knotenpunkt.graph.viz import compute_layout, network_html

    G = _draw_graph(path)
    page = network_html(G, positions=compute_layout(G), titles={n: G.nodes[n].get("label", n) for n in G})
    ms = _first_draw_ms(page, workdir)
    return {"nodes": len(G), "first_draw_ms": ms, "seconds": ms / 1000}


def network_draw_naive(path, workdir):
    """First draw of pyvis's defaults for the same 2,000 organisations (physics stabilises first)."""
    from pyvis.network import Network

    G = _draw_graph(path)
    net = Network(cdn_resources="in_line")
    net.from_nx(G)
    ms = _first_draw_ms(net.generate_html(), workdir)
    return {"nodes": len(G), "first_draw_ms": ms, "seconds": ms / 1000}


def endpoint_knotenpunkt(path, workdir):
    """Our SPARQL endpoint (every guard on) under a bounded loopback load (`bench.load`)."""
    from bench.load import run_load

    return run_load("ours", store_dir(path))


def endpoint_naive(path, workdir):
    """Oxigraph's own server (`oxigraph serve-read-only`) on the same store and load: the baseline."""
    from bench.load import run_load

    return run_load("oxigraph", store_dir(path))


def store_dir(path):
    """Where `bench.run` keeps the on-disk store (and its N-Quads dump) of a workbook."""
    return Path(path).with_suffix(".store")


STEPS = {"import": import_knotenpunkt, "import-naive": import_naive, "reimport": reimport_knotenpunkt,
         "cold-start": cold_start_knotenpunkt, "cold-start-naive": cold_start_naive,
         "queries": queries_knotenpunkt, "queries-naive": queries_naive,
         "analyse": analyse_knotenpunkt, "analyse-naive": analyse_naive,
         "network-page": network_page_knotenpunkt, "network-page-naive": network_page_naive,
         "network-draw": network_draw_knotenpunkt, "network-draw-naive": network_draw_naive,
         "deck": deck_knotenpunkt, "endpoint": endpoint_knotenpunkt, "endpoint-naive": endpoint_naive}


def _peak_rss_mb():
    """Peak resident memory of this process since its exec (VmHWM). ``ru_maxrss`` is not used: Linux
    carries it over from the parent through fork and exec, so a child of a big parent looks big."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv=None):
    """Run one step once and print its measurement as JSON."""
    import tempfile

    step, path = (argv or sys.argv[1:])[:2]
    with tempfile.TemporaryDirectory() as workdir:
        start = time.perf_counter()
        info = STEPS[step](path, workdir)
        seconds = info.pop("seconds", time.perf_counter() - start)  # a step may time only its own part
    peak_mb = _peak_rss_mb()
    print(json.dumps({"step": step, "seconds": round(seconds, 3), "peak_mb": round(peak_mb, 1), **info}))


if __name__ == "__main__":
    main()
