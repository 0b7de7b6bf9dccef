"""Spreadsheets → validated RDF, with a report that accounts for every row.

`plan_import` reads the files, recognises their tables, maps every value and builds
one RDF graph per file without touching the store; `commit_import` validates and
writes the graphs, the summary, the version record and the remembered decisions in one
transaction. The files of one import are the inventory: they replace the sources of the
previous one, whatever their names, unless ``add`` keeps them. `import_files` does both (or only the first
with ``dry_run``). The CLI and the app's import page call these.
"""

import contextlib
import datetime as dt
import gc
import hashlib
import json
import zlib
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import PROV

from knotenpunkt.graph import summary
from knotenpunkt.graph.backend import phase
from knotenpunkt.graph.errors import IngestError, ValidationError
from knotenpunkt.graph.extract import load_frames, query_frames
from knotenpunkt.graph.queries import run_frame
from knotenpunkt.graph.settings import get_setting
from knotenpunkt.graph.store import MODEL_GRAPH
from knotenpunkt.graph.texts import Phrase, as_json, text
from knotenpunkt.graph.sidestate import remember
from knotenpunkt.graph.versions import record_version
from knotenpunkt.ingest import mapping as user_mapping
from knotenpunkt.ingest.orgs import merge_reasons, resolve_organisations
from knotenpunkt.ingest.copies import drop_copies
from knotenpunkt.ingest.read import RDF_SUFFIXES, clean_text, input_files, read_file
from knotenpunkt.ingest.tables import find_table, header_template
from knotenpunkt.ingest.territory import detect_city, known_cities
from knotenpunkt.ingest.text import normalize_label, short_hash, slugify, split_values
from knotenpunkt.ingest.builder import Builder, TripleSink
from knotenpunkt.ingest.limits import check_jsonld
from knotenpunkt.ingest.personal import separate_personal
from knotenpunkt.ingest.rows import IMPORTERS, ORDER, OWN_FUNDS, collect_org_names, describe_orgs, describe_territory
from knotenpunkt.ontology.namespace import GRAPH, KP

__all__ = ["ImportPlan", "plan_import", "commit_import", "import_files", "LAST_IMPORT"]

LAST_IMPORT = "last_import.json"  # what the last committed import read and wrote, to skip an unchanged one
_LAST_REPORT = "last_import.report.json.gz"  # its row report and detected mapping (large: compressed)
# The settings an import's result depends on (the others concern the store, the endpoint or the app).
_IMPORT_SETTINGS = ("max_file_mb", "max_unpacked_mb", "max_cells", "max_columns", "max_cell_chars", "fuzzy_threshold",
                    "org_merge_threshold", "language")
# Sources an import neither writes nor depends on: what is derived from the data or decided over it later.
_NOT_IMPORTED = (str(GRAPH.summary), str(GRAPH.corrections), str(GRAPH.decisions))


@dataclass
class ImportPlan:
    """What an import would write, and the report on every row."""

    report: dict
    graphs: dict = field(default_factory=dict)  # graph IRI -> TripleSink
    files: list = field(default_factory=list)  # the files read (`ingest.read.RawFile`), without their cells
    mapping: dict = field(default_factory=dict)  # the detected mapping, for --write-mapping
    user_mapping: dict = field(default_factory=dict)  # the user's decisions, remembered on commit
    city: object = None
    validation: tuple = None  # (conforms, results_text, results) once validated
    fingerprint: str = None  # files, mapping, settings and code the plan was made from (`_fingerprint`)
    frames: object = None  # the analyses' frames of model + planned data, read from the validation store
    counted: dict = None  # the key figures counted in model + planned data (``extract_key_figures``), likewise
    unchanged: bool = False  # the store already holds what this plan would write (`import_files`)
    loaded: object = None  # the planned triples, loaded while they were built (`ingest.validate.ValidationStore`)

    @property
    def counts(self):
        """Rows, imported, warning, rejected."""
        return self.report["counts"]

    def validate(self, *, frames=True):
        """Validate the planned triples against the shapes, once: ``(conforms, results_text, results)``.

        With `frames`, the analyses' frames of the planned data are read from the store validated
        (in memory, all data in one graph: faster than from the staged data at commit).
        """
        if self.unchanged:  # validated when it was committed
            return True, "", []
        if self.validation is None:
            def keep_frames(validated):
                # one query at a time: two at once hold two results beside the frames (at the import's peak,
                # 80 MB more at 100k measures for 2.5 s less)
                self.frames = query_frames(validated)
                self.counted = run_frame(validated, "extract_key_figures").iloc[0].to_dict()

            inspect = keep_frames if frames else None
            self.validation = self.loaded.check(inspect=inspect)
        return self.validation


