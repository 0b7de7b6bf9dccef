"""Storage backends behind the store facade: the embedded store in immutable generations, and memory.

A backend keeps quads in named graphs and the side state (small JSON documents: remembered
mapping, organisation results, versions) and offers one write transaction at a time:
`begin`, `commit`, `abort`. The facade (`graph.store.Store`) does everything else — versioned
sources, pointers, personal data, queries — the same way over every backend, as rdflib's
``Graph`` does over its ``Store`` plugins. The third backend, a SPARQL 1.1 server, is
`graph.remote.SparqlBackend`.

Immutable generations (decision note ``docs/decisions/20261205-store-generations.md``)
-------------------------------------------------------------------------------------
An on-disk store directory holds::

    lock                      a writer holds an exclusive lock on it (and writes its process id)
    CURRENT                   the name of the generation readers open, replaced atomically
    generations/g-000007/     one complete store: oxigraph/ (pyoxigraph), the side-state
                              files (*.json) and readers.lock (readers hold a shared lock)

Nobody ever writes a published generation. A writer (one at a time) checkpoints the current
generation into a private directory (RocksDB hard links: milliseconds), writes data, summary,
side state and pointers there, closes it, renames it into place and replaces ``CURRENT``: that
one rename is the commit. Readers open the generation ``CURRENT`` names read-only and reopen
when it moves; a generation is removed only when no reader holds its lock. A kill at any moment
leaves ``CURRENT`` on the old generation or on the complete new one. A store directory of the
earlier layout (``oxigraph/`` and JSON files at its top) is read as it is and becomes
generation 1 at its first write.
"""

import errno
import fcntl
import gc
import os
import shutil
import signal
import sys
import time
from pathlib import Path

import pyoxigraph as ox

from knotenpunkt.graph.errors import StoreError
from knotenpunkt.graph.texts import Phrase
from knotenpunkt.ontology.namespace import GRAPH, KP

__all__ = ["Backend", "MemoryBackend", "GenerationsBackend", "META_GRAPH", "CURRENT_GRAPH", "DIGEST",
           "STATE_PREFIX", "phase", "store_error", "WRITE_WAIT_S"]

META_GRAPH = ox.NamedNode(str(GRAPH.meta))
CURRENT_GRAPH = ox.NamedNode(str(KP.currentGraph))
DIGEST = ox.NamedNode(str(KP.sha256))
STATE_PREFIX = str(GRAPH["state/"])  # keys of side-state documents kept as graphs (server-backed mode)
WRITE_WAIT_S = 5.0  # how long a writer waits for another writer's lock
_POINTER = "CURRENT"
_GENERATIONS = "generations"
_READERS = "readers.lock"
_SIDE_SUFFIX = ".json"
_BLOB_SUFFIXES = (".parquet", ".gz")  # binary side files: tables (`Store.write_tables`), compressed documents


