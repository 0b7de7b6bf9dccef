"""SHACL validation of import results against `ontology/shapes.ttl`.

The shapes are compiled once into SPARQL queries that select the violating focus nodes,
and those run in an in-memory pyoxigraph store holding the model and the new data:
this validates 100k measures in seconds where pySHACL needs minutes and gigabytes.
The compiler covers the SHACL Core subset the shapes use (targets by class, subjects
and objects of; paths as IRIs, sequences and inverses; minCount, maxCount, datatype,
class, node, hasValue, lessThanOrEquals, minLength, minInclusive, maxInclusive,
pattern) and refuses anything else, so the shapes cannot silently outgrow it.
pySHACL stays the reference: `validate_with_pyshacl` runs the same shapes, and the
tests check that both agree on every fixture.
"""

import contextlib
import ctypes
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH

from knotenpunkt.graph.errors import ValidationError
from knotenpunkt.graph.store import MODEL_GRAPH, QUERY_THREADS, UnionGraphReader, GraphDump
from knotenpunkt.ontology import SHAPES_FILE, model_files, model_graph

__all__ = ["Check", "ValidationStore", "compile_shapes", "validate_lines", "validate_graph", "validate_with_pyshacl", "model_graph",
           "shapes_graph"]

_SUPPORTED = {SH.path, SH.minCount, SH.maxCount, SH.datatype, SH["class"], SH.node, SH.hasValue,
              SH.lessThanOrEquals, SH.minLength, SH.minInclusive, SH.maxInclusive, SH.pattern, SH.flags,
              SH.message, SH.severity, SH.name, SH.description, SH.property, SH.targetClass, SH.targetSubjectsOf,
              SH.targetObjectsOf, SH.targetNode, RDF.type, SH.order, SH.group}
_BATCH = 200_000  # N-Triples lines per background load (about 45 MB of text)
_DATA = "urn:knotenpunkt:validated"  # the graph `validate_lines` loads its lines into
_SUBCLASS = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>/<http://www.w3.org/2000/01/rdf-schema#subClassOf>*"


@lru_cache(maxsize=1)
def shapes_graph():
    """The SHACL shapes, parsed once."""
    return Graph().parse(SHAPES_FILE)


@dataclass(frozen=True)
class Check:
    """One compiled constraint: the SPARQL that selects its violations, and how to report them."""

    shape: str
    path: str
    component: str
    severity: str  # Violation, Warning or Info
    message_de: str
    message_en: str
    sparql: str


