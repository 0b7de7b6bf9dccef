"""The `knotenpunkt` command line: a thin view over `ingest` and `graph`.

Exit codes follow pySHACL: 0 done, 1 the data does not conform (or, with --strict,
rows were rejected), 2 an error (message on stderr). Every text it prints, its help included,
is ``cli.*`` in the catalogue (`graph.texts`), in the setting ``language``.
"""

import csv
import datetime as dt
import errno
import functools
import io
import json
import shutil
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from knotenpunkt.graph.errors import KGError, ValidationError
from knotenpunkt.graph.queries import list_queries, run_query
from knotenpunkt.graph.settings import SETTINGS, get_setting
from knotenpunkt.graph.store import EXPORT_FORMATS, Store, open_store
from knotenpunkt.graph.texts import LANGUAGES, as_json, language, say, text

__all__ = ["app", "main"]



def _help(key):
    """The help text ``cli.help.<key>`` in the setting ``language`` as the command line starts (typer reads help
    texts once, when the commands are declared)."""
    return text("cli.help." + key)


app = typer.Typer(
    help=_help("app"),
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

StoreOption = Annotated[Optional[Path], typer.Option("--store", help=_help("store"), show_default=False)]


def _say(key, **params):
    """The text ``cli.<key>`` in the setting ``language`` (environment KNOTENPUNKT_LANGUAGE)."""
    return text("cli." + key, **params)


def _store_path(store):
    """The store directory, absolute (workers and servers run elsewhere than the shell)."""
    return str(Path(get_setting("store", str(store) if store else None)).expanduser().resolve())


def _open(store):
    """The store for commands that write (import, decisions): takes the writer lock until the process ends."""
    from knotenpunkt.graph.summary import derive

    return open_store(_store_path(store), write=True, derive=derive)


def _read(store, *, personal_data=None):
    """The store for commands that show or export data, opened read-only: works while an import runs and
    on a read-only mount; personal data only with ``include_personal_data``."""
    personal = get_setting("include_personal_data") if personal_data is None else personal_data
    return open_store(_store_path(store), write=False, personal_data=personal)


def _out_file(out):
    """Refuse an output file whose directory does not exist, before any work is done."""
    if not out.expanduser().resolve().parent.is_dir():
        _fail(_say("out_dir_missing", directory=out.parent))
    return out


def _fail(error, code=2):
    typer.echo(_say("error", message=error), err=True)
    if isinstance(error, ValidationError) and error.results_text:
        typer.echo(error.results_text, err=True)
    raise typer.Exit(code)


def _print_rows(rows, fmt):
    if fmt == "json":
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
        return
    columns = list(rows[0]) if rows else []
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
        typer.echo(out.getvalue(), nl=False)
        return
    widths = {c: min(60, max(len(c), *(len(str(r[c] if r[c] is not None else "")) for r in rows))) for c in columns}
    typer.echo("  ".join(c.ljust(widths[c]) for c in columns))
    typer.echo("  ".join("-" * widths[c] for c in columns))
    for row in rows:
        typer.echo("  ".join(str(row[c] if row[c] is not None else "")[:60].ljust(widths[c]) for c in columns))
    typer.echo(_say("rows", count=len(rows)))


def _stored_territory(g, reported):
    """The territory of an import the store already holds (`ingest.territory.stored_territories`), by the slug
    of its report; a territory of unknown kind when the store does not name it."""
    from knotenpunkt.ingest.territory import City, stored_territories

    return next((c for c in stored_territories(g) if c.slug == reported["slug"]),
                City(reported["name"], reported["slug"], kind="Gebiet"))


@app.command("import", help=_help("import"))
def import_cmd(
    paths: Annotated[list[Path], typer.Argument(help=_help("import_paths"), metavar=_help("import_paths_metavar"))],
    store: StoreOption = None,
    city: Annotated[Optional[str], typer.Option(help=_help("import_city"))] = None,
    mapping: Annotated[Optional[Path], typer.Option(help=_help("import_mapping"))] = None,
    write_mapping: Annotated[Optional[Path], typer.Option("--write-mapping",
                                                          help=_help("import_write_mapping"))] = None,
    report: Annotated[Optional[Path], typer.Option(help=_help("import_report"))] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help=_help("import_dry_run"))] = False,
    label: Annotated[Optional[str], typer.Option(help=_help("import_label"))] = None,
    strict: Annotated[bool, typer.Option(help=_help("import_strict"))] = False,
    add: Annotated[bool, typer.Option("--add", help=_help("import_add"))] = False,
):
    """Import inventories into the store; every row ends as imported, warning or rejected."""
    from knotenpunkt.ingest import mapping as mapping_file
    from knotenpunkt.ingest.importer import import_files

    g = None
    new_store = not dry_run and not Path(_store_path(store)).exists()  # a failed first import leaves no empty store
    try:
        # a dry run only reads the store (vocabularies, areas, remembered decisions): no lock, nothing created
        g = open_store(_store_path(store), create=False) if dry_run else _open(store)
        given = mapping_file.load(mapping) if mapping else None
        plan = import_files([str(p) for p in paths], g, city=city, mapping=given, dry_run=dry_run, label=label,
                            add=add)
        territory = plan.city or _stored_territory(g, plan.report["city"])  # an import not done again has no City
        new_store = False
    except ValidationError as e:
        _fail(e, 1)
    except KGError as e:
        if write_mapping and getattr(e, "template", None):
            mapping_file.write(write_mapping, e.template)
            typer.echo(_say("mapping_template_written", path=write_mapping), err=True)
        _fail(e)
    finally:
        if g is not None:
            g.close()  # the writer lock goes now, not when the process ends
        if new_store:
            shutil.rmtree(_store_path(store), ignore_errors=True)
    result = plan.report
    if report:
        report.write_text(json.dumps(result, ensure_ascii=False, indent=2, default=as_json), encoding="utf-8")
    if write_mapping:
        mapping_file.write(write_mapping, plan.mapping)
    for line in _message_lines(result["rows"], report):
        typer.echo(line)
    for file in result["files"]:
        for sheet in file["sheets"]:
            if sheet["status"] == "skipped" and sheet.get("nonempty_rows"):  # rows with content left out: say why
                typer.echo(_say("sheet_skipped", file=file["name"], sheet=sheet["name"], rows=sheet["nonempty_rows"],
                                reason=sheet["reason_en" if language() == "en" else "reason"]))
            elif sheet.get("repeated_rows"):  # a sheet partly repeating another: its repeated rows are left out
                typer.echo(_say("sheet_skipped", file=file["name"], sheet=sheet["name"], rows=sheet["repeated_rows"],
                                reason=sheet["copy_reason_en" if language() == "en" else "copy_reason"]))
    counts = result["counts"]
    typer.echo(_say("city" if territory.kind_key == "stadt" else "city_" + territory.kind_key,  # "Land: Hessen (…)"
                    name=result["city"]["name"], how=say(result["city"]["how"])))
    if added := _distinct(result, "district_from_data"):
        typer.echo(_say("areas_from_data", count=added))  # said once here, not as a warning on each row
    typer.echo(_say("import_counts", rows=counts["rows"], imported=counts["imported"], warning=counts["warning"],
                    rejected=counts["rejected"]))
    if persons := _distinct(result, "private_person"):
        typer.echo(_say("private_persons", count=persons))  # said once here, not on each row
    if apart := _distinct(result, "org_kept_apart"):
        typer.echo(_say("orgs_kept_apart", count=apart))
    merged = result["organisations"]["merged"]
    typer.echo(_say("import_organisations", count=result["organisations"]["count"],
                    merged=sum(len(m["variants"]) for m in merged), proposals=_proposals(result["organisations"])))
    if dry_run:
        typer.echo(_say("dry_run" if result["conforms"] else "dry_run_not_conform"))
        if not result["conforms"]:
            typer.echo(result["shacl"], err=True)
            raise typer.Exit(1)
    else:
        typer.echo(_say("saved" if result["changed"] else "unchanged"))
    if strict and counts["rejected"]:
        raise typer.Exit(1)