def _find_tables(raw, mapping, report_file):
    tables = []
    entries = {}  # id(table) -> its sheet's report entry
    empty = []  # the sheets whose table has a header and no rows
    forced = mapping.get("kinds", {})
    for sheet in raw.sheets:
        kind = forced.get(sheet.name)
        overrides = {**mapping.get("columns", {}).get("*", {}), **mapping.get("columns", {}).get(sheet.name, {})}
        try:
            table = find_table(sheet, kind=kind, overrides=overrides)
        except IngestError as e:
            error = IngestError(e.key, **e.params, file=raw.path.name, sheet=sheet.name, row=e.row, column=e.column,
                                code=e.code, template=_template(raw, mapping))
            error.role = getattr(e, "role", None)
            raise error from None
        rows_total = sum(1 for row in sheet.rows if any(clean_text(c) for c in row))
        entry = {"name": sheet.name, "notes": list(sheet.notes)}
        if table is None:
            entry.update(kind=None, status="skipped", nonempty_rows=rows_total,
                         reason=text("row.no_known_table", "de"), reason_en=text("row.no_known_table", "en"))
        elif not table.rows:  # a header without data (an empty template sheet, or prose naming column words)
            entry.update(kind=table.kind, status="skipped", header_row=table.header_row, nonempty_rows=rows_total,
                         reason=text("row.no_data_rows", "de", row=table.header_row),
                         reason_en=text("row.no_data_rows", "en", row=table.header_row))
            empty.append(entry)
        else:
            entry.update(kind=table.kind, status="used", header_row=table.header_row, reason=table.reason,
                         reason_en=table.reason_en,
                         columns={role: table.headers[i].replace("\n", " ") for role, i in table.columns.items()},
                         more_columns={role: [table.headers[i] for i in indexes]
                                       for role, indexes in table.more_columns.items()},
                         unmapped_columns=list(table.extra_columns.values()), rows=len(table.rows),
                         title_lines=table.title_lines, notes=entry["notes"] + table.notes,
                         note_rows=table.note_rows)
            tables.append((raw, sheet, table))
            entries[id(table)] = entry
        report_file["sheets"].append(entry)
    tables = drop_copies(tables, entries)  # a sheet repeating another's records: imported once
    if raw.sheets and not tables and empty:
        raise IngestError("no_rows", file=raw.path.name, sheet=empty[0]["name"], row=empty[0]["header_row"],
                          code="no_rows")
    if raw.sheets and not tables:
        raise IngestError("no_table", file=raw.path.name,
                          code="no_table", template=_template(raw, mapping))
    return tables


def _template(raw, mapping):
    """A mapping to edit for a file that could not be imported: each sheet's headers with the roles found."""
    out = {"kinds": {}, "columns": {}}
    for sheet in raw.sheets:
        kind, columns = header_template(sheet, kind=mapping.get("kinds", {}).get(sheet.name),
                                        overrides=mapping.get("columns", {}).get(sheet.name, {}))
        if columns:
            out["kinds"][sheet.name] = kind
            out["columns"][sheet.name] = columns
    return user_mapping.merge(mapping, out)