class _Compiler:
    """Turns SHACL shapes into SPARQL violation queries (see the module docstring)."""

    def __init__(self, g):
        self.g = g
        self.counter = 0

    def var(self):
        self.counter += 1
        return f"?_v{self.counter}"

    def check_supported(self, node):
        for p in set(self.g.predicates(node, None)):
            if p not in _SUPPORTED:
                raise ValidationError("shapes_unsupported_parameter", parameter=p)

    def path(self, node):
        if isinstance(node, URIRef):
            return node.n3()
        if (node, RDF.first, None) in self.g:
            return "(" + "/".join(self.path(p) for p in Collection(self.g, node)) + ")"
        if (inverse := self.g.value(node, SH.inversePath)) is not None:
            return "^" + self.path(inverse)
        raise ValidationError("shapes_unsupported_path", node=node)

    def targets(self, shape):
        parts = [f"?this {_SUBCLASS} {c.n3()} ." for c in self.g.objects(shape, SH.targetClass)]
        parts += [f"?this {p.n3()} [] ." for p in self.g.objects(shape, SH.targetSubjectsOf)]
        parts += [f"[] {p.n3()} ?this ." for p in self.g.objects(shape, SH.targetObjectsOf)]
        parts += [f"VALUES ?this {{ {n.n3()} }}" for n in self.g.objects(shape, SH.targetNode)]
        if not parts:
            return None
        return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join("{ " + p + " }" for p in parts) + " } }"

    def value_violation(self, constraint, value, focus):
        """A SPARQL expression true when `value` (a variable) violates one value-type constraint."""
        p, o = constraint
        if p == SH.datatype:
            return f"!(isLiteral({value}) && datatype({value}) = {o.n3()})"
        if p == SH["class"]:
            return f"NOT EXISTS {{ {value} {_SUBCLASS} {o.n3()} }}"
        if p == SH.node:
            return "(" + self.node_violation(o, value) + ")"
        if p == SH.lessThanOrEquals:
            other = self.var()
            return f"EXISTS {{ {focus} {o.n3()} {other} FILTER(!COALESCE({value} <= {other}, false)) }}"
        if p == SH.minLength:
            return f"(isBlank({value}) || !COALESCE(STRLEN(STR({value})) >= {int(o)}, false))"
        if p == SH.minInclusive:
            return f"!COALESCE({value} >= {o.n3()}, false)"
        if p == SH.maxInclusive:
            return f"!COALESCE({value} <= {o.n3()}, false)"
        if p == SH.pattern:
            return f"(isBlank({value}) || !REGEX(STR({value}), {Literal(str(o)).n3()}))"
        return None

    def node_violation(self, shape, focus):
        """A SPARQL expression true when `focus` does not conform to node shape `shape`."""
        self.check_supported(shape)
        terms = []
        for p, o in self.g.predicate_objects(shape):
            if (expr := self.value_violation((p, o), focus, focus)) is not None:
                terms.append(expr)
        for prop in self.g.objects(shape, SH.property):
            self.check_supported(prop)
            path = self.path(self.g.value(prop, SH.path))
            for p, o in self.g.predicate_objects(prop):
                if p == SH.hasValue:
                    terms.append(f"NOT EXISTS {{ {focus} {path} {o.n3()} }}")
                elif p == SH.minCount and int(o) == 1:
                    terms.append(f"NOT EXISTS {{ {focus} {path} {self.var()} }}")
                elif p in (SH.minCount, SH.maxCount):
                    raise ValidationError("shapes_nested_counts")
                else:
                    value = self.var()
                    if (expr := self.value_violation((p, o), value, focus)) is not None:
                        terms.append(f"EXISTS {{ {focus} {path} {value} FILTER({expr}) }}")
        return " || ".join(terms) or "false"

    def compile(self):
        checks = []
        for shape in sorted(set(self.g.subjects(RDF.type, SH.NodeShape)), key=str):
            target = self.targets(shape)
            if target is None:
                continue
            self.check_supported(shape)
            node_level = [(p, o) for p, o in self.g.predicate_objects(shape) if p in (SH["class"], SH.node)]
            for p, o in node_level:
                expr = self.value_violation((p, o), "?this", "?this")
                checks.append(self._check(shape, None, p, f"SELECT ?this (?this AS ?value) WHERE {{ {target} "
                                                        f"FILTER({expr}) }}"))
            for prop in self.g.objects(shape, SH.property):
                checks.extend(self.property_checks(shape, prop, target))
        return checks

    def property_checks(self, shape, prop, target):
        self.check_supported(prop)
        path = self.path(self.g.value(prop, SH.path))
        out = []
        for p, o in self.g.predicate_objects(prop):
            if p == SH.minCount:
                n = int(o)
                sparql = (f"SELECT ?this WHERE {{ {target} FILTER NOT EXISTS {{ ?this {path} [] }} }}" if n == 1 else
                          f"SELECT ?this WHERE {{ {{ SELECT ?this (COUNT(DISTINCT ?value) AS ?n) WHERE {{ {target} "
                          f"OPTIONAL {{ ?this {path} ?value }} }} GROUP BY ?this }} FILTER(?n < {n}) }}")
            elif p == SH.maxCount:
                sparql = (f"SELECT ?this WHERE {{ {target} ?this {path} ?value }} GROUP BY ?this "
                          f"HAVING (COUNT(DISTINCT ?value) > {int(o)})")
            elif p == SH.hasValue:
                sparql = f"SELECT ?this WHERE {{ {target} FILTER NOT EXISTS {{ ?this {path} {o.n3()} }} }}"
            elif (expr := self.value_violation((p, o), "?value", "?this")) is not None:
                sparql = f"SELECT DISTINCT ?this ?value WHERE {{ {target} ?this {path} ?value FILTER({expr}) }}"
            else:
                continue
            out.append(self._check(shape, prop, p, sparql, path))
        return out

    def _check(self, shape, prop, component, sparql, path="(Knoten)"):
        source = prop if prop is not None else shape
        messages = {m.language: str(m) for m in self.g.objects(source, SH.message)}
        severity = self.g.value(source, SH.severity) or SH.Violation
        name = str(component).rsplit("#", 1)[-1]
        return Check(str(shape), path, name[0].upper() + name[1:] + "ConstraintComponent", str(severity).rsplit("#", 1)[-1],
                     messages.get("de", ""), messages.get("en", messages.get(None, "")), sparql)


@lru_cache(maxsize=1)
def compile_shapes():
    """The compiled checks of `ontology/shapes.ttl`.

    Returns
    -------
    tuple of Check

    Raises
    ------
    ValidationError
        If the shapes use a SHACL feature the compiler does not cover.
    """
    return tuple(_Compiler(shapes_graph()).compile())


@lru_cache(maxsize=1)
def _model_ntriples():
    store = ox.Store()
    for path in model_files():
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    return store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())


