"""The store facade: one pyoxigraph store, on disk or in memory, with named graphs.

Layout of the dataset
---------------------
- ``GRAPH.model``: the ontology and the vocabularies from ``ontology/`` (reloaded when
  those files change).
- ``GRAPH.meta``: import runs (versions) and the content digest of every data graph.
- one data graph per imported source, ``GRAPH.data/<municipality>/<source>``; an
  import replaces its graph in one transaction.

Queries see the union of all graphs as their default graph. One process owns an
on-disk store directory (pyoxigraph's rule); other processes read through the SPARQL
endpoint of that process.
"""

import datetime as dt
import hashlib
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
from rdflib import Literal as RDFLiteral
from rdflib import URIRef

from graph.errors import QueryError, StoreError
from ontology import model_files
from ontology.namespace import GRAPH

__all__ = ["Store", "PREFIXES", "to_python", "to_term", "EXPORT_FORMATS"]

PREFIXES = {
    "kp": "https://w3id.org/knotenpunkt/def#",
    "zg": "https://w3id.org/knotenpunkt/voc/zielgruppe/",
    "hf": "https://w3id.org/knotenpunkt/voc/handlungsfeld/",
    "tt": "https://w3id.org/knotenpunkt/voc/traegertyp/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
    "cpsv": "http://purl.org/vocab/cpsv#",
    "cv": "http://data.europa.eu/m8g/",
    "dcat": "http://www.w3.org/ns/dcat#",
}

EXPORT_FORMATS = {
    "turtle": (ox.RdfFormat.TURTLE, ".ttl"),
    "trig": (ox.RdfFormat.TRIG, ".trig"),
    "nquads": (ox.RdfFormat.N_QUADS, ".nq"),
    "jsonld": (ox.RdfFormat.JSON_LD, ".jsonld"),
}

MODEL_GRAPH = ox.NamedNode(str(GRAPH.model))
META_GRAPH = ox.NamedNode(str(GRAPH.meta))
_DIGEST = ox.NamedNode("https://w3id.org/knotenpunkt/def#sha256")
_XSD = "http://www.w3.org/2001/XMLSchema#"


def to_python(term):
    """Convert a pyoxigraph term to a plain Python value.

    IRIs become ``str``; literals become ``int``, ``float``, ``bool``, ``datetime.date``
    or ``str`` by their datatype; unbound values stay ``None``.

    Examples
    --------
    >>> to_python(ox.Literal("3", datatype=ox.NamedNode(_XSD + "integer")))
    3
    """
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    datatype = term.datatype.value
    value = term.value
    try:
        if datatype in (_XSD + "integer", _XSD + "int", _XSD + "long"):
            return int(value)
        if datatype in (_XSD + "decimal", _XSD + "double", _XSD + "float"):
            return float(value)
        if datatype == _XSD + "boolean":
            return value == "true"
        if datatype == _XSD + "date":
            return dt.date.fromisoformat(value)
    except ValueError:
        return value
    return value


def to_term(value):
    """Convert a Python or rdflib value into a pyoxigraph term for query substitution.

    ``URIRef`` becomes an IRI; ``str`` a plain literal; numbers, booleans and dates
    typed literals.

    Examples
    --------
    >>> to_term(URIRef("http://example.org/a"))
    <NamedNode value=http://example.org/a>
    """
    if isinstance(value, (ox.NamedNode, ox.Literal, ox.BlankNode)):
        return value
    if isinstance(value, URIRef):
        return ox.NamedNode(str(value))
    if isinstance(value, RDFLiteral):
        if value.language:
            return ox.Literal(str(value), language=value.language)
        if value.datatype:
            return ox.Literal(str(value), datatype=ox.NamedNode(str(value.datatype)))
        return ox.Literal(str(value))
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(_XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(_XSD + "integer"))
    if isinstance(value, (float, Decimal)):
        return ox.Literal(str(value), datatype=ox.NamedNode(_XSD + "decimal"))
    if isinstance(value, dt.date):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(_XSD + "date"))
    return ox.Literal(str(value))