def _distinct(result, code):
    """How many different messages of `code` the rows of an import report have (one per value, not per row)."""
    return len({m[language()] for row in result["rows"] for m in row["messages"] if m["code"] == code})


def _proposals(organisations):
    """How many merge proposals are open: "312 (die ersten 100 gelistet)" when the list is cut at
    `ingest.orgs.REVIEW_LIMIT`."""
    shown = len(organisations["proposals"])
    total = organisations.get("proposals_total", shown)  # a store of an earlier version does not know it
    return str(shown) if total <= shown else _say("proposals_cut", total=total, shown=shown)


_MESSAGE_GROUPS = 40  # groups of like messages printed; the row report holds every message of every row
_ROWS_NAMED = 8  # row numbers printed for one group


def _header(column, limit=60):
    """A column header on one line, shortened: EU lists write headers of three lines in two languages."""
    text = " ".join((column or "–").split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _message_lines(rows, report):
    """The warnings and errors of an import, like messages together: one line per message text in one column
    of one sheet, with how many rows have it and the first row numbers ("Warnung | … | 120 Zeilen: 2, 4, … |
    „Traurigkeit“ passt zu keinem Begriff …"), rejections first, then the most frequent; the row report
    (`--report`) holds them row by row."""
    lang = language()
    groups = {}
    for row in rows:
        for m in row["messages"]:
            if m["level"] != "info":
                key = (m["level"] != "error", row["file"], row["sheet"], _header(m["column"]), m[lang])
                groups.setdefault(key, []).append(row["row"])
    ordered = sorted(groups.items(), key=lambda item: (item[0][0], -len(item[1]), item[1][0]))
    for (warning, file, sheet, column, message), numbers in ordered[:_MESSAGE_GROUPS]:
        named = ", ".join(map(str, numbers[:_ROWS_NAMED])) + (" …" if len(numbers) > _ROWS_NAMED else "")
        yield _say("row_group", status=_say("level_warning" if warning else "level_error"), file=file, sheet=sheet,
                   column=column, message=message,
                   rows=_say("rows_one", row=named) if len(numbers) == 1 else _say("rows_many", count=len(numbers),
                                                                                   rows=named))
    if len(ordered) > _MESSAGE_GROUPS:
        more = ordered[_MESSAGE_GROUPS:]
        yield _say("messages_more", count=len(more), rows=len({n for _, numbers in more for n in numbers}),
                   where=str(report) if report else "--report bericht.json")


@app.command(help=_help("status"))
def status(store: StoreOption = None):
    """Show the key figures of the store (measures, organisations, …)."""
    from knotenpunkt.ingest.territory import stored_territories

    try:
        g = _read(store)
        rows = run_query(g, "count_inventory")
        territories = stored_territories(g)
    except KGError as e:
        _fail(e)
    for territory in territories:  # "Land: Hessen"
        typer.echo(say(territory.phrase()))
    for key, value in rows[0].items():
        typer.echo(f"{key}: {value}")


@app.command(help=_help("queries"))
def queries():
    """List the canned queries with their parameters."""
    for q in list_queries():
        params = ", ".join(f"{p.name} ({p.type}{', ' + _say('optional') if p.optional else ''})" for p in q.params) or "-"
        typer.echo(_say("query_entry", name=q.name, summary=q.summary, params=params, columns=", ".join(q.returns)))


@app.command(help=_help("query"))
def query(
    name: Annotated[str, typer.Argument(help=_help("query_name"), metavar=_help("query_name_metavar"))],
    param: Annotated[Optional[list[str]], typer.Option("--param", "-p", help=_help("query_param"))] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help=_help("format"))] = "table",
    store: StoreOption = None,
):
    """Run a canned query; parameters are bound, never pasted into the query."""
    params = {}
    for item in param or []:
        key, sep, value = item.partition("=")
        if not sep:
            _fail(_say("param_form", item=item))
        params[key.strip()] = value
    try:
        rows = run_query(_read(store), name, **params)
    except KGError as e:
        _fail(e)
    except ValueError as e:  # a parameter pyoxigraph cannot turn into a term, e.g. an IRI with ">"
        _fail(_say("param_mismatch", name=name, error=e))
    _print_rows(rows, fmt)


