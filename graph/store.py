"""The store facade: one pyoxigraph store, on disk or in memory, with named graphs.

Layout of the dataset
---------------------
Every source has a key IRI: ``GRAPH.model`` (the ontology and vocabularies from
``ontology/``) and one ``GRAPH.data/<municipality>/<file>`` per imported file. Its
triples live in a versioned graph ``<key>/<digest>``; the meta graph ``GRAPH.meta``
says which version is current (``kp:currentGraph``), with the digest and the import
runs. An import bulk-loads the new version into a new graph (fast, invisible to
queries), then switches the pointers of all its sources in one small transaction and
removes the old versions; an interrupted import leaves an unreferenced graph that the
next start removes. Queries see the union of the current graphs and the meta graph.

Processes share an on-disk store directory like this: a writer (an import from the CLI
or the app, an organisation decision) opens it for writing only while it writes —
RocksDB's lock lets one writer in at a time, others wait up to 5 s — and bumps the
``generation`` file when it commits. Readers (the app, the SPARQL endpoint's workers)
open it read-only and reopen it when the generation changed (`Store.refresh`, checked
before every read), so a committed import is visible everywhere without a restart.
"""

import contextlib
import datetime as dt
import gc
import hashlib
import io
import itertools
import json
import os
import shutil
import time
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
from rdflib import Literal as RDFLiteral
from rdflib import URIRef

from graph.errors import QueryError, StoreError
from ontology import model_graph
from ontology.namespace import GRAPH

__all__ = ["Store", "open_store", "derive_summary", "SUMMARY_KEY", "writing", "LinesReader", "PREFIXES", "to_python", "to_term", "EXPORT_FORMATS"]

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
    "qb": "http://purl.org/linked-data/cube#",
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
_CURRENT = ox.NamedNode("https://w3id.org/knotenpunkt/def#currentGraph")
_XSD = "http://www.w3.org/2001/XMLSchema#"
_GENERATION = "generation"
_BULK_SLICE = 250_000  # triples per bulk load: bounds the loader's memory (0.5 GB less at 100k measures)
_PERSONAL = str(GRAPH.personal)
SUMMARY_KEY = str(GRAPH.summary)  # the source graph.summary derives from the data at each write


def derive_summary(store):
    """The summary of the data `store` reads (`graph.summary.derive`), for `Store.replace_graphs`."""
    from graph.summary import derive  # imported late: it reads through the analyses' frames

    return derive(store)


def _open_with_retry(opener, path, attempts=50):
    """Open the on-disk store, waiting up to 5 s for another writer to finish (RocksDB lock)
    or for a read-only open to see a consistent set of files."""
    for attempt in range(attempts):
        try:
            return opener()
        except (OSError, RuntimeError) as e:
            if attempt == attempts - 1:
                raise StoreError(
                    f"Der Speicher {path} lässt sich nicht öffnen ({e}). Schreibt gerade ein anderer "
                    "Knotenpunkt-Prozess (Import) in dieses Verzeichnis? (Einstellung `store`, Option --store)"
                ) from e
            time.sleep(0.1)


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


def open_store(path=None, *, write=False, personal_data=True):
    """The store the settings name: a SPARQL server (setting ``sparql_endpoint``) or the on-disk store.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        The store directory (default: setting ``store``); in server-backed mode it keeps only
        the small JSON side files.
    write : bool
        Open the embedded store for writing (hold it briefly: one writer at a time); readers
        follow the writers' commits.
    personal_data : bool
        See `Store`.
    """
    from graph.settings import get_setting

    path = path or get_setting("store")
    if endpoint := get_setting("sparql_endpoint"):
        from graph.remote import RemoteStore

        return RemoteStore(endpoint, get_setting("graph_store_endpoint"), local_dir=path, personal_data=personal_data,
                           read_only=not write)
    return Store(path, personal_data=personal_data) if write else Store.reader(path, personal_data=personal_data)


@contextlib.contextmanager
def writing(path):
    """Open the store at `path` for writing (see `open_store`), and release it when the block ends.

    Examples
    --------
    >>> import tempfile
    >>> with writing(tempfile.mkdtemp()) as store:
    ...     store.graphs() == [MODEL_GRAPH.value]
    True
    """
    store = open_store(path, write=True)
    try:
        yield store
    finally:
        store.close()


