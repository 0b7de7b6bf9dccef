"""The store facade: versioned sources in named graphs, transactions, side state, over a backend.

Layout of the dataset
---------------------
Every source has a key IRI: ``GRAPH.model`` (the ontology and vocabularies from
``ontology/``), one ``GRAPH.data/<municipality>/<file>`` per imported file, its personal data
``GRAPH.personal/…``, a territory, and the summary derived from the data. Its triples live in a
versioned graph ``<key>/<digest>``; the meta graph ``GRAPH.meta`` says which version is current
(``kp:currentGraph``), with the digest and the import runs. Queries see the union of the current
graphs and the meta graph.

Transactions and side state
---------------------------
Everything one write changes — new source versions, sources dropped, the summary, the import
run, and the side state (small JSON documents: remembered mapping, organisation results,
versions of the inventory; `read_json`/`write_json`) — is collected in one transaction
(`Store.transaction`) and becomes visible at one point: the backend's commit. The facade is the
only owner of that state; `graph.sidestate` and `graph.versions` name its documents.

Backends (`graph.backend`, `graph.remote`): an on-disk store in immutable generations (a writer
works on a private checkpoint and switches one pointer file; readers open the pointed generation
read-only and follow it), an in-memory store, and any SPARQL 1.1 server (the meta graph PUT is
the switch). The store is a leaf of the code: it imports only the backends, the errors and the
ontology's terms.
"""

import collections
import contextlib
import datetime as dt
import hashlib
import io
import itertools
import json
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
from rdflib import Literal as RDFLiteral
from rdflib import URIRef

from knotenpunkt.graph.backend import CURRENT_GRAPH, DIGEST, META_GRAPH, STATE_PREFIX, GenerationsBackend, MemoryBackend, phase
from knotenpunkt.graph.errors import QueryError, StoreError
from knotenpunkt.graph.texts import as_json
from knotenpunkt.ontology import model_graph
from knotenpunkt.ontology.namespace import GRAPH, PREFIXES

__all__ = ["Store", "open_store", "results_frame", "UnionGraphReader", "GraphDump", "SUMMARY_KEY", "writing", "LinesReader", "PREFIXES", "to_python", "to_term",
           "EXPORT_FORMATS", "MODEL_GRAPH", "META_GRAPH", "INVENTORY_PREFIXES", "QUERY_THREADS"]

EXPORT_FORMATS = {
    "turtle": (ox.RdfFormat.TURTLE, ".ttl"),
    "trig": (ox.RdfFormat.TRIG, ".trig"),
    "nquads": (ox.RdfFormat.N_QUADS, ".nq"),
    "jsonld": (ox.RdfFormat.JSON_LD, ".jsonld"),
}

MODEL_GRAPH = ox.NamedNode(str(GRAPH.model))
_XSD = "http://www.w3.org/2001/XMLSchema#"
_BULK_SLICE = 125_000  # triples per bulk load: bounds the loaders' memory (two at once, `Backend.loaders`)
_PERSONAL = str(GRAPH.personal)
SUMMARY_KEY = str(GRAPH.summary)  # the source graph.summary derives from the data at each write
# Sources an import writes; by default a new import replaces every one of them it does not write again.
INVENTORY_PREFIXES = (str(GRAPH["data/"]), str(GRAPH["personal/"]), str(GRAPH["territory/"]))


def open_store(path=None, *, write=False, personal_data=True, derive=None, create=True):
    """The store the settings name: a SPARQL server (setting ``sparql_endpoint``) or the on-disk store.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        The store directory (default: setting ``store``).
    write : bool
        Open for writing: takes the writer lock (one writer at a time, waiting up to 5 s) until
        `Store.close`. Readers never wait for a writer and follow its commits.
    personal_data : bool
        See `Store`.
    derive : callable, optional
        For a writer: see `Store`.
    create : bool
        For a reader: create an empty on-disk store if there is none; else read an in-memory store with only
        the model instead (a dry run leaves nothing behind).
    """
    from knotenpunkt.graph.settings import get_setting

    path = path or get_setting("store")
    if endpoint := get_setting("sparql_endpoint"):
        from knotenpunkt.graph.remote import SparqlBackend

        backend = SparqlBackend(endpoint, get_setting("graph_store_endpoint"))
        return Store(backend=backend, read_only=not write, personal_data=personal_data, derive=derive)
    if write:
        return Store(path, personal_data=personal_data, derive=derive)
    if not create and not GenerationsBackend(path).exists():
        return Store(personal_data=personal_data)
    return Store.reader(path, personal_data=personal_data)


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