@app.command(help=_help("sparql"))
def sparql(
    text: Annotated[str, typer.Argument(help=_help("sparql_text"), metavar=_help("sparql_text_metavar"))],
    fmt: Annotated[str, typer.Option("--format", "-f", help=_help("format"))] = "table",
    store: StoreOption = None,
):
    """Run your own SPARQL SELECT query against the store."""
    import pyoxigraph as ox

    from knotenpunkt.graph.sandbox import QueryPool, check_query
    from knotenpunkt.graph.store import to_python

    try:
        if check_query(text) != "SELECT":
            _fail(_say("sparql_select_only"))
        path = _store_path(store)
        _read(store).close()  # a missing or damaged store fails here with its cause, before any worker starts
        pool = QueryPool(path, time_limit_ms=get_setting("query_time_limit_ms"), max_rows=get_setting("max_returned_rows"),
                         personal_data=get_setting("include_personal_data"), workers=1)
        try:
            answer = pool.run(text, checked=True)
        finally:
            pool.close()
    except KGError as e:
        _fail(e)
    solutions = ox.parse_query_results(answer.body, format=ox.QueryResultsFormat.JSON)
    names = [v.value for v in solutions.variables]
    _print_rows([{n: to_python(s[n]) for n in names} for s in solutions], fmt)
    if answer.truncated:
        typer.echo(_say("truncated", rows=answer.rows), err=True)