class ValidationStore:
    """The planned data in memory: one named graph per planned source beside the model, validated together.

    It is the one copy of the planned triples. The importer hands it the triples while it builds them
    (`add`): pyoxigraph loads a batch in a thread of its own without holding the GIL, beside the mapping of
    the next rows, so the data is loaded when the last row is mapped. `check` validates the union of the
    graphs; `dump` writes a graph to a file for staging (`graph.store.GraphDump`); `close` frees the store.
    """

    def __init__(self):
        self.store = ox.Store()
        self.store.bulk_load(_model_ntriples(), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(MODEL_GRAPH.value))
        self._loader = ThreadPoolExecutor(max_workers=1)
        self._loads = []

    def add(self, graph, lines):
        """Load N-Triples lines (a list) into a named graph, in the background."""
        for at in range(0, len(lines), _BATCH):
            data = ("\n".join(lines[at:at + _BATCH]) + "\n").encode("utf-8")
            self._loads.append(self._loader.submit(self.store.bulk_load, data, format=ox.RdfFormat.N_TRIPLES,
                                                   to_graph=ox.NamedNode(str(graph))))

    def loaded(self):
        """The store once every load is done (a load's error is raised here)."""
        if self._loads:
            for load in self._loads:
                load.result()
            self._loads = []
            _give_back_memory()  # what the loader thread's parsing freed (70 MB at 100k measures)
        return self.store

    def lines(self, graph):
        """The N-Triples lines of a graph."""
        data = self.loaded().dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(str(graph)))
        return data.decode("utf-8").splitlines()

    def replace(self, graph, remove, add):
        """Remove the N-Triples lines `remove` from `graph` and add the lines `add` to it."""
        store, target = self.loaded(), ox.NamedNode(str(graph))
        for lines, change in ((remove, store.remove), (add, store.add)):
            for t in ox.parse("\n".join(lines), format=ox.RdfFormat.N_TRIPLES):
                change(ox.Quad(t.subject, t.predicate, t.object, target))

    def count(self):
        """How many planned triples there are (the model's not counted)."""
        query = f"SELECT (COUNT(*) AS ?n) {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{MODEL_GRAPH.value}>) }}"
        return int(next(iter(self.loaded().query(query)))["n"].value)

    def dump(self, graph, directory=None):
        """A graph's lines in an unnamed temporary file (in `directory`, else the system's), to be staged."""
        file = tempfile.TemporaryFile(dir=directory, prefix="knotenpunkt-")
        self.loaded().dump(file, format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(str(graph)))
        return GraphDump(file)

    def close(self):
        """Free the store, and give its memory back to the system (the staging that follows allocates in
        arenas of its own: 0.4 GB of the peak at 100k measures)."""
        self.loaded()
        self._loader.shutdown()
        self.store = None
        _give_back_memory()

    def check(self, *, inspect=None):
        """Wait for the loads, then run every compiled shape over the union of the graphs:
        ``(conforms, results_text, results)``.

        `inspect` is called with a reader of that union (`graph.store.UnionGraphReader`) after the checks
        when the data conforms (the importer reads the analyses' frames from it).
        """
        store = self.loaded()
        results = []
        checks = compile_shapes()
        with ThreadPoolExecutor(QUERY_THREADS) as pool:  # pyoxigraph evaluates without holding the GIL
            found = list(pool.map(lambda check: list(store.query(check.sparql, use_default_graph_as_union=True)),
                                  checks))
        for check, solutions in zip(checks, found):
            for solution in solutions:
                results.append({"severity": check.severity, "focus": solution["this"].value,
                                "path": check.path, "value": _term_text(_get(solution, "value")),
                                "component": check.component, "shape": check.shape,
                                "de": check.message_de, "en": check.message_en})
        conforms = not any(r["severity"] == "Violation" for r in results)
        _give_back_memory()  # what the checks' evaluation freed (0.1 GB at 100k measures), before the frames
        if inspect is not None and conforms:
            inspect(UnionGraphReader(store))
        text = "\n".join(f"{r['severity']}: {r['focus']} – {r['path']} ({r['component']}"
                         f"{', Wert ' + r['value'] if r['value'] else ''}): {r['de'] or r['en']}" for r in results)
        return conforms, text, results


def _give_back_memory():
    """Return the memory freed in this process to the system: glibc keeps what threads' arenas freed
    (pyoxigraph loads and evaluates in threads), and the next step would grow beside it."""
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to do
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def validate_lines(lines, *, inspect=None):
    """Validate N-Triples lines together with the model.

    Parameters
    ----------
    lines : iterable of str
        The data, one N-Triples statement per line.
    inspect : callable, optional
        Called with a reader of model and data (`graph.store.UnionGraphReader`) after the
        checks (see `ValidationStore.check`).

    Returns
    -------
    tuple of (bool, str, list of dict)
        ``(conforms, results_text, results)``; warnings do not break conformance. Each
        result has ``severity``, ``focus``, ``path``, ``value``, ``component``, ``de``, ``en``.
    """
    validation = ValidationStore()
    validation.add(_DATA, list(lines))
    try:
        return validation.check(inspect=inspect)
    finally:
        validation.close()


def _get(solution, name):
    try:
        return solution[name]
    except (KeyError, IndexError):
        return None


def _term_text(term):
    return None if term is None else term.value


def validate_graph(data):
    """Validate an rdflib graph; returns ``(conforms, results_text)`` like pySHACL."""
    conforms, text, _ = validate_lines(data.serialize(format="nt").splitlines())
    return conforms, text


def validate_with_pyshacl(data):
    """The reference: pySHACL over the model and `data` (an rdflib graph).

    Returns
    -------
    tuple of (bool, rdflib.Graph, str)
        pySHACL's ``(conforms, results_graph, results_text)``.
    """
    from pyshacl import validate

    combined = Graph()
    combined += model_graph()
    combined += data
    return validate(combined, shacl_graph=shapes_graph(), inference="none", advanced=False, allow_warnings=True)
