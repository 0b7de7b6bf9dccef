"""Benchmark steps, each run in a fresh process by `bench.run`: ours and the naive baseline.

``python -m bench.steps STEP PATH`` runs one step once and prints one JSON line with
``seconds`` (wall clock of the step itself, not of the interpreter start) and
``peak_mb`` (the process's peak resident memory).
"""

import json
import resource
import sys
import time
from pathlib import Path

__all__ = ["STEPS"]


def import_knotenpunkt(path, workdir):
    """Our import: read, map, reconcile, validate (compiled SHACL), commit to an on-disk store."""
    from graph.store import Store
    from ingest.importer import commit_import, plan_import

    store = Store(Path(workdir) / "store")
    start = time.perf_counter()
    plan = plan_import([path], store)
    planned = time.perf_counter()
    plan.validate()
    validated = time.perf_counter()
    commit_import(plan, store)
    return {"rows": plan.counts["rows"], "triples": len(plan.lines()), "read_and_map_s": round(planned - start, 2),
            "validate_s": round(validated - planned, 2), "write_s": round(time.perf_counter() - validated, 2)}


def import_naive(path, workdir):
    """The naive stack on the same content: pandas reads every sheet, rdflib builds the graph of
    the triples our importer produces for this workbook (``<workbook>.nt``, written by
    `bench.run` beforehand), pySHACL validates the whole graph with the model."""
    import pandas as pd
    from pyshacl import validate
    from rdflib import Graph

    from ingest.validate import model_graph, shapes_graph

    start = time.perf_counter()
    sheets = pd.read_excel(path, sheet_name=None, header=None, dtype=str, keep_default_na=False)
    read = time.perf_counter()
    g = Graph()
    g += model_graph()
    g.parse(Path(path).with_suffix(".nt"), format="nt")
    built = time.perf_counter()
    conforms, _, _ = validate(g, shacl_graph=shapes_graph(), inference="none", allow_warnings=True)
    return {"rows": sum(len(f) for f in sheets.values()), "triples": len(g), "conforms": conforms,
            "read_s": round(read - start, 2), "build_s": round(built - read, 2),
            "validate_s": round(time.perf_counter() - built, 2)}


def analyse_knotenpunkt(path, workdir):
    """Our analysis: reopen the on-disk store made by `bench.run` (cold start), analyse without cache."""
    import datetime as dt

    from graph.analysis import analyse
    from graph.store import Store

    start = time.perf_counter()  # after the imports: the interpreter's start is not the analysis
    store = Store(store_dir(path), read_only=True)
    opened = time.perf_counter()
    result = analyse(store, start=dt.date(2026, 11, 15), use_cache=False)
    return {"overlaps": len(result["overlaps"]), "nodes": result["network"]["nodes"],
            "open_s": round(opened - start, 2), "analyse_s": round(time.perf_counter() - opened, 2)}


class _RdflibStore:
    """The naive stack's store: an rdflib graph answering the same SPARQL queries."""

    def __init__(self, graph):
        self.graph = graph

    def frame(self, sparql, *, bindings=None):
        import pandas as pd

        from graph.store import to_python, to_term

        rows = self.graph.query(sparql, initBindings={k: v for k, v in (bindings or {}).items() if v is not None})
        names = [str(v) for v in rows.vars]
        data = [[None if row[v] is None else to_python(to_term(row[v])) for v in rows.vars] for row in rows]
        return pd.DataFrame(data, columns=names, dtype=object)

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

    from graph import network
    from graph.analysis import analyse

    network.LARGE_GRAPH = float("inf")
    start = time.perf_counter()
    g = Dataset(default_union=True)
    g.parse(store_dir(path) / "dump.nq", format="nquads")
    loaded = time.perf_counter()
    result = analyse(_RdflibStore(g), start=dt.date(2026, 11, 15), use_cache=False)
    return {"overlaps": len(result["overlaps"]), "nodes": result["network"]["nodes"],
            "load_s": round(loaded - start, 2), "analyse_s": round(time.perf_counter() - loaded, 2)}


def store_dir(path):
    """Where `bench.run` keeps the on-disk store (and its N-Quads dump) of a workbook."""
    return Path(path).with_suffix(".store")


STEPS = {"import": import_knotenpunkt, "import-naive": import_naive,
         "analyse": analyse_knotenpunkt, "analyse-naive": analyse_naive}


def main(argv=None):
    """Run one step once and print its measurement as JSON."""
    import tempfile

    step, path = (argv or sys.argv[1:])[:2]
    with tempfile.TemporaryDirectory() as workdir:
        start = time.perf_counter()
        info = STEPS[step](path, workdir)
        seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"step": step, "seconds": round(seconds, 3), "peak_mb": round(peak_mb, 1), **info}))


if __name__ == "__main__":
    main()