@app.command(help=_help("export"))
def export(
    out: Annotated[Path, typer.Option("--out", "-o", help=_help("export_out"))],
    fmt: Annotated[str, typer.Option("--format", "-f", help=_help("export_format"))] = "turtle",
    store: StoreOption = None,
):
    """Export the whole graph as Turtle (with prefixes), TriG, N-Quads or JSON-LD."""
    if fmt not in EXPORT_FORMATS:
        _fail(_say("format_unknown", format=repr(fmt), formats=", ".join(EXPORT_FORMATS)))
    try:
        _read(store).export(fmt, str(_out_file(out)))
    except KGError as e:
        _fail(e)
    typer.echo(_say("written", path=out))


@app.command(help=_help("backup"))
def backup(target: Annotated[Path, typer.Argument(help=_help("backup_target"), metavar=_help("backup_target_metavar"))], store: StoreOption = None):
    """Back up the store into a new directory."""
    try:
        info = _read(store, personal_data=True).backup(target)
    except KGError as e:
        _fail(e)
    typer.echo(_say("backed_up", quads=info["quads"], digest=info["digest"][:16]))


@app.command(help=_help("restore"))
def restore(
    source: Annotated[Path, typer.Argument(help=_help("restore_source"), metavar=_help("restore_source_metavar"))],
    target: Annotated[Path, typer.Argument(help=_help("restore_target"), metavar=_help("restore_target_metavar"))],
):
    """Restore a backup into a new store directory and check it is identical."""
    try:
        info = Store.restore(source, target)
    except KGError as e:
        _fail(e)
    typer.echo(_say("restored", quads=info["quads"], digest=info["digest"][:16]))


def _date(value, name):
    try:
        day = dt.date.fromisoformat(value) if value else None
    except ValueError:
        _fail(_say("not_a_date", option=name, value=value))
    if day and not 1900 <= day.year <= 2999:
        _fail(_say("date_out_of_range", option=name, value=value))
    return day


