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
    """The naive stack: pandas reads the sheet, rdflib builds the graph, pySHACL validates it whole."""
    import pandas as pd
    from pyshacl import validate
    from rdflib import RDF, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import DCTERMS, SKOS

    from ingest.validate import model_graph, shapes_graph

    start = time.perf_counter()
    kp, base = Namespace("https://w3id.org/knotenpunkt/def#"), "https://w3id.org/knotenpunkt/id/naive/"
    frame = pd.read_excel(path, sheet_name="Maßnahmen", header=2, dtype=str, keep_default_na=False)
    labels = {}
    for concept, label in model_graph().subject_objects(SKOS.prefLabel | SKOS.altLabel):
        labels.setdefault(str(label).lower(), concept)
    g = Graph()
    g += model_graph()
    for row in frame.itertuples(index=False):
        m = URIRef(base + "massnahme/" + row[0])
        provider = URIRef(base + "organisation/" + str(abs(hash(row[2]))))
        g.add((m, RDF.type, kp.Measure))
        g.add((m, DCTERMS.title, Literal(row[1])))
        g.add((m, kp.provider, provider))
        g.add((provider, RDF.type, URIRef("http://www.w3.org/ns/org#Organization")))
        g.add((provider, SKOS.prefLabel, Literal(row[2])))
        for text in str(row[4]).split(";"):
            if (concept := labels.get(text.strip().lower())) is not None:
                g.add((m, DCTERMS.audience, concept))
    built = time.perf_counter()
    conforms, _, _ = validate(g, shacl_graph=shapes_graph(), inference="none", allow_warnings=True)
    return {"rows": len(frame), "triples": len(g), "conforms": conforms, "read_and_build_s": round(built - start, 2),
            "validate_s": round(time.perf_counter() - built, 2)}


STEPS = {"import": import_knotenpunkt, "import-naive": import_naive}


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