def phase(name):
    """Mark a phase boundary of a write (a test hook).

    With the environment variable ``KNOTENPUNKT_TEST_KILL_AT`` set to `name` the process kills
    itself here (SIGKILL, as a power cut would); ``tests/test_transactions.py`` interrupts an
    import at every boundary this way. Otherwise nothing happens.
    """
    if os.environ.get("KNOTENPUNKT_TEST_KILL_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)


def store_error(path, error, *, writing=False):
    """A `StoreError` naming the real cause of an OS or RocksDB error on the store at `path`.

    Examples
    --------
    >>> str(store_error("/srv/s", OSError(errno.ENOSPC, "No space left on device")))[:40]
    'Kein Platz mehr auf dem Datenträger für '
    """
    text = str(error)
    number = getattr(error, "errno", None)
    if number == errno.EROFS or "Read-only file system" in text:
        out = StoreError("store_read_only_medium", path=path)
    elif number == errno.ENOSPC or "No space left" in text:
        out = StoreError("store_no_space", path=path, unchanged=Phrase("error.store_unchanged") if writing else "")
    elif number in (errno.EACCES, errno.EPERM) or "Permission denied" in text:
        out = StoreError("store_permission", path=path)
    elif "orruption" in text or "corrupt" in text.lower() or "Invalid argument: " in text:
        out = StoreError("store_corrupt", path=path, error=text.strip()[:200])
    else:
        out = StoreError("store_unopenable", path=path, error=text.strip()[:200])
    out.cause = error
    return out


class Backend:
    """The interface the facade needs from a storage backend.

    Reading: `query`, `quads_for_pattern`, `named_graphs`, `contains_named_graph`,
    `read_side`. Writing, only between `begin` and `commit`/`abort`: `bulk_load`,
    `remove_graph`, `switch_meta`, `write_side`. `refresh` follows other processes' commits.

    Attributes
    ----------
    union_default : bool
        Queries may use the union of all graphs as the default graph (fast path of the
        embedded store); otherwise the facade names the graphs in every query.
    private : bool
        A transaction writes into a copy nobody else sees, so `abort` alone undoes it.
    tidy : bool
        Graphs no pointer refers to may exist (left by an interrupted writer) and a writer
        removes them on open.
    loaders : int
        Bulk loads that may run at once into one graph.
    """

    union_default = True
    private = False
    tidy = False
    loaders = 1
    blobs = False  # keeps binary side files (`read_blob`, `write_blob`); else callers recompute
    generation = None

    def refresh(self):
        """Follow other processes' commits; True when what this handle reads changed."""
        return False

    def begin(self):
        """Start writing (the facade calls it before the first write of a transaction)."""

    def commit(self):
        """Make everything written since `begin` visible at one point."""

    def abort(self):
        """Forget everything written since `begin` (as far as the backend can)."""

    def close(self):
        """Release files and locks now."""

    def read_blob(self, name):
        """A binary side file, or None (the backend keeps none)."""
        return None

    def backup(self, target):
        raise StoreError("backup_needs_disk_store")


class _Embedded(Backend):
    """Shared part of the two pyoxigraph backends: every primitive runs on `self._handle()`.

    Two bulk loads run at once on two cores: pyoxigraph loads without the GIL, and one load of a slice
    keeps about one core busy (100k measures: 2.2M triples in 18 s against 27 s one slice after the other).
    """

    blobs = True
    loaders = min(2, os.cpu_count() or 1)

    def query(self, sparql, *, prefixes, substitutions=None, default_graph=None, named_graphs=None, union=False):
        if union:
            return self._handle().query(sparql, prefixes=prefixes, substitutions=substitutions,
                                        use_default_graph_as_union=True)
        return self._handle().query(sparql, prefixes=prefixes, substitutions=substitutions,
                                    default_graph=default_graph, named_graphs=named_graphs)

    def quads_for_pattern(self, subject, predicate, obj, graph):
        return self._handle().quads_for_pattern(subject, predicate, obj, graph)

    def named_graphs(self):
        return list(self._handle().named_graphs())

    def contains_named_graph(self, graph):
        return self._handle().contains_named_graph(graph)

    def bulk_load(self, reader, *, to_graph):
        self._handle().bulk_load(reader, format=ox.RdfFormat.N_TRIPLES, to_graph=to_graph)

    def remove_graph(self, graph):
        self._handle().remove_graph(graph)

    def switch_meta(self, keys, ntriples):
        """In one update: remove the pointers (and digests) of `keys`, add `ntriples` to the meta graph."""
        deletes = " ".join(f"DELETE WHERE {{ GRAPH {META_GRAPH} {{ {k} {CURRENT_GRAPH} ?v{i} . ?v{i} {DIGEST} ?d{i} }} }} ;"
                           for i, k in enumerate(keys))
        self._handle().update(f"{deletes} INSERT DATA {{ GRAPH {META_GRAPH} {{\n{ntriples}\n}} }}")


class MemoryBackend(_Embedded):
    """An in-memory pyoxigraph store (tests, planning); side state in a dict."""

    def __init__(self):
        self._ox = ox.Store()
        self._side = {}

    def _handle(self):
        return self._ox

    def read_side(self, name):
        return self._side.get(name)

    def write_side(self, name, text):
        self._side[name] = text

    def read_blob(self, name):
        return self._side.get(name)

    def write_blob(self, name, data):
        self._side[name] = data


class GenerationsBackend(_Embedded):
    """An on-disk store directory in immutable generations (see the module docstring).

    Parameters
    ----------
    path : str or pathlib.Path
        The store directory.
    write : bool
        Take the writer lock (waiting up to `WRITE_WAIT_S`) for the life of this handle.
    """

    private = True

    def __init__(self, path, *, write=False):
        self.path = Path(path)
        self.write = write
        self.generation = None
        self._dir = None  # the directory of the generation read
        self._ro = None
        self._ro_lock = None
        self._rw = None
        self._tx_dir = None
        self._lock = None
        self._empty = ox.Store()
        self._pointer_path = str(self.path / _POINTER)
        self._stamp = None  # `_pointer_stamp` when `refresh` last read CURRENT
        if write:
            self._acquire_writer()
            self._tidy_generations()
        self._open_current()

    # -- reading -----------------------------------------------------------------------

    def exists(self):
        """Whether the directory holds a store (a generation or the earlier layout)."""
        return self._pointer() is not None or (self.path / "oxigraph").is_dir()

    def _pointer(self):
        try:
            return (self.path / _POINTER).read_text(encoding="utf-8").strip() or None
        except FileNotFoundError:
            return None
        except OSError as e:
            raise store_error(self.path, e) from e

    def _handle(self):
        """The store written (in a transaction), else the generation read (an empty store before the first)."""
        for handle in (self._rw, self._ro):  # not `or`: an empty pyoxigraph store is falsy
            if handle is not None:
                return handle
        return self._empty

    def _open_current(self, attempts=100):
        """Open the generation CURRENT names read-only, holding its readers' lock."""
        for _ in range(attempts):
            name = self._pointer()
            if name is None:
                if (self.path / "oxigraph").is_dir():  # the earlier layout: the directory is the generation
                    self._ro = self._open_read_only(self.path)
                    self._dir, self.generation = self.path, "legacy"
                return
            folder = self.path / _GENERATIONS / name
            try:
                fd = os.open(folder / _READERS, os.O_RDONLY)
            except FileNotFoundError:  # removed between reading CURRENT and opening: CURRENT moved
                time.sleep(0.01)
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:  # a writer is removing it: CURRENT moved
                os.close(fd)
                time.sleep(0.01)
                continue
            if not (folder / "oxigraph").is_dir():
                os.close(fd)
                continue
            try:
                self._ro = self._open_read_only(folder)
            except BaseException:
                os.close(fd)
                raise
            self._ro_lock, self._dir, self.generation = fd, folder, name
            return
        raise StoreError("store_keeps_changing", path=self.path)

    def _open_read_only(self, folder):
        try:
            return ox.Store.read_only(str(folder / "oxigraph"))
        except (OSError, RuntimeError) as e:
            raise store_error(self.path, e) from e

    def _drop(self, name):
        """Let go of the pyoxigraph handle in attribute `name`: the database closes when the handle is
        collected, at once unless a cycle still holds it (only then a full collection, slow on a large heap)."""
        held = getattr(self, name) is not None and sys.getrefcount(getattr(self, name)) > 2  # attribute + argument
        setattr(self, name, None)
        if held:
            gc.collect()

    def _release_current(self):
        self._drop("_ro")
        if self._ro_lock is not None:
            os.close(self._ro_lock)
        self._ro_lock, self._dir, self.generation = None, None, None

    def _pointer_stamp(self):
        """Identity of the file CURRENT, or None: a commit replaces the file (`commit`), so the stamp changes."""
        try:
            stat = os.stat(self._pointer_path)
        except OSError:
            return None
        return stat.st_ino, stat.st_mtime_ns, stat.st_ctime_ns

    def refresh(self):
        """Reopen when CURRENT names another generation; a stat when it was not replaced since the last look."""
        if self._rw is not None:
            return False
        stamp = self._pointer_stamp()  # before reading: a commit in between only causes one more read
        if stamp is not None and stamp == self._stamp:
            return False
        name = self._pointer()
        moved = name != self.generation and not (name is None and self.generation == "legacy")
        if moved:
            self._release_current()
            self._open_current()
        self._stamp = stamp  # only once read (and reopened): after an error the next call tries again
        return moved

    def read_side(self, name):
        folder = self._tx_dir or self._dir
        if folder is None:
            return None
        try:
            return (folder / name).read_text(encoding="utf-8")
        except FileNotFoundError:
            return None

    def read_blob(self, name):
        folder = self._tx_dir or self._dir
        if folder is None or not name.endswith(_BLOB_SUFFIXES):
            return None
        try:
            return (folder / name).read_bytes()
        except FileNotFoundError:
            return None

    def close(self):
        if self._tx_dir is not None:
            self.abort()
        self._rw = None
        self._release_current()
        if self._lock is not None:
            os.close(self._lock)  # releases the writer lock
            self._lock = None

    def __del__(self):
        try:
            if self._lock is not None or self._ro_lock is not None:
                self.close()
        except Exception:  # at interpreter exit the modules may be gone; the OS releases the locks
            pass

    # -- writing -----------------------------------------------------------------------

    def _acquire_writer(self):
        """Take the writer lock, waiting up to `WRITE_WAIT_S`; the error names the process holding it."""
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path / "lock", os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as e:
            raise store_error(self.path, e, writing=True) from e
        deadline = time.monotonic() + WRITE_WAIT_S
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
                    os.close(fd)
                    raise StoreError("store_locked", path=self.path, holder=holder, seconds=f"{WRITE_WAIT_S:g}") from None
                time.sleep(0.05)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        self._lock = fd

    def _numbers(self):
        folder = self.path / _GENERATIONS
        found = [0]
        for entry in (os.listdir(folder) if folder.is_dir() else ()):
            digits = entry.lstrip(".tmprash-g")[:6]
            if digits.isdigit():
                found.append(int(digits))
        return found

    def begin(self):
        """Checkpoint the current generation into a private directory and open it for writing."""
        number = max(self._numbers()) + 1
        self._tx_dir = self.path / _GENERATIONS / f".tmp-{number:06d}-{os.getpid()}"
        try:
            self._tx_dir.mkdir(parents=True)
            if self._ro is not None:
                self._ro.backup(str(self._tx_dir / "oxigraph"))  # hard links to the immutable files
                for file in self._side_files(self._dir):
                    _link_or_copy(file, self._tx_dir / file.name)  # never written in place: a link is safe
            self._rw = ox.Store(str(self._tx_dir / "oxigraph"))
        except (OSError, RuntimeError) as e:
            self.abort()
            raise store_error(self.path, e, writing=True) from e

    @staticmethod
    def _side_files(folder):
        """The side-state documents and binary side files of a generation."""
        return [f for suffix in (_SIDE_SUFFIX, *_BLOB_SUFFIXES) for f in folder.glob(f"*{suffix}")]

    def write_side(self, name, text):
        tmp = self._tx_dir / f".{name}.tmp"
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(self._tx_dir / name)

    def write_blob(self, name, data):
        if not name.endswith(_BLOB_SUFFIXES):
            raise ValueError(f"binary side files end in {' or '.join(_BLOB_SUFFIXES)}: {name}")  # a programming error
        tmp = self._tx_dir / f".{name}.tmp"
        tmp.write_bytes(data)
        tmp.replace(self._tx_dir / name)

    def commit(self):
        """Close the private generation, rename it into place and switch CURRENT to it (the commit)."""
        try:
            self._rw.flush()
            self._drop("_rw")
            (self._tx_dir / _READERS).touch()
            name = "g-" + self._tx_dir.name.split("-")[1]
            os.rename(self._tx_dir, self.path / _GENERATIONS / name)
            self._tx_dir = None
            _fsync_dir(self.path / _GENERATIONS)
            phase("generation-written")
            tmp = self.path / f".{_POINTER}.tmp"
            with open(tmp, "w", encoding="utf-8") as f:
                f.write(name + "\n")
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path / _POINTER)  # the commit point
            _fsync_dir(self.path)
        except (OSError, RuntimeError) as e:
            self.abort()
            raise store_error(self.path, e, writing=True) from e
        phase("published")
        self._release_current()
        self._open_current()
        self._tidy_generations()
        phase("tidied")

    def abort(self):
        self._drop("_rw")
        if self._tx_dir is not None:
            shutil.rmtree(self._tx_dir, ignore_errors=True)
            self._tx_dir = None

    def _tidy_generations(self):
        """Remove private directories of interrupted writers and generations no reader holds."""
        folder = self.path / _GENERATIONS
        current = self._pointer()
        for entry in sorted(os.listdir(folder)) if folder.is_dir() else ():
            path = folder / entry
            if entry == current or path == self._tx_dir:
                continue
            if entry.startswith((".tmp-", ".trash-")):
                shutil.rmtree(path, ignore_errors=True)
                continue
            try:
                fd = os.open(path / _READERS, os.O_RDONLY)
            except OSError:
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:  # a reader still reads it: removed by a later writer
                os.close(fd)
                continue
            trash = folder / f".trash-{entry}"
            os.rename(path, trash)
            os.close(fd)
            shutil.rmtree(trash, ignore_errors=True)

    def backup(self, target):
        """A consistent copy of the current generation in `target`, in the plain layout (oxigraph/ + JSON)."""
        if self._ro is None:
            raise StoreError("backup_nothing", path=self.path)
        target.mkdir(parents=True)
        self._ro.backup(str(target / "oxigraph"))
        copy = ox.Store(str(target / "oxigraph"))  # replays the checkpoint's log: a read-only open does not
        copy.flush()
        del copy
        gc.collect()
        for file in self._side_files(self._dir):
            shutil.copy2(file, target / file.name)


def _link_or_copy(source, target):
    """Hard-link `source` to `target` (files of a published generation never change), else copy it."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _fsync_dir(folder):
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