@app.command(help=_help("analyse"))
def analyse(
    at: Annotated[Optional[str], typer.Option(help=_help("analyse_at"))] = None,
    from_: Annotated[Optional[str], typer.Option("--from", help=_help("analyse_from"))] = None,
    to: Annotated[Optional[str], typer.Option(help=_help("analyse_to"))] = None,
    months: Annotated[int, typer.Option(help=_help("analyse_months"))] = 12,
    district: Annotated[Optional[list[str]], typer.Option(help=_help("analyse_district"))] = None,
    as_json: Annotated[bool, typer.Option("--json", help=_help("analyse_json"))] = False,
    store: StoreOption = None,
):
    """Find gaps, uncoordinated overlaps, organisation duplicates and the network's brokers and bridges."""
    from knotenpunkt.graph.analysis import analyse as run_analysis

    if at and (from_ or to):
        _fail(_say("at_or_period"))
    start = _date(at or from_, "--at/--from")
    end = _date(at or to, "--at/--to") or start
    if start and end and end < start:
        _fail(_say("to_before_from"))
    if not 1 <= months <= 600:
        _fail(_say("months_range", months=months))
    try:
        result = run_analysis(_read(store), start=start, end=end, districts=district or (), months=months)
    except KGError as e:
        _fail(e)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2, default=str))
        return
    period = result["period"]
    gaps, net = result["gaps"], result["network"]
    typer.echo(_say("analysis_day", start=period["start"]) if period["end"] == period["start"]
               else _say("analysis_period", start=period["start"], end=period["end"]))
    typer.echo(_say("analysis_gaps", zero_cells=sum(1 for z in gaps["zero_cells"] if z["district"] is None),
                    districts=len(gaps["unserved_districts"]), cliffs=len(gaps["funding_cliff"])))
    typer.echo(_say("analysis_overlaps", count=len(result["overlaps"])))
    typer.echo(_say("analysis_network", nodes=net["nodes"], edges=net["edges"], components=net["components"],
                    isolates=len(net["isolates"])))
    typer.echo("\n" + _say("findings"))
    lang = language()
    for finding in result["findings"]:
        typer.echo(f"- {finding[lang]}\n  → {finding['action_' + lang]}")


@app.command(help=_help("orgs"))
def orgs(
    decision: Annotated[Optional[str], typer.Argument(help=_help("orgs_decision"), metavar=_help("orgs_decision_metavar"))] = None,
    name_a: Annotated[Optional[str], typer.Argument(help=_help("orgs_name_a"), metavar=_help("orgs_name_a_metavar"))] = None,
    name_b: Annotated[Optional[str], typer.Argument(help=_help("orgs_name_b"), metavar=_help("orgs_name_b_metavar"))] = None,
    store: StoreOption = None,
):
    """List organisation merges and open proposals, or decide a pair: applied at once, as on the Dubletten page."""
    from knotenpunkt.graph.decisions import decide, name_index, other_names, review_proposals
    from knotenpunkt.graph.extract import load_frames
    from knotenpunkt.graph.summary import derive
    from knotenpunkt.ingest import mapping as mapping_file

    if decision is None:
        g = _read(store)
        result = mapping_file.last_organisations(g)
        frames = load_frames(g)
        review = review_proposals(result["proposals"], frames, name_index(frames, other_names(g)))
        for m in result["merged"]:
            typer.echo(_say("org_merged", canonical=m["canonical"], variants=" | ".join(m["variants"]),
                            score=f"{m['score']:.0f}", reason=say(m["reason"])))
        for p in review["open"]:
            typer.echo(_say("org_proposal", a=p["a_label"], b=p["b_label"], score=f"{p['score']:.0f}",
                            reason=say(p["reason"])))
        for p in review["decided"]:
            typer.echo(_say("org_decided_" + p["verdict"], a=p["a"], b=p["b"]))
        if len(result["proposals"]) < result.get("proposals_total", 0):
            typer.echo(_say("org_proposals_cut", count=_proposals(result)))
        return
    if decision not in ("same", "different", "undo") or not name_a or not name_b:
        _fail(_say("orgs_usage"))
    g = _open(store)
    try:
        names = name_index(load_frames(g), other_names(g))
        pair = {"a": name_a, "b": name_b, "a_iri": names.get(name_a), "b_iri": names.get(name_b)}
        decide(g, pair, None if decision == "undo" else decision, derive=derive)
    finally:
        g.close()
    if decision == "undo":
        typer.echo(_say("orgs_undone", a=name_a, b=name_b))
    elif pair["a_iri"] and pair["b_iri"]:
        typer.echo(_say("orgs_" + decision, a=name_a, b=name_b))
    else:
        typer.echo(_say("orgs_next_import", a=name_a, b=name_b))