class LinesReader(io.RawIOBase):
    """A binary file over N-Triples lines, encoded a few thousand at a time.

    Bulk loads read from it, so the data never exists as one big string and bytes (at 100k
    measures that saved 0.6 GB of peak memory per load).

    Examples
    --------
    >>> LinesReader(["<a:s> <a:p> <a:o> ."]).read()
    b'<a:s> <a:p> <a:o> .\\n'
    """

    def __init__(self, lines, chunk=2048):
        self._lines = iter(lines)
        self._chunk = chunk
        self._buffer = b""
        self._pos = 0

    def readable(self):
        return True

    def readinto(self, target):
        if self._pos >= len(self._buffer):
            lines = list(itertools.islice(self._lines, self._chunk))
            if not lines:
                return 0
            self._buffer, self._pos = ("\n".join(lines) + "\n").encode("utf-8"), 0
        n = min(len(target), len(self._buffer) - self._pos)
        target[:n] = self._buffer[self._pos:self._pos + n]
        self._pos += n
        return n


def _digest_lines(lines, *, presorted=False):
    """SHA-256 over sorted N-Triples/N-Quads lines: equal graphs give equal digests."""
    h = hashlib.sha256()
    for line in (lines if presorted else sorted(lines)):
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
    personal_data : bool
        Whether queries, `quads` and exports see the personal-data sources (contact
        persons, e-mails, phones; ``GRAPH.personal/…``). The endpoint and the exports pass
        the setting ``include_personal_data``.

    Examples
    --------
    >>> g = Store()
    >>> g.count_quads(graph=MODEL_GRAPH) > 0
    True
    """

    def __init__(self, path=None, *, read_only=False, personal_data=True):
        self.path = Path(path) if path is not None else None
        self.side_dir = self.path  # the small JSON files beside the database
        self.read_only = read_only
        self.personal_data = personal_data
        self._files = {}  # in-memory stand-in for the JSON files of an on-disk store
        self._generation = None
        # Queries see only the visible current graphs: the union of all graphs when nothing else
        # is there (fast), the explicit list while an import stages new versions, orphans are
        # present or personal data is hidden.
        self._live = None
        self._union_ok = True
        self._staging = False
        self._pending = None  # the graphs a `replace_graphs` derivation reads
        if self.path is None:
            self._ox = ox.Store()
        elif read_only:
            self._open_reader()
        else:
            self.path.mkdir(parents=True, exist_ok=True)
            self._ox = _open_with_retry(lambda: ox.Store(str(self.path / "oxigraph")), self.path)
        if not read_only:
            self._collect_garbage()
            self.ensure_model()

    @classmethod
    def reader(cls, path, *, personal_data=True):
        """A read-only store that follows the writers' commits; creates an empty store if none."""
        if not (Path(path) / "oxigraph").exists():
            cls(path).close()
        return cls(path, read_only=True, personal_data=personal_data)

    def _open_reader(self):
        """(Re)open a read-only view of the on-disk store as of its current generation."""
        self._generation = self._read_generation()
        self._ox = _open_with_retry(lambda: ox.Store.read_only(str(self.path / "oxigraph")), self.path)
        self._live = None

    def _read_generation(self):
        try:
            return (self.path / _GENERATION).read_text(encoding="utf-8")
        except FileNotFoundError:
            return None

    def refresh(self):
        """Reopen a read-only store if a writer committed since it was opened.

        Writers (an import from the CLI or the app) hold the store only while they write and
        then bump the generation file; readers (the app, the endpoint's workers) check it before
        each read, so a committed import becomes visible without a restart. Cheap: one small
        file read.
        """
        if self.read_only and self._read_generation() != self._generation:
            self._open_reader()
        return self

    def close(self):
        """Release the on-disk store (and its write lock) now instead of at garbage collection."""
        self._ox = None
        gc.collect()

    # ----------------------------------------------------------------------------------
    # Reading

    def _current(self):
        """Source key → its current versioned graph, from the meta graph."""
        self.refresh()
        return {q.subject.value: q.object for q in self._ox.quads_for_pattern(None, _CURRENT, None, META_GRAPH)}

    def _visible(self):
        """Source key → current version, for the sources this handle may see."""
        return {k: v for k, v in self._current().items() if self.personal_data or not k.startswith(_PERSONAL)}

    def live_graphs(self):
        """The graphs queries see: every visible current version and the meta graph."""
        if self._live is None:
            self._live = [*self._visible().values(), META_GRAPH]
            self._union_ok = {g.value for g in self._ox.named_graphs()} == {g.value for g in self._live}
        return self._live

    def query(self, sparql, *, bindings=None):
        """Run a SPARQL query over the current data and return pyoxigraph's result object.

        Parameters
        ----------
        sparql : str
            The query text.
        bindings : dict, optional
            Variable name (without ``?``) → value; bound through pyoxigraph
            ``substitutions``, never formatted into the text.

        Raises
        ------
        QueryError
            If the query does not parse.
        """
        self.refresh()
        substitutions = {ox.Variable(k): to_term(v) for k, v in (bindings or {}).items() if v is not None}
        live = self._pending or self.live_graphs()
        scope = ({"default_graph": live, "named_graphs": live} if self._staging or not self._union_ok
                 else {"use_default_graph_as_union": True})
        try:
            return self._ox.query(sparql, prefixes=PREFIXES, substitutions=substitutions or None, **scope)
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

    def frame(self, sparql, *, bindings=None):
        """Run a SELECT query; return its rows as a DataFrame of strings (None where unbound).

        The results are serialised by oxigraph as SPARQL CSV and parsed by pandas, which is
        many times faster than converting term by term; callers convert typed columns.
        """
        import pandas as pd

        data = self.query(sparql, bindings=bindings).serialize(format=ox.QueryResultsFormat.CSV)
        frame = pd.read_csv(io.BytesIO(data), dtype=object, keep_default_na=False, na_values=[""])
        for column in frame.columns:
            if frame[column].isna().any():
                frame[column] = frame[column].where(frame[column].notna(), None)
        return frame

    def quads(self):
        """Every quad of the current data, named by source key instead of version."""
        for key, graph in sorted(self._visible().items()):
            name = ox.NamedNode(key)
            for q in self._ox.quads_for_pattern(None, None, None, graph):
                yield ox.Quad(q.subject, q.predicate, q.object, name)
        yield from self._ox.quads_for_pattern(None, None, None, META_GRAPH)

    def count_quads(self, graph=None):
        """Number of quads of the current data, or of one source (by its key)."""
        if graph is None:
            return sum(1 for _ in self.quads())
        target = self._current().get(str(graph.value if isinstance(graph, ox.NamedNode) else graph))
        return 0 if target is None else sum(1 for _ in self._ox.quads_for_pattern(None, None, None, target))

    def graphs(self):
        """Keys of the current sources, sorted."""
        return sorted(self._current())

    def content_digest(self):
        """Content digest of the current data: equal for equal stores."""
        return _digest_lines(str(q) for q in self.quads())

    def stored_digest(self, graph):
        """The digest of the current version of a source, or None."""
        current = self._current().get(str(graph))
        if current is None:
            return None
        for q in self._ox.quads_for_pattern(current, _DIGEST, None, META_GRAPH):
            return q.object.value
        return None

    def data_version(self):
        """A short hash that changes whenever any source changes (for caches)."""
        return hashlib.sha256("\n".join(sorted(g.value for g in self._current().values())).encode()).hexdigest()[:16]

    # ----------------------------------------------------------------------------------
    # Writing

    def replace_graphs(self, graphs, *, extra_meta="", derive=None):
        """Replace the content of sources, switching all of them in one transaction.

        Each new version is bulk-loaded into a graph of its own first; only then do the
        pointers of all sources move, in one update. A failure before that removes the
        new graphs and leaves the store as it was.

        Parameters
        ----------
        graphs : dict
            Source key IRI → new content: N-Triples text, or an iterable of N-Triples lines.
        extra_meta : str, optional
            Further N-Triples for the meta graph (the import run), written in the same
            transaction, and only if some source changed.
        derive : callable, optional
            Called with this store, which then reads the staged data as it will be after
            the switch; returns further sources (key → content) derived from that data
            (`graph.summary.derive`), switched in the same transaction. With an empty
            `graphs` it derives them again from the current data.

        Returns
        -------
        list of str
            The sources whose content changed; empty when nothing was written.
        """
        current = self._current()
        staged = []  # (key, new version, digest)
        self._staging = True  # until the old versions are gone, queries must see only the current ones
        try:
            try:
                for key, ntriples in graphs.items():
                    if (entry := self._stage(key, ntriples)) is not None:
                        staged.append(entry)
                if not staged and (graphs or derive is None):
                    return []
                if derive is not None:
                    # the derived sources describe the staged data: queries see it until the switch
                    versions = {**current, **{k.value: v for k, v, _ in staged}}
                    self._pending = [*versions.values(), META_GRAPH]
                    for key, ntriples in derive(self).items():
                        if (entry := self._stage(key, ntriples)) is not None:
                            staged.append(entry)
                    self._pending = None
                    if not staged:
                        return []
                inserts = "\n".join(f"{k} {_CURRENT} {v} .\n{v} {_DIGEST} \"{d}\" ." for k, v, d in staged)
                self._switch_meta([k for k, _, _ in staged], f"{inserts}\n{extra_meta}")
            except BaseException:
                for _, version, _ in staged:  # the pointers did not move: the new versions are garbage
                    self._ox.remove_graph(version)
                raise
            self._live = None
            for key, _, _ in staged:
                if (old := current.get(key.value)) is not None:
                    self._ox.remove_graph(old)
        finally:
            self._staging = False
            self._pending = None
            self._live = None
        self._committed()
        return [k.value for k, _, _ in staged]

    def _stage(self, key, ntriples):
        """Bulk-load a new version of a source into a graph of its own; None if its content is unchanged."""
        lines = sorted(line for line in (ntriples.splitlines() if isinstance(ntriples, str) else ntriples)
                       if line.strip())
        digest = _digest_lines(lines, presorted=True)
        if self.stored_digest(key) == digest:
            return None
        version = ox.NamedNode(f"{key}/{digest[:16]}")
        if self._ox.contains_named_graph(version):  # left by an interrupted import
            self._ox.remove_graph(version)
        # oxigraph's bulk loader keeps a whole batch in memory: load in slices
        for at in range(0, len(lines), _BULK_SLICE):
            self._ox.bulk_load(LinesReader(lines[at:at + _BULK_SLICE]), format=ox.RdfFormat.N_TRIPLES, to_graph=version)
        return ox.NamedNode(str(key)), version, digest

    def drop_graph(self, graph):
        """Remove a source: its pointer and digest in one transaction, then its data; the
        summary goes with it and is derived again from the data left."""
        current = self._current()
        keys = list(dict.fromkeys([str(graph), *([SUMMARY_KEY] if SUMMARY_KEY in current else [])]))
        self._switch_meta([ox.NamedNode(k) for k in keys], "")
        self._live = None
        for key in keys:
            if (old := current.get(key)) is not None:
                self._ox.remove_graph(old)
        self._committed()
        if self._has_data():
            self.replace_graphs({}, derive=derive_summary)

    def _has_data(self):
        return any(key not in (MODEL_GRAPH.value, SUMMARY_KEY) for key in self._current())

    def _switch_meta(self, keys, ntriples):
        """In one transaction: remove the pointers (and digests) of `keys`, add `ntriples` to the meta graph."""
        deletes = " ".join(f"DELETE WHERE {{ GRAPH {META_GRAPH} {{ {k} {_CURRENT} ?v{i} . ?v{i} {_DIGEST} ?d{i} }} }} ;"
                           for i, k in enumerate(keys))
        self._ox.update(f"{deletes} INSERT DATA {{ GRAPH {META_GRAPH} {{\n{ntriples}\n}} }}")

    def _committed(self):
        """Flush and tell readers in other processes that the data changed (see `refresh`)."""
        if self.path is not None:
            self._ox.flush()
            self.write_text(_GENERATION, self.data_version() + " " + dt.datetime.now().isoformat())

    def _collect_garbage(self):
        """Remove graph versions no pointer refers to (left by an interrupted import)."""
        keep = {g.value for g in self._current().values()} | {META_GRAPH.value}
        for graph in list(self._ox.named_graphs()):
            if graph.value not in keep:
                self._ox.remove_graph(graph)

    def ensure_model(self):
        """Load the ontology and vocabularies into the model graph if they changed.

        The summary is derived again with them (the vocabularies' hierarchy counts in it), and
        written if the data has none (a store from before the summary).
        """
        derive = derive_summary if self._has_data() else None
        if not self.replace_graphs({MODEL_GRAPH.value: model_graph().serialize(format="nt")}, derive=derive) \
                and derive and SUMMARY_KEY not in self._current():
            self.replace_graphs({}, derive=derive)

    def read_json(self, name, default):
        """Read a small JSON file kept beside the database (remembered mapping, decisions)."""
        if self.side_dir is None:
            return json.loads(self._files[name]) if name in self._files else default
        file = self.side_dir / name
        return json.loads(file.read_text(encoding="utf-8")) if file.exists() else default

    def write_json(self, name, data):
        """Write a small JSON file beside the database, atomically (temporary file + rename)."""
        self.write_text(name, json.dumps(data, ensure_ascii=False, indent=2))

    def write_text(self, name, text):
        """Write a small text file beside the database, atomically (temporary file + rename)."""
        if self.side_dir is None:
            self._files[name] = text
            return
        self.side_dir.mkdir(parents=True, exist_ok=True)
        tmp = self.side_dir / f".{name}.{os.getpid()}.tmp"
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(self.side_dir / name)

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
            return ox.serialize(self.quads(), output, format=rdf_format, prefixes=PREFIXES if fmt == "trig" else None)
        triples = self.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
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
        return {"quads": self.count_quads(), "digest": self.content_digest()}

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
        source = Store(backup_dir, read_only=True)
        expected = {"quads": source.count_quads(), "digest": source.content_digest()}
        del source
        shutil.copytree(backup_dir, target)
        restored = Store(target, read_only=True)
        got = {"quads": restored.count_quads(), "digest": restored.content_digest()}
        if got != expected:
            raise StoreError(f"Wiederherstellung fehlerhaft: erwartet {expected}, erhalten {got}")
        return got