def _load_rdf(raw, b):
    fmt = RDF_SUFFIXES[raw.path.suffix.lower()]
    if fmt == "json-ld":
        check_jsonld(raw.path)  # no remote or file @context: rdflib would fetch it
    g = Graph()
    try:
        g.parse(raw.path, format=fmt)
    except Exception as e:  # rdflib raises parser-specific exception types
        raise IngestError("bad_rdf", error=e, file=raw.path.name, code="bad_rdf") from None
    b.graphs[GRAPH[f"data/{b.city.slug}/{slugify(raw.path.name)}"]] = \
        TripleSink(line for line in g.serialize(format="nt").splitlines() if line)
    return len(g)


def _cities_named_in_rdf(raws):
    """Bundled municipalities whose instance IRIs an RDF file uses (its data is about them)."""
    texts = [raw.path.read_text(encoding="utf-8", errors="replace") for raw in raws if raw.kind == "rdf"]
    return [city.slug for city, _ in known_cities() if any(str(city.base) in text for text in texts)]


@contextlib.contextmanager
def _fewer_collections():
    """Run the cyclic garbage collector seldom while importing.

    An import allocates millions of objects (cells, lines, report rows) that live until it ends and makes
    no cycles worth collecting meanwhile; by default a collection runs every 700 allocations and the full
    one scans the whole growing heap (15% of the time at 10k rows, more with more rows).
    """
    before = gc.get_threshold()
    gc.set_threshold(50_000, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*before)