def results_frame(solutions):
    """SELECT results of pyoxigraph as a DataFrame of strings (None where unbound), through SPARQL CSV."""
    import pandas as pd

    data = solutions.serialize(format=ox.QueryResultsFormat.CSV)
    frame = pd.read_csv(io.BytesIO(data), dtype=object, keep_default_na=False, na_values=[""])
    for column in frame.columns:
        if frame[column].isna().any():
            frame[column] = frame[column].where(frame[column].notna(), None)
    return frame


# Queries run at once over a store that only one caller reads (the importer's validation store):
# pyoxigraph evaluates without holding the GIL.
QUERY_THREADS = min(4, os.cpu_count() or 1)


class UnionGraphReader:
    """Queries over the union of the graphs of a plain pyoxigraph store, answered as `Store.frame` answers them.

    The importer reads the analyses' frames this way from the in-memory store it validated (`graph.extract`).
    """

    def __init__(self, oxigraph_store):
        self.store = oxigraph_store

    def frame(self, sparql, *, bindings=None):
        substitutions = {ox.Variable(k): to_term(v) for k, v in (bindings or {}).items() if v is not None}
        return results_frame(self.store.query(sparql, prefixes=PREFIXES, substitutions=substitutions or None,
                                              use_default_graph_as_union=True))


def _buffer(data):
    """A pyarrow buffer over bytes (no copy)."""
    import pyarrow as pa

    return pa.BufferReader(data)


def _digest_lines(lines, *, distinct=False):
    """A digest of a set of N-Triples/N-Quads lines (str, or bytes with or without their line break): equal
    sets give equal digests, in any order.

    A set hash: the sums, modulo 2⁶⁴, of the lines' SipHash-2-4 values under two fixed keys
    (`pandas.util.hash_array`, vectorised: a Python loop of a cryptographic hash per line took 2.6 s
    for the 2.2M lines of 100k measures, this 0.8 s). It needs neither the lines sorted nor held, so a
    graph dumped to a file is digested a block at a time (`GraphDump.digest`). Lines that may repeat
    are made distinct first unless `distinct` says they are.

    Examples
    --------
    >>> a, b = "<a:s> <a:p> <a:o> .", "<a:s> <a:p> <a:x> ."
    >>> _digest_lines([a, b, a]) == _digest_lines([b.encode() + b"\\n", a.encode()], distinct=True)
    True
    >>> _digest_lines([a]) == _digest_lines([b])
    False
    """
    lines = iter(lines if distinct else set(lines))
    digest = _SetHash()
    while batch := [line.rstrip("\n" if isinstance(line, str) else b"\n")
                    for line in itertools.islice(lines, _BULK_SLICE)]:
        digest.add(batch)
    return digest.hexdigest()


class _SetHash:
    """The running sums of `_digest_lines`."""

    _KEYS = ("kp-set-hash-key1", "kp-set-hash-key2")  # SipHash keys: 16 bytes each

    def __init__(self):
        self.sums = [0, 0]

    def add(self, lines):
        """Add distinct lines (str or bytes, no line breaks; str hashes as its UTF-8 bytes)."""
        import numpy as np
        from pandas.util import hash_array

        values = np.array(lines, dtype=object)
        for i, key in enumerate(self._KEYS):
            self.sums[i] += int(hash_array(values, hash_key=key, categorize=False).sum(dtype=np.uint64))

    def hexdigest(self):
        return "".join(f"{total % (1 << 64):016x}" for total in self.sums)