def _digest_lines(lines):
    """SHA-256 over sorted N-Triples/N-Quads lines: equal graphs give equal digests."""
    h = hashlib.sha256()
    for line in sorted(lines):
        h.update(line.encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()


class Store:
    """Facade over a pyoxigraph store.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        Directory of an on-disk store (created if missing); None keeps the store in
        memory (tests).
    read_only : bool
        Open an existing on-disk store without write access.

    Examples
    --------
    >>> g = Store()
    >>> g.count_quads(graph=MODEL_GRAPH) > 0
    True
    """

    def __init__(self, path=None, *, read_only=False):
        self.path = Path(path) if path is not None else None
        self._files = {}  # in-memory stand-in for the JSON files of an on-disk store
        try:
            if self.path is None:
                self._ox = ox.Store()
            elif read_only:
                self._ox = ox.Store.read_only(str(self.path / "oxigraph"))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._ox = ox.Store(str(self.path / "oxigraph"))
        except OSError as e:
            raise StoreError(
                f"Der Speicher {self.path} lässt sich nicht öffnen ({e}). Läuft schon ein anderer "
                "Knotenpunkt-Prozess auf diesem Verzeichnis? (Einstellung `store`, Option --store)"
            ) from e
        if not read_only:
            self.ensure_model()

    # ----------------------------------------------------------------------------------
    # Reading

    def query(self, sparql, *, bindings=None, union=True):
        """Run a SPARQL query and return pyoxigraph's result object.

        Parameters
        ----------
        sparql : str
            The query text.
        bindings : dict, optional
            Variable name (without ``?``) → value; bound through pyoxigraph
            ``substitutions``, never formatted into the text.
        union : bool
            Use the union of all graphs as the default graph.

        Raises
        ------
        QueryError
            If the query does not parse.
        """
        substitutions = {ox.Variable(k): to_term(v) for k, v in (bindings or {}).items() if v is not None}
        try:
            return self._ox.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=union,
                                  substitutions=substitutions or None)
        except SyntaxError as e:
            raise QueryError(f"Die SPARQL-Abfrage ist fehlerhaft: {e}") from e

    def select(self, sparql, *, bindings=None):
        """Run a SELECT query; return its rows as dicts of Python values.

        Examples
        --------
        >>> Store().select("SELECT (1 AS ?one) WHERE {}")
        [{'one': 1}]
        """
        solutions = self.query(sparql, bindings=bindings)
        names = [v.value for v in solutions.variables]
        return [{n: to_python(s[n]) for n in names} for s in solutions]

    def count_quads(self, graph=None):
        """Number of quads in the whole dataset or in one graph."""
        if graph is None:
            return len(self._ox)
        return sum(1 for _ in self._ox.quads_for_pattern(None, None, None, graph))

    def graphs(self):
        """IRIs of the named graphs, sorted."""
        return sorted(g.value for g in self._ox.named_graphs())

    def content_digest(self):
        """Content digest of the whole dataset: equal for equal stores."""
        return _digest_lines(str(q) for q in self._ox)

    def stored_digest(self, graph):
        """The digest recorded in the meta graph when `graph` was last written, or None."""
        for q in self._ox.quads_for_pattern(ox.NamedNode(str(graph)), _DIGEST, None, META_GRAPH):
            return q.object.value
        return None

    def data_version(self):
        """A short hash that changes whenever any data graph changes (for caches)."""
        digests = sorted(f"{q.subject.value}={q.object.value}"
                         for q in self._ox.quads_for_pattern(None, _DIGEST, None, META_GRAPH))
        return hashlib.sha256("\n".join(digests).encode()).hexdigest()[:16]

    # ----------------------------------------------------------------------------------
    # Writing

    def replace_graphs(self, graphs, *, extra_meta=""):
        """Replace the content of named graphs, all in one transaction.

        Parameters
        ----------
        graphs : dict
            Graph IRI → new content as N-Triples.
        extra_meta : str, optional
            Further N-Triples for the meta graph (the import run), written in the same
            transaction, and only if some graph changed.

        Returns
        -------
        list of str
            The graphs whose content changed; empty when nothing was written.
        """
        changed, parts = [], []
        for graph, ntriples in graphs.items():
            lines = [line for line in ntriples.splitlines() if line.strip()]
            digest = _digest_lines(lines)
            iri = ox.NamedNode(str(graph))
            if self.stored_digest(graph) == digest:
                continue
            changed.append(str(graph))
            parts.append(
                f"DROP SILENT GRAPH {iri} ;\n"
                f"DELETE WHERE {{ GRAPH {META_GRAPH} {{ {iri} {_DIGEST} ?d }} }} ;\n"
                f"INSERT DATA {{ GRAPH {iri} {{\n" + "\n".join(lines) + "\n}\n"
                f"GRAPH {META_GRAPH} {{ {iri} {_DIGEST} \"{digest}\" }} }}"
            )
        if not changed:
            return []
        if extra_meta.strip():
            parts.append(f"INSERT DATA {{ GRAPH {META_GRAPH} {{\n{extra_meta}\n}} }}")
        self._ox.update(" ;\n".join(parts))
        if self.path is not None:
            self._ox.flush()
        return changed

    def drop_graph(self, graph):
        """Remove a named graph and its digest in one transaction."""
        iri = ox.NamedNode(str(graph))
        self._ox.update(f"DROP SILENT GRAPH {iri} ; DELETE WHERE {{ GRAPH {META_GRAPH} {{ {iri} {_DIGEST} ?d }} }}")

    def ensure_model(self):
        """Load the ontology and vocabularies into the model graph if they changed."""
        from rdflib import Graph

        g = Graph()
        for path in model_files():
            g.parse(path)
        self.replace_graphs({MODEL_GRAPH.value: g.serialize(format="nt")})

    def read_json(self, name, default):
        """Read a small JSON file kept beside the database (remembered mapping, decisions)."""
        if self.path is None:
            return json.loads(self._files[name]) if name in self._files else default
        file = self.path / name
        return json.loads(file.read_text(encoding="utf-8")) if file.exists() else default

    def write_json(self, name, data):
        """Write a small JSON file beside the database, atomically (temporary file + rename)."""
        text = json.dumps(data, ensure_ascii=False, indent=2)
        if self.path is None:
            self._files[name] = text
            return
        tmp = self.path / f".{name}.tmp"
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(self.path / name)

    # ----------------------------------------------------------------------------------
    # Export, backup, restore

    def export(self, fmt="turtle", output=None):
        """Serialise the dataset.

        Turtle gets the union of all graphs as one graph, with prefixes; TriG, N-Quads
        and JSON-LD keep the named graphs.

        Parameters
        ----------
        fmt : {"turtle", "trig", "nquads", "jsonld"}
        output : path or binary file, optional
            Where to write; None returns bytes.
        """
        if fmt not in EXPORT_FORMATS:
            raise StoreError(f"Unbekanntes Exportformat {fmt!r}; möglich: {', '.join(EXPORT_FORMATS)}")
        rdf_format = EXPORT_FORMATS[fmt][0]
        if rdf_format.supports_datasets:
            return self._ox.dump(output, format=rdf_format, prefixes=PREFIXES if fmt == "trig" else None)
        triples = self._ox.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
        return ox.serialize(triples, output, format=rdf_format, prefixes=PREFIXES)

    def backup(self, target):
        """Write a consistent copy of the on-disk store to the new directory `target`.

        Returns
        -------
        dict
            ``quads`` and ``digest`` of the store at backup time.
        """
        if self.path is None:
            raise StoreError("Nur ein Speicher auf der Festplatte lässt sich sichern (Option --store).")
        target = Path(target)
        if target.exists():
            raise StoreError(f"Das Ziel {target} gibt es schon; bitte ein neues Verzeichnis angeben.")
        self._ox.flush()
        target.mkdir(parents=True)
        self._ox.backup(str(target / "oxigraph"))
        for file in self.path.glob("*.json"):
            shutil.copy2(file, target / file.name)
        return {"quads": len(self._ox), "digest": self.content_digest()}

    @staticmethod
    def restore(backup_dir, target):
        """Copy a backup to `target` (which must not exist) and verify it opens identically.

        Returns
        -------
        dict
            ``quads`` and ``digest`` of the restored store, equal to the backup's.

        Raises
        ------
        StoreError
            If the target exists or the restored store differs from the backup.
        """
        backup_dir, target = Path(backup_dir), Path(target)
        if target.exists():
            raise StoreError(f"Das Ziel {target} gibt es schon; bitte ein neues Verzeichnis angeben.")
        source = ox.Store.read_only(str(backup_dir / "oxigraph"))
        expected = {"quads": len(source), "digest": _digest_lines(str(q) for q in source)}
        del source
        shutil.copytree(backup_dir, target)
        restored = ox.Store(str(target / "oxigraph"))
        got = {"quads": len(restored), "digest": _digest_lines(str(q) for q in restored)}
        if got != expected:
            raise StoreError(f"Wiederherstellung fehlerhaft: erwartet {expected}, erhalten {got}")
        return got