@_fewer_collections()
def plan_import(paths, store, *, city=None, mapping=None, progress=None):
    """Read, recognise and map the files; build the RDF graphs; write nothing.

    Parameters
    ----------
    paths : list of str or pathlib.Path
    store : graph.store.Store
        Read for vocabularies, territories and the remembered decisions.
    city : str, optional
        The municipality; detected from titles and file names when omitted.
    mapping : dict, optional
        The user's mapping (see `ingest.mapping`); merged over the store's.
    progress : callable, optional
        ``progress(fraction, text)``; `text` is a `graph.texts.Phrase` (``text.message(lang)``).

    Returns
    -------
    ImportPlan

    Raises
    ------
    IngestError
        A file that cannot be read or whose tables lack required columns.
    """
    progress = progress or (lambda fraction, text: None)
    paths = input_files(paths)
    mapping = user_mapping.merge(user_mapping.load_remembered(store), mapping or {})
    fingerprint = _fingerprint(paths, city, mapping)
    raws = []
    for i, path in enumerate(paths):
        progress(0.05 + 0.25 * i / max(len(paths), 1), Phrase("row.progress_reading", path=path))
        raws.append(read_file(path))
    report = {"files": []}
    tables = []
    for raw in raws:
        entry = {"path": str(raw.path), "name": raw.path.name, "sha256": raw.sha256, "kind": raw.kind, "sheets": []}
        report["files"].append(entry)
        if raw.kind != "rdf":
            tables.extend(_find_tables(raw, mapping, entry))
    titles = [raw.path.stem for raw in raws] + _cities_named_in_rdf(raws) + [t.sheet for _, _, t in tables] + \
        [line for _, _, t in tables for line in t.title_lines]
    org_names = [clean_text(t.value(cells, role)) for _, _, t in tables for _, cells in t.rows
                 for role in ("name", "provider")]
    places = [clean_text(t.value(cells, role)) for _, _, t in tables for _, cells in t.rows
              for role in ("districts", "district", "city")]
    the_city, how = detect_city(store, explicit=city or mapping.get("city"), titles=titles, org_names=org_names,
                                places=places)
    report["city"] = {"name": the_city.name, "slug": the_city.slug, "how": how}
    b = Builder(store, the_city, mapping)
    if b.territory.lines:  # a bundled territory is written by the import of its municipality
        b.graphs[GRAPH[f"territory/{the_city.slug}"]] = TripleSink(b.territory.lines)
    for raw in raws:
        if raw.kind == "rdf":
            next(f for f in report["files"] if f["path"] == str(raw.path))["triples"] = _load_rdf(raw, b)
    progress(0.4, Phrase("row.progress_organisations"))
    b.known_org_keys = {normalize_label(name) for _, _, t in tables if t.kind == "providers" for _, cells in t.rows
                        for name in [b.text(t, cells, "name"), *split_values(b.text(t, cells, "short_name"))]}
    b.known_org_keys.discard("")
    b.provider_keys = {normalize_label(b.text(t, cells, "provider")) for _, _, t in tables if t.kind == "measures"
                       for _, cells in t.rows} - {""}
    b.known_org_keys |= OWN_FUNDS
    region, area_words = b.territory.name_words()
    # The places the data names are place words too, whether or not they are areas yet.
    area_words |= {w for p in set(places) for w in normalize_label(b.territory.local_name(p)).split()} - region
    b.orgs = resolve_organisations(collect_org_names(b, tables), region=region, places=area_words,
                                   decisions=mapping.get("organisations"), threshold=get_setting("org_merge_threshold"))
    for kind in ORDER:
        for raw, sheet, table in tables:
            if table.kind == kind:
                progress(0.45 + 0.4 * ORDER.index(kind) / len(ORDER), Phrase("row.progress_sheet", sheet=sheet.name, kind=Phrase("label.kind." + kind)))
                IMPORTERS[kind](b, raw, sheet, table)
    if any(str(iri).startswith(str(GRAPH["data/"])) for iri in b.graphs):
        describe_territory(b, next(g for iri, g in b.graphs.items() if str(iri).startswith(str(GRAPH["data/"]))))
    describe_orgs(b)
    b.feed()
    report["personal"] = separate_personal(b.graphs, b.validation)  # personal data by content and property (issue 16)
    counts = Counter(row["status"] for row in b.rows)
    report["rows"] = b.rows
    report["counts"] = {"rows": len(b.rows), "imported": counts["imported"], "warning": counts["warning"],
                        "rejected": counts["rejected"]}
    report["organisations"] = {
        "merged": [{"canonical": c, "variants": v,
                    "score": min((m["score"] for m in b.orgs.merges if m["canonical"] == c), default=100.0),
                    "reason": merge_reasons(b.orgs.merges, c)}
                   for c, v in sorted(b.orgs.variants.items()) if v],
        "proposals": b.orgs.proposals,  # the first REVIEW_LIMIT, most useful first
        "proposals_total": len(b.orgs.proposals) + len(b.orgs.more_proposals),
        "count": len(b.orgs.variants),
    }
    report["unmapped"] = sorted(
        ({"column": role, "text": text} for role, values in b.mapped_values.items()
         for text, (iri, _) in values.items() if iri is None),
        key=lambda e: (e["column"], e["text"]))
    report["graphs"] = [str(iri) for iri in b.graphs]
    detected = user_mapping.detected(mapping, report, b.mapped_values, the_city)
    progress(0.9, Phrase("row.progress_done"))
    files = [replace(raw, sheets=[]) for raw in raws]  # the cells are mapped: not kept for the commit
    return ImportPlan(report, b.graphs, files, detected, mapping, the_city, fingerprint=fingerprint,
                      loaded=b.validation)


def _fingerprint(paths, city, mapping):
    """A digest of everything an import's result depends on besides the store: the files (names and
    bytes), the municipality asked for, the merged mapping, the import settings and the importer's code."""
    h = hashlib.sha256()
    for path in paths:
        path = Path(path)
        if not path.is_file():
            return None  # reading the file names the problem
        h.update(f"file {path.name}\n".encode())
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    settings = {name: get_setting(name) for name in _IMPORT_SETTINGS}
    h.update(json.dumps([city, mapping, settings], sort_keys=True, default=str).encode())
    for source in sorted(Path(__file__).parent.glob("*.py")):  # a new importer may map the same file otherwise
        h.update(source.read_bytes())
    return h.hexdigest()


def _data_state(store, add):
    """The sources an import writes and reads (not the summary, corrections or decisions), with `add`."""
    versions = sorted(f"{k} {v}" for k, v in store.source_versions().items() if k not in _NOT_IMPORTED)
    return hashlib.sha256("\n".join([f"add={bool(add)}", *versions]).encode()).hexdigest()