class GraphDump:
    """A source's new content as a binary file of distinct N-Triples lines, a store's dump
    (`ingest.validate.ValidationStore.dump`): digested and staged a slice at a time, never read whole."""

    def __init__(self, file):
        self.file = file

    def digest(self, block=1 << 26):
        """`_digest_lines` of the file's lines, read a block at a time."""
        self.file.seek(0)
        digest, rest = _SetHash(), b""
        while data := self.file.read(block):
            *lines, rest = (rest + data).split(b"\n")
            digest.add(lines)
        if rest:
            digest.add([rest])
        return digest.hexdigest()

    def slices(self, size):
        """The file's lines, `size` at a time, each slice as bytes."""
        self.file.seek(0)
        while chunk := list(itertools.islice(self.file, size)):
            yield b"".join(chunk)


class _Transaction:
    """What one write changes, switched at one point by `Store._commit`."""

    def __init__(self):
        self.begun = False  # the backend's begin ran (at the first write)
        self.staged = {}  # source key → (new version node, digest)
        self.dropped = set()  # source keys removed
        self.meta = []  # further N-Triples for the meta graph (the import run)
        self.side = {}  # side-state document name → JSON text
        self.blobs = {}  # binary side file name → bytes (`Store.write_tables`)
        self.switched = False

    def changes(self):
        return bool(self.staged or self.dropped or self.side or self.blobs)


def _prefixes_in(sparql):
    """The predefined prefixes `sparql` can use: those whose ``name:`` occurs in it.

    Each prefix handed to the parser costs about 1 µs per query; a query that spells out its IRIs needs none.

    Examples
    --------
    >>> _prefixes_in("SELECT ?t WHERE { ?m a kp:Measure ; dct:title ?t }")
    {'kp': 'https://w3id.org/knotenpunkt/def#', 'dct': 'http://purl.org/dc/terms/'}
    """
    return {name: iri for name, iri in PREFIXES.items() if name + ":" in sparql}