@app.command(help=_help("serve"))
def serve(
    store: StoreOption = None,
    host: Annotated[Optional[str], typer.Option(help=_help("serve_host"))] = None,
    port: Annotated[Optional[int], typer.Option(help=_help("serve_port"))] = None,
):
    """Answer SPARQL 1.1 Protocol queries at http://HOST:PORT/sparql, read-only, with a query page."""
    from knotenpunkt.endpoint import make_server

    try:
        host = get_setting("host", host)
        server = make_server(
            _store_path(store), host=host, port=get_setting("port", port),
            time_limit_ms=get_setting("query_time_limit_ms"), max_rows=get_setting("max_returned_rows"),
            max_request_bytes=get_setting("max_request_bytes"), cors_origins=get_setting("cors_origins"),
            personal_data=get_setting("include_personal_data"), idle_timeout_s=get_setting("idle_timeout_s"))
    except (KGError, OSError) as e:
        _fail(e)
    bound_host, bound_port = server.server_address[:2]
    if host not in ("127.0.0.1", "localhost", "::1"):
        typer.echo(_say("serve_public", host=host), err=True)
    for warning in _serve_warnings(server.pool):
        typer.echo(_say("warning", warning=warning), err=True)
    typer.echo(_say("serve_running", host=bound_host, port=bound_port), err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        server.pool.close()


@app.command("app", help=_help("app_command"))
def app_cmd(
    store: StoreOption = None,
    port: Annotated[int, typer.Option(help=_help("app_port"))] = 8501,
):
    """Start the coordinators' app (Streamlit) on this computer: http://localhost:PORT."""
    import importlib.util
    import os
    import subprocess

    env = os.environ | {"KNOTENPUNKT_STORE": _store_path(store)}
    command = [sys.executable, "-m", "streamlit", "run", importlib.util.find_spec("knotenpunkt.app").origin, "--server.port", str(port),
               "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    raise typer.Exit(subprocess.call(command, env=env))


def _serve_warnings(pool):
    """What the operator should know at start: a missing network wall, an unbounded backend."""
    warnings = []
    if get_setting("sparql_endpoint"):
        backend = get_setting("backend_timeout_s")
        if not backend:
            warnings.append(_say("warn_backend_no_timeout"))
        elif backend * 1000 > get_setting("query_time_limit_ms") * 2:
            warnings.append(_say("warn_backend_timeout_long", seconds=backend))
    elif not pool.isolated:
        warnings.append(_say("warn_no_isolation"))
    return warnings


@app.command(help=_help("versions"))
def versions(store: StoreOption = None):
    """List the versions of the inventory: one per import that changed the data."""
    from knotenpunkt.graph.versions import list_versions

    try:
        found = list_versions(_read(store))
    except KGError as e:
        _fail(e)
    for v in found:
        typer.echo(_say("version_line", number=f"{v['number']:>3}", time=v["time"][:16].replace("T", " "),
                        label=v["label"], measures=v["measures"], organisations=v["organisations"]))
    if not found:
        typer.echo(_say("no_versions"))


SinceOption = Annotated[Optional[str], typer.Option(help=_help("since"))]


@app.command(help=_help("diff"))
def diff(
    since: SinceOption = None,
    as_json: Annotated[bool, typer.Option("--json", help=_help("diff_json"))] = False,
    store: StoreOption = None,
):
    """Show what changed since a version: measures, organisations, cooperations, covered cells."""
    from knotenpunkt.graph.versions import diff as run_diff

    try:
        result = run_diff(_read(store), since)
    except KGError as e:
        _fail(e)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    if result["since"] is None:
        typer.echo(text("report.no_earlier"))
        return
    v = result["since"]
    typer.echo(text("report.since", number=v["number"], date=v["time"][:10], label=v["label"]))
    show = {"new_measures": lambda m: f"{m['title']}  <{m['iri']}>",
            "ended_measures": lambda m: f"{m['title']} ({_say('removed') if m['reason'] == 'removed' else _say('ended', date=m['end'])})  <{m['iri']}>",
            "new_organisations": lambda o: o["label"], "lost_organisations": lambda o: o["label"],
            "new_cooperations": lambda c: f"{c['a']['label']} – {c['b']['label']}",
            "lost_cooperations": lambda c: f"{c['a']['label']} – {c['b']['label']}",
            "cells_gained": lambda c: f"{c['target_group']['label']} × {c['field']['label']}",
            "cells_lost": lambda c: f"{c['target_group']['label']} × {c['field']['label']}"}
    for key, line in show.items():
        typer.echo(_say("count_line", heading=text("report." + key), count=len(result[key])))
        for item in result[key]:
            typer.echo(f"  - {line(item)}")


LangOption = Annotated[Optional[str], typer.Option("--lang", help=_help("lang"),
                                                   show_default=False)]


def _report(store, since, lang):
    from knotenpunkt.graph.report import build_report

    if lang is not None and lang not in LANGUAGES:
        _fail(_say("lang_unknown", given=lang, languages=", ".join(LANGUAGES)))
    try:
        return build_report(_read(store), since=since, lang=lang)
    except KGError as e:
        _fail(e)


@app.command(help=_help("deck"))
def deck(
    out: Annotated[Path, typer.Option("--out", "-o", help=_help("deck_out"))],
    since: SinceOption = None,
    lang: LangOption = None,
    store: StoreOption = None,
):
    """Write the steering-group deck (PPTX): key figures, findings, pictures, overlaps, funding cliff, changes."""
    from knotenpunkt.graph.deck import write_deck

    write_deck(_report(store, since, lang), str(_out_file(out)))
    typer.echo(_say("written", path=out))


@app.command(help=_help("handout"))
def handout(
    out: Annotated[Path, typer.Option("--out", "-o", help=_help("handout_out"))],
    since: SinceOption = None,
    lang: LangOption = None,
    store: StoreOption = None,
):
    """Write the handout (PDF, A4) with tables, pictures, legend, data date and page numbers."""
    from knotenpunkt.graph.handout import write_handout

    write_handout(_report(store, since, lang), str(_out_file(out)))
    typer.echo(_say("written", path=out))


@app.command(help=_help("pictures"))
def pictures(
    out: Annotated[Path, typer.Option("--out", "-o", help=_help("pictures_out"))],
    lang: LangOption = None,
    store: StoreOption = None,
):
    """Draw the network, the gap matrix and the district chart as PNG and SVG."""
    from knotenpunkt.graph.pictures import draw_pictures, figure_bytes

    out.mkdir(parents=True, exist_ok=True)
    for name, fig in draw_pictures(_report(store, None, lang)).items():
        for fmt in ("png", "svg"):
            (out / f"{name}.{fmt}").write_bytes(figure_bytes(fig, fmt))
            typer.echo(_say("written", path=out / f"{name}.{fmt}"))


@app.command(help=_help("settings"))
def settings():
    """List every setting with its value, default and environment variable."""
    for s in SETTINGS:
        typer.echo(_say("setting_line", name=s.name, value=repr(get_setting(s.name)), default=repr(s.default),
                        env=s.env_var, help=text("cli.setting." + s.name)))


_OS_ERRORS = {errno.ENOENT: "os_not_found", errno.EACCES: "os_permission", errno.EPERM: "os_permission",
              errno.EROFS: "os_read_only", errno.EEXIST: "os_exists", errno.ENOSPC: "os_no_space",
              errno.ENOTDIR: "os_not_a_directory"}  # cli.* keys


def _guarded(command):
    """Wrap a command so that a Knotenpunkt error or a file-system error ends as a message and exit code 2."""
    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except KGError as e:
            _fail(e)
        except OSError as e:
            what = _say(_OS_ERRORS[e.errno]) if e.errno in _OS_ERRORS else e.strerror or str(e)
            where = f" {e.filename}" if e.filename else ""
            _fail(_say("file_error", where=where, what=what))

    return run


for _command in app.registered_commands:
    _command.callback = _guarded(_command.callback)


def main():
    """Entry point of the `knotenpunkt` script."""
    app(prog_name="knotenpunkt")


if __name__ == "__main__":
    sys.exit(main())