def _encode_report(report, mapping):
    """The report and detected mapping as compressed JSON, each value-mapping entry of the rows written once.

    The rows' ``mapped`` entries (text, concept, label, how) recur on thousands of rows and are most
    of the report: stored once in a table and referred to by number, the document reads back several
    times faster.
    """
    entries, table, seen = {}, [], {}  # seen: id of an entry object -> its number (rows share entries)

    def ref(entry):
        if not isinstance(entry, dict):  # not an entry (None, a text): kept as it is, wrapped
            return {"v": entry}
        if (number := seen.get(id(entry))) is not None:
            return number
        try:
            key = tuple(entry.items())
            hash(key)
        except TypeError:
            key = json.dumps(entry, sort_keys=True, default=str)
        if (number := entries.get(key)) is None:
            number = entries[key] = len(table)
            table.append(entry)
        seen[id(entry)] = number
        return number

    rows = [{**row, "mapped": {role: [ref(e) for e in v] if isinstance(v, list) else ref(v)
                               for role, v in row["mapped"].items()}} for row in report["rows"]]
    text = json.dumps({"report": {**report, "rows": rows}, "mapping": mapping, "entries": table},
                      ensure_ascii=False, separators=(",", ":"), default=as_json)
    return zlib.compress(text.encode("utf-8"), 1)


def _decode_report(data):
    """``{"report", "mapping"}`` from `_encode_report`: rows with their mapping entries again (one entry
    object shared by the rows that name it: the report is read, never changed)."""
    kept = json.loads(zlib.decompress(data))
    table = kept.pop("entries")
    for row in kept["report"]["rows"]:
        mapped = row["mapped"]
        for role, v in mapped.items():
            mapped[role] = [_entry(table, i) for i in v] if isinstance(v, list) else _entry(table, v)
    return kept


def _entry(table, ref):
    return table[ref] if isinstance(ref, int) else ref["v"]


def _unchanged_plan(paths, store, *, city, mapping, add):
    """The plan of the last committed import, if it read the same files with the same mapping, settings and
    code and the store still holds what it wrote; else None."""
    last = store.read_json(LAST_IMPORT, None)
    if not last:
        return None
    merged = user_mapping.merge(user_mapping.load_remembered(store), mapping or {})
    if last.get("fingerprint") != _fingerprint(paths, city, merged) or last.get("state") != _data_state(store, add):
        return None
    if (data := store.read_blob(_LAST_REPORT)) is None:
        return None
    kept = _decode_report(data)
    report = kept["report"]
    for entry, path in zip(report["files"], paths):
        entry["path"] = str(path)
    return ImportPlan(report, mapping=kept["mapping"], user_mapping=merged, fingerprint=last["fingerprint"],
                      unchanged=True)


@_fewer_collections()
def commit_import(plan, store, *, label=None, add=False):
    """Validate the planned graphs against the SHACL shapes and write them in one transaction.

    Data, summary, import run, version record, remembered mapping and organisation results
    switch together (`graph.store.Store.transaction`): an interruption leaves the old state
    with its versions, or the new state with its version recorded.

    Parameters
    ----------
    plan : ImportPlan
    store : graph.store.Store
    label : str, optional
        The version label; default "Import <date> (<files>)".
    add : bool
        Keep the sources of earlier imports that this one does not write (a providers list
        kept apart, say). By default the planned files are the whole inventory: every other
        data, personal-data and territory source is removed, whatever its file name.

    Returns
    -------
    dict
        ``changed``: the graph IRIs whose content changed; ``run``: the import run IRI
        or None when nothing changed.

    Raises
    ------
    ValidationError
        If the data does not conform; nothing is written.
    """
    if plan.unchanged:
        return {"changed": [], "run": None}
    # Validated before anything is staged, and the validation store dropped: pyoxigraph's bulk loads use every
    # core already, so staging alongside saves no time and holds two copies of the data at once.
    conforms, results_text, _ = plan.validate()
    if not conforms:
        raise ValidationError("not_conform", results_text)
    return _commit(plan, store, label=label, add=add)