class Store:
    """Facade over a storage backend (`graph.backend`).

    Parameters
    ----------
    path : str or pathlib.Path, optional
        Directory of an on-disk store (created if missing); None keeps the store in
        memory (tests).
    read_only : bool
        Open without write access: no lock, never waits for a writer, works on a read-only
        file system; follows the writers' commits (`refresh`).
    personal_data : bool
        Whether queries, `quads` and exports see the personal-data sources (contact
        persons, e-mails, phones; ``GRAPH.personal/…``). The endpoint and the exports pass
        the setting ``include_personal_data``.
    backend : graph.backend.Backend, optional
        Instead of `path`: a backend such as `graph.remote.SparqlBackend`.
    derive : callable, optional
        For a writer: derives the summary again when the model changed at open
        (`graph.summary.derive`; the views pass it, the store never imports the analyses).

    Examples
    --------
    >>> g = Store()
    >>> g.count_quads(graph=MODEL_GRAPH) > 0
    True
    """

    def __init__(self, path=None, *, read_only=False, personal_data=True, backend=None, derive=None):
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        self.personal_data = personal_data
        # Queries see only the visible current graphs: the union of all graphs when nothing else
        # is there (fast), the explicit list while a transaction stages new versions, or when
        # personal data is hidden.
        self._live = None
        self._union_ok = True
        self._tx = None
        self._pending = None  # the graphs a derivation reads (the staged data)
        if backend is None:
            backend = MemoryBackend() if self.path is None else GenerationsBackend(self.path, write=not read_only)
        self.backend = backend
        if not read_only:
            if backend.tidy:
                self._collect_garbage()
            self.ensure_model(derive=derive)

    @classmethod
    def reader(cls, path, *, personal_data=True):
        """A read-only store that follows the writers' commits; creates an empty store if none."""
        probe = GenerationsBackend(path)
        if not probe.exists():
            try:
                cls(path).close()
            except StoreError as e:
                if getattr(e, "cause", None) is None or probe.path.is_dir() is False and not probe.path.parent.exists():
                    raise
                raise StoreError("store_missing", path=path, error=e) from e
        return cls(path, read_only=True, personal_data=personal_data)

    @property
    def _ox(self):
        """The backend (kept for the query workers' time limit in server-backed mode)."""
        return self.backend

    @property
    def in_transaction(self):
        """Whether a transaction is open on this handle (its writes switch when it ends)."""
        return self._tx is not None

    @property
    def generation(self):
        """Name of the generation this handle reads (on-disk store), else None."""
        return self.backend.generation

    def refresh(self):
        """Follow a writer's commit: reopen on the new generation if the pointer moved.

        Readers (the app, the endpoint's workers) call it before each read, so a committed
        import becomes visible without a restart. Cheap: a ``stat`` of the pointer file (read when it was replaced).
        """
        if self._tx is None and self.backend.refresh():
            self._live = None
        return self

    def close(self):
        """Release the store (and the writer lock) now instead of at garbage collection."""
        self.backend.close()

    # ----------------------------------------------------------------------------------
    # Reading

    def _current(self):
        """Source key → its current versioned graph: the meta graph, with this transaction's changes."""
        self.refresh()
        current = {q.subject.value: q.object
                   for q in self.backend.quads_for_pattern(None, CURRENT_GRAPH, None, META_GRAPH)}
        if self._tx is not None:
            current.update({k: v for k, (v, _) in self._tx.staged.items()})
            for key in self._tx.dropped:
                current.pop(key, None)
        return current

    def _visible(self):
        """Source key → current version, for the sources this handle may see (never side state)."""
        return {k: v for k, v in self._current().items()
                if not k.startswith(STATE_PREFIX) and (self.personal_data or not k.startswith(_PERSONAL))}

    def live_graphs(self):
        """The graphs queries see: every visible current version and the meta graph."""
        if self._live is None:
            self._live = [*self._visible().values(), META_GRAPH]
            self._union_ok = self.backend.union_default and \
                {g.value for g in self.backend.named_graphs()} == {g.value for g in self._live}
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
        staging = self._tx is not None and (self._tx.staged or self._tx.dropped)
        live = self._pending or ([*self._visible().values(), META_GRAPH] if staging else self.live_graphs())
        union = not staging and self._pending is None and self._union_ok
        try:
            return self.backend.query(sparql, prefixes=_prefixes_in(sparql), substitutions=substitutions or None,
                                      default_graph=live, named_graphs=live, union=union)
        except SyntaxError as e:
            raise QueryError("query_malformed", error=e) from e

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
        return results_frame(self.query(sparql, bindings=bindings))

    def quads(self):
        """Every quad of the current data, named by source key instead of version."""
        for key, graph in sorted(self._visible().items()):
            name = ox.NamedNode(key)
            for q in self.backend.quads_for_pattern(None, None, None, graph):
                yield ox.Quad(q.subject, q.predicate, q.object, name)
        yield from self.backend.quads_for_pattern(None, None, None, META_GRAPH)

    def count_quads(self, graph=None):
        """Number of quads of the current data, or of one source (by its key)."""
        if graph is None:
            return sum(1 for _ in self.quads())
        target = self._current().get(str(graph.value if isinstance(graph, ox.NamedNode) else graph))
        if target is None:
            return 0
        solutions = self.backend.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", prefixes={},
                                       default_graph=[target], named_graphs=[target])  # not 2M Python quads
        return int(next(iter(solutions))["n"].value)

    def graphs(self):
        """Keys of the current sources, sorted."""
        return sorted(k for k in self._current() if not k.startswith(STATE_PREFIX))

    def content_digest(self):
        """Content digest of the current data: equal for equal stores."""
        return _digest_lines((str(q) for q in self.quads()), distinct=True)

    def stored_digest(self, graph):
        """The digest of the current version of a source, or None."""
        if self._tx is not None and str(graph) in self._tx.staged:
            return self._tx.staged[str(graph)][1]
        current = self._current().get(str(graph))
        if current is None:
            return None
        for q in self.backend.quads_for_pattern(current, DIGEST, None, META_GRAPH):
            return q.object.value
        return None

    def source_versions(self):
        """Source key → the IRI of its current version, for the sources this handle sees (staged ones included)."""
        return {k: v.value for k, v in self._visible().items()}

    def data_version(self):
        """A short hash that changes whenever any source changes (for caches)."""
        return hashlib.sha256("\n".join(sorted(g.value for g in self._current().values())).encode()).hexdigest()[:16]

    # ----------------------------------------------------------------------------------
    # Transactions

    @contextlib.contextmanager
    def transaction(self):
        """Collect every write of the block and switch it at one point when the block ends.

        Writes are `replace_graphs`, `drop_graph` and `write_json`; reads inside the block see
        them. An exception (or a kill) before the switch leaves the store as it was. Blocks
        nest: an inner block joins the outer one.

        Examples
        --------
        >>> g = Store()
        >>> with g.transaction():
        ...     g.write_json("note.json", {"a": 1})
        ...     g.read_json("note.json", None)
        {'a': 1}
        """
        if self._tx is not None:
            yield self._tx
            return
        if self.read_only:
            raise StoreError("store_read_only")
        self._tx = tx = _Transaction()
        try:
            yield tx
            self._commit(tx)
        except BaseException:
            self._abort(tx)
            raise
        finally:
            self._tx = None
            self._pending = None
            self._live = None

    def _begin(self):
        """Start the backend's transaction at the first write (a transaction that writes nothing costs nothing)."""
        if not self._tx.begun:
            self.backend.begin()
            self._tx.begun = True

    def _commit(self, tx):
        """Side state, pointers, removal of old versions, then the backend's commit: the one switch."""
        if not tx.changes():
            return
        self._begin()
        for name, text in tx.side.items():
            if (entry := self.backend.write_side(name, text)) is not None:  # server-backed: a graph of its own
                key, version, digest = entry
                tx.staged[key] = (version, digest)
        for name, data in tx.blobs.items():
            self.backend.write_blob(name, data)
        phase("side-state")
        before = {q.subject.value: q.object for q in self.backend.quads_for_pattern(None, CURRENT_GRAPH, None, META_GRAPH)}
        moved = sorted(set(tx.staged) | tx.dropped)
        inserts = "\n".join(f"{ox.NamedNode(k)} {CURRENT_GRAPH} {v} .\n{v} {DIGEST} \"{d}\" ."
                            for k, (v, d) in sorted(tx.staged.items()))
        self.backend.switch_meta([ox.NamedNode(k) for k in moved], "\n".join([inserts, *tx.meta]))
        tx.switched = True
        phase("switched")
        for key in moved:
            if (old := before.get(key)) is not None:
                self.backend.remove_graph(old)
        phase("cleaned")
        self.backend.commit()
        self._live = None

    def _abort(self, tx):
        """Undo a transaction that did not switch: staged versions are garbage."""
        if tx.begun and not tx.switched and not self.backend.private:
            for version, _ in tx.staged.values():
                with contextlib.suppress(Exception):
                    self.backend.remove_graph(version)
        if tx.begun:
            self.backend.abort()

    # ----------------------------------------------------------------------------------
    # Writing

    def replace_graphs(self, graphs, *, extra_meta="", derive=None, drop=()):
        """Replace the content of sources, all of them switched with the transaction.

        Each new version is bulk-loaded into a graph of its own; the pointers move when the
        transaction commits (`transaction`; one is opened around this call if none is).

        Parameters
        ----------
        graphs : dict
            Source key IRI → new content: N-Triples text, or an iterable of N-Triples lines.
        extra_meta : str, optional
            Further N-Triples for the meta graph (the import run), written only if some source changed.
        derive : callable, optional
            Called with this store, which then reads the staged data as it will be after
            the switch; returns further sources (key → content) derived from that data
            (`graph.summary.derive`). With an empty `graphs` it derives them again from the
            current data.
        drop : iterable of str
            Source keys to remove in the same transaction (those also in `graphs` stay).

        Returns
        -------
        list of str
            The sources whose content changed or that were removed; empty when nothing was written.
        """
        with self.transaction() as tx:
            current = self._current()
            changed = []
            for key, ntriples in graphs.items():
                if self._stage(key, ntriples):
                    changed.append(str(key))
            for key in sorted(set(map(str, drop)) - set(map(str, graphs))):
                if key in current:
                    tx.dropped.add(key)
                    tx.staged.pop(key, None)
                    changed.append(key)
            if changed:
                phase("staged")
            if not changed and (graphs or derive is None):
                return []
            if derive is not None:
                # the derived sources describe the staged data: queries see it until the switch
                self._pending = [*self._visible().values(), META_GRAPH]
                try:
                    for key, ntriples in derive(self).items():
                        if self._stage(key, ntriples):
                            changed.append(str(key))
                finally:
                    self._pending = None
                phase("derived")
            if changed and extra_meta:
                tx.meta.append(extra_meta)
            return changed

    def _stage(self, key, content):
        """Bulk-load a new version of a source into a graph of its own; False if its content is unchanged.

        `content` is N-Triples text, an iterable of N-Triples lines or a `GraphDump`.
        """
        if isinstance(content, GraphDump):
            digest, slices = content.digest(), content.slices(_BULK_SLICE)
        else:
            lines = list({line for line in (content.splitlines() if isinstance(content, str) else content)
                          if line.strip()})
            digest = _digest_lines(lines, distinct=True)
            slices = (LinesReader(lines[at:at + _BULK_SLICE]) for at in range(0, len(lines), _BULK_SLICE))
        if self.stored_digest(key) == digest:
            return False
        self._begin()
        version = ox.NamedNode(f"{key}/{digest[:16]}")
        if self.backend.contains_named_graph(version):  # left by an interrupted import
            self.backend.remove_graph(version)
        self._bulk_load(slices, version)
        if (earlier := self._tx.staged.get(str(key))) is not None and earlier[0] != version:
            self.backend.remove_graph(earlier[0])  # staged twice in one transaction
        self._tx.staged[str(key)] = (version, digest)
        return True

    def _bulk_load(self, slices, graph):
        """Load the slices into `graph`, as many at once as the backend allows (`Backend.loaders`).

        In slices because oxigraph's bulk loader keeps a whole batch in memory; the next slice is read
        while the loads run.
        """
        if self.backend.loaders == 1:
            for data in slices:
                self.backend.bulk_load(data, to_graph=graph)
            return
        with ThreadPoolExecutor(self.backend.loaders) as pool:
            running = collections.deque()
            for data in slices:
                if len(running) == self.backend.loaders:
                    running.popleft().result()
                running.append(pool.submit(self.backend.bulk_load, data, to_graph=graph))
            for load in running:
                load.result()

    def drop_graph(self, graph, *, derive=None):
        """Remove a source in one transaction.

        With `derive` (`graph.summary.derive`) the summary is derived again from the data left;
        without it the summary goes too (no summary is better than counts of other data).
        """
        with self.transaction():
            self.replace_graphs({}, drop=[str(graph)])
            if self._has_data() and derive is not None:
                self.replace_graphs({}, derive=derive)
            else:
                self.replace_graphs({}, drop=[SUMMARY_KEY])

    def _has_data(self):
        return any(key not in (MODEL_GRAPH.value, SUMMARY_KEY) and not key.startswith(STATE_PREFIX)
                   for key in self._current())

    def inventory_sources(self):
        """Keys of the current sources an import writes (data, personal data, territories)."""
        return sorted(k for k in self._current() if k.startswith(INVENTORY_PREFIXES))

    def _collect_garbage(self):
        """Remove graph versions no pointer refers to (left by an interrupted writer; server-backed mode)."""
        keep = {g.value for g in self._current().values()} | {META_GRAPH.value}
        for graph in list(self.backend.named_graphs()):
            if graph.value not in keep:
                self.backend.remove_graph(graph)

    def ensure_model(self, *, derive=None):
        """Load the ontology and vocabularies into the model graph if they changed.

        With `derive` (`graph.summary.derive`) the summary is derived again in the same
        transaction (the vocabularies' hierarchy counts in it).
        """
        with self.transaction():
            changed = self.replace_graphs({MODEL_GRAPH.value: model_graph().serialize(format="nt")})
            if changed and derive is not None and self._has_data():
                self.replace_graphs({}, derive=derive)

    # ----------------------------------------------------------------------------------
    # Side state: small JSON documents switched with the data

    def read_json(self, name, default):
        """A side-state document (remembered mapping, organisation results, versions), or `default`."""
        if self._tx is not None and name in self._tx.side:
            return json.loads(self._tx.side[name])
        self.refresh()
        text = self.backend.read_side(name)
        return default if text is None else json.loads(text)

    def write_json(self, name, data):
        """Write a side-state document with the transaction (one is opened around this call if none is)."""
        text = json.dumps(data, ensure_ascii=False, indent=2, default=as_json)  # a Phrase in both languages
        with self.transaction() as tx:
            if name in tx.side or self.backend.read_side(name) != text:
                tx.side[name] = text


    # ----------------------------------------------------------------------------------
    # Tables kept beside the data: columnar files (Apache Parquet), switched with the transaction

    def read_tables(self, name, key):
        """The tables written by `write_tables` under `name`, if they were written for `key`; else None.

        None too in server-backed mode (the server keeps no files): callers compute the tables again.
        """
        if not self.backend.blobs:
            return None
        index = self.read_json(f"{name}.json", None)
        if not index or index.get("key") != key:
            return None
        import pyarrow.parquet as pq

        tables = {}
        for table in index["tables"]:
            if (data := self.read_blob(f"{name}.{table}.parquet")) is None:
                return None
            tables[table] = pq.read_table(_buffer(data)).to_pandas()
        return tables

    def write_tables(self, name, key, tables):
        """Keep DataFrames beside the data, as Parquet files, with the transaction (one is opened if none is).

        Parameters
        ----------
        name : str
            Name of the set of tables (``frames``: the analyses' tables, `graph.extract`).
        key : str
            What the tables were computed from; `read_tables` returns them only for the same key.
        tables : dict
            Table name → pandas.DataFrame. Columns keep their types (strings, numbers, dates).

        Returns
        -------
        bool
            False when the backend keeps no files (server-backed mode).
        """
        if not self.backend.blobs:
            return False
        import pyarrow as pa
        import pyarrow.parquet as pq

        with self.transaction():
            for table, frame in tables.items():
                sink = pa.BufferOutputStream()
                pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), sink, compression="lz4")
                self.write_blob(f"{name}.{table}.parquet", sink.getvalue().to_pybytes())
            self.write_json(f"{name}.json", {"key": key, "tables": sorted(tables)})
        return True

    def read_blob(self, name):
        """A binary side file (``*.parquet``, ``*.gz``) of the current generation or this transaction, or None."""
        if self._tx is not None and name in self._tx.blobs:
            return self._tx.blobs[name]
        self.refresh()
        return self.backend.read_blob(name)

    def write_blob(self, name, data):
        """Write a binary side file with the transaction; False when the backend keeps none (server-backed)."""
        if not self.backend.blobs:
            return False
        with self.transaction() as tx:
            tx.blobs[name] = data
        return True

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
            raise StoreError("export_format_unknown", format=repr(fmt), formats=", ".join(EXPORT_FORMATS))
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
        target = Path(target)
        if self.path is not None and target.exists():
            raise StoreError("target_exists", target=target)
        self.refresh()
        self.backend.backup(target)
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
            raise StoreError("target_exists", target=target)
        source = Store(backup_dir, read_only=True)
        expected = {"quads": source.count_quads(), "digest": source.content_digest()}
        source.close()
        shutil.copytree(backup_dir, target)
        restored = Store(target, read_only=True)
        got = {"quads": restored.count_quads(), "digest": restored.content_digest()}
        restored.close()
        if got != expected:
            raise StoreError("restore_mismatch", expected=expected, got=got)
        return got