def _commit(plan, store, *, label, add):
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    run = plan.city.base[f"import/{now.strftime('%Y%m%dT%H%M%SZ')}-{short_hash(*(r.sha256 for r in plan.files), length=8)}"]
    names = ", ".join(r.path.name for r in plan.files)
    meta = Graph()
    meta.add((run, RDF.type, KP.ImportRun))
    meta.add((run, PROV.startedAtTime, Literal(now.isoformat(), datatype=XSD.dateTime)))
    label = label or f"Import {now:%d.%m.%Y %H:%M} ({names})"
    meta.add((run, KP.versionLabel, Literal(label)))
    for raw in plan.files:
        meta.add((run, PROV.used, plan.city.base[f"datei/{slugify(raw.path.name)}"]))
    for iri in plan.graphs:
        meta.add((run, PROV.generated, URIRef(iri)))
    for key, value in plan.counts.items():
        meta.add((run, RDFS.comment, Literal(f"{key}={value}")))
    frames = []  # the staged data's frames, read once for the summary and the version
    # The planned graphs are staged from files of the validation store's dump, and the store freed first:
    # one copy of the data at a time.
    planned = {str(iri): plan.loaded.dump(iri, store.path) for iri in plan.graphs}
    plan.loaded.close()
    plan.loaded = None

    def derive(view):
        # The frames read from the validation store are those of the staged data when the planned
        # sources and the model are all the data there is (not so when `add` keeps other sources).
        others = set(view.source_versions()) - set(planned) - {MODEL_GRAPH.value, *_NOT_IMPORTED}
        frames.append(load_frames(view, imported=None if others else plan.frames))
        return summary.derive(view, day=now.date(), frames=frames[-1], counted=None if others else plan.counted)

    with store.transaction(), ThreadPoolExecutor(1) as encoder:
        # The report is encoded in Python while the bulk loads run without the GIL.
        kept = encoder.submit(_encode_report, plan.report, plan.mapping) \
            if plan.fingerprint is not None and store.backend.blobs else None  # an unchanged re-import is answered from this
        drop = [] if add else [key for key in store.inventory_sources() if key not in planned]
        changed = store.replace_graphs(planned, extra_meta=meta.serialize(format="nt"), derive=derive, drop=drop)
        remember(store, plan.user_mapping, plan.report["organisations"])
        if changed:  # a dated, labelled version for `knotenpunkt diff` (graph/versions.py)
            record_version(store, run=str(run), label=label, time=now, frames=frames[-1])
        if kept is not None:
            store.write_blob(_LAST_REPORT, kept.result())
            store.write_json(LAST_IMPORT, {"fingerprint": plan.fingerprint, "state": _data_state(store, add)})
        phase("recorded")
    return {"changed": changed, "run": str(run) if changed else None}


def import_files(paths, store, *, city=None, mapping=None, dry_run=False, label=None, progress=None, add=False):
    """Plan an import and, unless `dry_run`, commit it (`add` as for `commit_import`); return the plan with
    ``report["committed"]``.

    An import of the same files with the same mapping, settings and importer as the last committed one,
    into a store that still holds what that one wrote, is not done again: the plan carries that import's
    report (``report["unchanged"]``) and nothing is written."""
    paths = input_files(paths)
    if not dry_run and (plan := _unchanged_plan(paths, store, city=city, mapping=mapping, add=add)) is not None:
        plan.report.update(committed=True, conforms=True, changed=[], run=None, unchanged=True)
        return plan
    plan = plan_import(paths, store, city=city, mapping=mapping, progress=progress)
    if dry_run:
        conforms, results_text, _ = plan.validate(frames=False)
        plan.report.update(committed=False, conforms=conforms, shacl=results_text if not conforms else "")
        return plan
    result = commit_import(plan, store, label=label, add=add)
    plan.report.update(committed=True, conforms=True, changed=result["changed"], run=result["run"])
    return plan
