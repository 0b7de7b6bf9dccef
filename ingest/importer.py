"""Spreadsheets → validated RDF, with a report that accounts for every row.

`plan_import` reads the files, recognises their tables, maps every value and builds
one RDF graph per file without touching the store; `commit_import` validates and
writes the graphs in one transaction. `import_files` does both (or only the first
with ``dry_run``). The CLI and the app's import page call these.
"""

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, SKOS

from graph.errors import IngestError, ValidationError
from graph.settings import get_setting
from graph.store import to_term
from ingest import mapping as user_mapping
from ingest.concepts import ConceptIndex
from ingest.dates import DateProblem, parse_date, parse_period
from ingest.messages import message
from ingest.orgs import OrgName, resolve_organisations, split_org_list
from ingest.read import RDF_SUFFIXES, cell_text, read_file
from ingest.tables import find_table
from ingest.territory import Territory, detect_city
from ingest.text import clean_cell, normalize_label, short_hash, slugify, split_values
from ingest.validate import validate_lines
from ontology.namespace import CPSV, CV, GRAPH, KP, TT, VOC

__all__ = ["ImportPlan", "plan_import", "commit_import", "import_files"]

SCHEMA = URIRef("https://schema.org/")
S = {name: URIRef(f"https://schema.org/{name}") for name in (
    "Project", "startDate", "endDate", "contactPoint", "ContactPoint", "name", "email", "telephone", "address",
    "PostalAddress", "streetAddress", "postalCode", "addressLocality", "url")}
SCHEMES = {"target_groups": VOC["zielgruppe"], "fields": VOC["handlungsfeld"], "type": VOC["traegertyp"]}
_OWN_FUNDS = {"eigenmittel", "eigenanteil", "eigene mittel", "eigenfinanzierung", "spenden und eigenmittel", "eigen",
              "spenden", "spendenmittel", "mitgliedsbeitraege", "teilnahmebeitraege", "ehrenamtlich", "ohne finanzierung"}
_PERSONAL_ROLES = ("contact", "email", "phone")


@dataclass
class ImportPlan:
    """What an import would write, and the report on every row."""

    report: dict
    graphs: dict = field(default_factory=dict)  # graph IRI -> TripleSink
    files: list = field(default_factory=list)
    mapping: dict = field(default_factory=dict)  # the detected mapping, for --write-mapping
    user_mapping: dict = field(default_factory=dict)  # the user's decisions, remembered on commit
    city: object = None
    validation: tuple = None  # (conforms, results_text, results) once validated

    @property
    def counts(self):
        """Rows, imported, warning, rejected."""
        return self.report["counts"]

    def lines(self):
        """Every planned triple as an N-Triples line."""
        return [line for g in self.graphs.values() for line in g.lines]

    def validate(self):
        """Validate the planned triples against the shapes, once: ``(conforms, results_text, results)``."""
        if self.validation is None:
            self.validation = validate_lines(self.lines())
        return self.validation


class TripleSink:
    """The triples of one graph, kept as N-Triples lines (light on memory; written as they are)."""

    def __init__(self):
        self.lines = set()

    def add(self, triple):
        """Add one (subject, predicate, object) triple of rdflib terms."""
        self.lines.add(" ".join(str(to_term(t)) for t in triple) + " .")

    def __len__(self):
        return len(self.lines)

    def ntriples(self):
        """The graph as N-Triples text, sorted."""
        return "\n".join(sorted(self.lines))


class _Builder:
    """Holds the state of one import: indexes, organisations, graphs and the report."""

    def __init__(self, store, city, mapping):
        self.store, self.city, self.mapping = store, city, mapping
        threshold = get_setting("fuzzy_threshold")
        values = mapping.get("values", {})
        self.index = {role: ConceptIndex.from_store(store, scheme, threshold=threshold,
                                                    user_mapping=user_mapping.resolve_values(store, values.get(role, {}), scheme))
                      for role, scheme in SCHEMES.items()}
        self.territory = Territory(store, city, threshold=threshold,
                                   user_mapping=user_mapping.resolve_values(store, values.get("districts", {}), None))
        self.rows = []
        self.graphs = {}
        self.orgs = None
        self.org_facts = defaultdict(dict)  # canonical -> facts from the providers sheet
        self.org_roles = defaultdict(set)  # canonical -> {"provider", "partner", "funder", …}
        self.org_graphs = defaultdict(dict)  # graph sink id -> {organisation IRI: canonical name}
        self.classified = set()  # organisation IRIs with an org:classification
        self.seen_measures = {}  # content key -> (row number, IRI)
        self.seen_cooperations = {}  # cooperation IRI -> first row number
        self.seen_areas = {}  # area IRI -> first row number of the districts sheet
        self.used_ids = {}  # measure id slug -> content key
        self.mapped_values = defaultdict(dict)  # role -> text -> (iri or None, how)

    # -- helpers ----------------------------------------------------------------------

    def graph_for(self, raw):
        iri = GRAPH[f"data/{self.city.slug}/{slugify(raw.path.name)}"]
        if iri not in self.graphs:
            g = TripleSink()
            file_iri = self.city.base[f"datei/{slugify(raw.path.name)}"]
            g.add((file_iri, RDF.type, KP.SourceFile))
            g.add((file_iri, RDFS.label, Literal(raw.path.name)))
            g.add((file_iri, KP.sha256, Literal(raw.sha256)))
            self.graphs[iri] = g
        return self.graphs[iri]

    def source_record(self, g, raw, table, number, own_id, subject):
        record = URIRef(f"{subject}/quelle/{slugify(raw.path.name)}/{slugify(table.sheet)}-{number}")
        g.add((record, RDF.type, KP.SourceRecord))
        g.add((record, KP.sourceFile, self.city.base[f"datei/{slugify(raw.path.name)}"]))
        g.add((record, KP.sheet, Literal(table.sheet)))
        g.add((record, KP.row, Literal(number)))
        if own_id:
            g.add((record, KP.sourceId, Literal(own_id)))
        g.add((subject, PROV.wasDerivedFrom, record))

    def map_concepts(self, role, text, column, messages, *, index=None):
        """Split a cell and map each value; messages for fuzzy and unmapped values."""
        index = index or self.index[role]
        out = []
        for value in split_values(text, is_known=index.is_known):
            match = index.match(value)
            entry = {"text": value, "iri": match.concept.iri if match.concept else None,
                     "label": match.concept.label_de if match.concept else None, "how": match.how}
            if match.how == "fuzzy":
                entry["score"] = match.score
                messages.append(message("fuzzy_match", column, value=value, label=match.concept.label_de,
                                        score=f"{match.score:.0f}"))
            elif match.how == "unmapped":
                entry["suggestions"] = list(match.suggestions)
                code = "unknown_district" if role == "districts" else "unmapped_value"
                messages.append(message(code, column, value=value, suggestions=", ".join(match.suggestions) or "–"))
            self.mapped_values[role][value] = (entry["iri"], match.how)
            out.append(entry)
        return out

    def org_names(self, text, *, many):
        """Organisation names in a cell: a list cell (partners, funders, members) or a provider cell,
        which only ``;`` and line breaks divide."""
        if not clean_cell(text):
            return []
        if many:
            return split_org_list(text, lambda t: normalize_label(t) in self.known_org_keys)
        return split_values(text, is_known=lambda _: True)

    def org_iri(self, name):
        canonical = self.orgs.resolve(name)
        return self.city.base[f"organisation/{self.orgs.iris[canonical]}"], canonical

    def add_org(self, g, name, role):
        iri, canonical = self.org_iri(name)
        self.org_roles[canonical].add(role)
        self.org_graphs[id(g)][iri] = canonical
        g.add((iri, RDF.type, ORG.Organization))
        g.add((iri, SKOS.prefLabel, Literal(canonical)))
        if clean_cell(name) != canonical:
            g.add((iri, SKOS.altLabel, Literal(clean_cell(name))))
        return iri, canonical

    def parse_date_cell(self, value, side, column, messages):
        try:
            parsed = parse_date(value, side=side)
        except DateProblem as problem:
            messages.append(message(problem.code, column, value=problem.text))
            return None, True
        return self._date_note(parsed, side, column, messages), False

    @staticmethod
    def _date_note(parsed, side, column, messages):
        if parsed is None:
            return None
        if parsed.precision == "year":
            messages.append(message("date_year_only", column, value=parsed.text, label=parsed.date.strftime("%d.%m.%Y")))
        elif parsed.precision == "open":
            messages.append(message("open_end", column, value=parsed.text))
        return parsed

    def add_row(self, raw, table, number, own_id, messages, mapped=None, subject=None):
        levels = {m["level"] for m in messages}
        status = "rejected" if "error" in levels else "warning" if "warning" in levels else "imported"
        self.rows.append({"file": raw.path.name, "sheet": table.sheet, "table": table.kind, "row": number,
                          "id": own_id, "status": status, "messages": messages, "mapped": mapped or {},
                          "measure" if table.kind == "measures" else "subject": str(subject) if subject and status != "rejected" else None})
        return status

    def common_row_checks(self, table, sheet, number, cells, messages):
        """Row-shape defects of CSV files and never-calculated formulas."""
        index = number - 1
        width = len(table.headers)
        if sheet.ragged:
            filled = [i for i, c in enumerate(cells) if clean_cell(cell_text(c))]
            if filled and filled[-1] >= width:
                messages.append(message("extra_cells", None, value=len(cells)))
            elif len(cells) < width:
                messages.append(message("short_row", None, value=len(cells)))
        for (r, c) in sheet.formula_cells:
            if r == index:
                messages.append(message("formula_not_calculated", table.headers[c] if c < width else f"Spalte {c + 1}"))

    def text(self, table, cells, role):
        return clean_cell(cell_text(table.value(cells, role)))

    def extra_info(self, g, subject, table, cells):
        for index, header in table.extra_columns.items():
            if index < len(cells) and (value := clean_cell(cell_text(cells[index]))):
                g.add((subject, KP.additionalInfo, Literal(f"{header}: {value}")))


def _number(text):
    """Parse German and English number formats; percentages to shares.

    Examples
    --------
    >>> _number("54.600"), _number("0,31"), _number("54 %")
    (Decimal('54600'), Decimal('0.31'), Decimal('54'))
    """
    text = clean_cell(text).replace("%", "").replace(" ", "")
    if not text:
        return None
    if text.count(".") >= 1 and "," not in text and all(len(p) == 3 for p in text.split(".")[1:]):
        text = text.replace(".", "")
    text = text.replace(".", "").replace(",", ".") if "," in text else text
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None


# --------------------------------------------------------------------------------------
# Tables of each kind


def _import_districts(b, raw, sheet, table):
    g = b.graph_for(raw)
    for number, cells in table.rows:
        messages = []
        name = b.text(table, cells, "name")
        if not name:
            b.add_row(raw, table, number, None, [message("missing_name", table.headers[table.columns["name"]])])
            continue
        match = b.territory.index.match(name)
        if match.concept and match.how != "fuzzy":
            iri = match.concept.iri
        else:
            kind = b.text(table, cells, "kind") or None
            iri = b.territory.add_area(name, kind)
            if b.territory.source == "bundled":
                messages.append(message("district_added", table.headers[table.columns["name"]], value=name))
        subject = URIRef(iri)
        if iri in b.seen_areas:
            messages.append(message("duplicate_row", None, value=b.seen_areas[iri]))
            b.add_row(raw, table, number, None, messages, {"district": {"text": name, "iri": iri}}, subject)
            continue
        b.seen_areas[iri] = number
        inhabitants = None
        for role in ("inhabitants", "migration_share", "migration_count"):
            text = b.text(table, cells, role)
            if not text:
                continue
            try:
                value = _number(text)
            except ValueError:
                messages.append(message("bad_number", table.headers[table.columns[role]], value=text))
                continue
            if role == "inhabitants":
                inhabitants = int(value)
                g.add((subject, KP.inhabitants, Literal(inhabitants)))
            elif role == "migration_share":
                share = value / 100 if value > 1 or "%" in text else value
                g.add((subject, KP.migrationShare, Literal(share.quantize(Decimal("0.0001")), datatype=XSD.decimal)))
            elif inhabitants:
                g.add((subject, KP.migrationShare,
                       Literal((value / inhabitants).quantize(Decimal("0.0001")), datatype=XSD.decimal)))
        b.source_record(g, raw, table, number, None, subject)
        b.add_row(raw, table, number, None, messages, {"district": {"text": name, "iri": iri}}, subject)


def _collect_org_names(b, tables):
    """Every spelling of every organisation in all tables, providers-sheet rows marked official."""
    names = []
    for raw, sheet, table in tables:
        for _, cells in table.rows:
            if table.kind == "providers":
                if name := b.text(table, cells, "name"):
                    aliases = split_values(b.text(table, cells, "short_name"))
                    names.append(OrgName(name, official=True, aliases=tuple(aliases)))
                    if parent := b.text(table, cells, "parent"):
                        names.append(OrgName(parent))
            elif table.kind == "measures":
                for role, many in (("provider", False), ("partners", True), ("funders", True)):
                    names.extend(OrgName(n) for n in b.org_names(b.text(table, cells, role), many=many)
                                 if normalize_label(n) not in _OWN_FUNDS)
            elif table.kind == "cooperations":
                names.extend(OrgName(t) for t in (b.text(table, cells, "partner_a"), b.text(table, cells, "partner_b")) if t)
            elif table.kind == "networks":
                for role in ("members", "member"):
                    names.extend(OrgName(n) for n in b.org_names(b.text(table, cells, role), many=True))
    return names


def _import_providers(b, raw, sheet, table):
    g = b.graph_for(raw)
    for number, cells in table.rows:
        messages = []
        b.common_row_checks(table, sheet, number, cells, messages)
        name = b.text(table, cells, "name")
        if not name:
            messages.append(message("missing_name", table.headers[table.columns["name"]]))
            b.add_row(raw, table, number, None, messages)
            continue
        iri, canonical = b.add_org(g, name, "listed")
        for alias in split_values(b.text(table, cells, "short_name")):
            g.add((iri, SKOS.altLabel, Literal(alias)))
        for variant in b.orgs.variants.get(canonical, []):
            g.add((iri, SKOS.altLabel, Literal(variant)))
        mapped = {"organisation": {"text": name, "iri": str(iri), "canonical": canonical}}
        if kind := b.text(table, cells, "type"):
            types = b.map_concepts("type", kind, table.headers[table.columns["type"]], messages)
            for t in types:
                if t["iri"]:
                    g.add((iri, ORG.classification, URIRef(t["iri"])))
                    b.classified.add(iri)
            mapped["type"] = types
        if district := b.text(table, cells, "district"):
            areas = b.map_concepts("districts", district, table.headers[table.columns["district"]], messages,
                                   index=b.territory.index)
            for area in areas:
                if area["iri"]:
                    g.add((iri, DCTERMS.spatial, URIRef(area["iri"])))
            mapped["districts"] = areas
        if parent := b.text(table, cells, "parent"):
            parent_iri, _ = b.add_org(g, parent, "parent")
            if parent_iri != iri:
                g.add((iri, ORG.subOrganizationOf, parent_iri))
        address = URIRef(f"{iri}/adresse")
        for role, prop in (("street", "streetAddress"), ("postcode", "postalCode"), ("city", "addressLocality")):
            if value := b.text(table, cells, role):
                g.add((iri, S["address"], address))
                g.add((address, RDF.type, S["PostalAddress"]))
                g.add((address, S[prop], Literal(value)))
        if website := b.text(table, cells, "website"):
            g.add((iri, S["url"], Literal(website)))
        _contact(b, g, iri, table, cells)
        b.extra_info(g, iri, table, cells)
        b.source_record(g, raw, table, number, None, iri)
        b.add_row(raw, table, number, None, messages, mapped, iri)


def _contact(b, g, subject, table, cells):
    values = {role: b.text(table, cells, role) for role in _PERSONAL_ROLES}
    if not any(values.values()):
        return
    point = URIRef(f"{subject}/kontakt")
    g.add((subject, S["contactPoint"], point))
    g.add((point, RDF.type, S["ContactPoint"]))
    for role, prop in (("contact", "name"), ("email", "email"), ("phone", "telephone")):
        if values[role]:
            g.add((point, S[prop], Literal(values[role])))


def _import_cooperations(b, raw, sheet, table):
    g = b.graph_for(raw)
    for number, cells in table.rows:
        messages = []
        b.common_row_checks(table, sheet, number, cells, messages)
        a, c = b.text(table, cells, "partner_a"), b.text(table, cells, "partner_b")
        for role, text in (("partner_a", a), ("partner_b", c)):
            if not text:
                messages.append(message("missing_partner", table.headers[table.columns[role]]))
        since = None
        if (value := table.value(cells, "since")) is not None:
            parsed, _ = b.parse_date_cell(value, "start", table.headers[table.columns["since"]], messages)
            since = parsed.date if parsed else None
        if a and c and b.orgs.resolve(a) == b.orgs.resolve(c):
            messages.append(message("self_cooperation", table.headers[table.columns["partner_b"]], value=c))
        if any(m["level"] == "error" for m in messages):
            b.add_row(raw, table, number, None, messages)
            continue
        ia, ca = b.add_org(g, a, "cooperation")
        ic, cc = b.add_org(g, c, "cooperation")
        coop = b.city.base[f"kooperation/{short_hash(*sorted((str(ia), str(ic))))}"]
        if coop in b.seen_cooperations:
            messages.append(message("duplicate_row", None, value=b.seen_cooperations[coop]))
        b.seen_cooperations.setdefault(coop, number)
        g.add((coop, RDF.type, KP.Cooperation))
        g.add((coop, KP.cooperationPartner, ia))
        g.add((coop, KP.cooperationPartner, ic))
        g.add((ia, KP.cooperatesWith, ic))
        g.add((ic, KP.cooperatesWith, ia))
        if kind := b.text(table, cells, "kind"):
            g.add((coop, KP.cooperationKind, Literal(kind)))
        if since:
            g.add((coop, S["startDate"], Literal(since, datatype=XSD.date)))
        b.source_record(g, raw, table, number, None, coop)
        mapped = {"partners": [{"text": a, "iri": str(ia), "canonical": ca}, {"text": c, "iri": str(ic), "canonical": cc}]}
        b.add_row(raw, table, number, None, messages, mapped, coop)


def _import_networks(b, raw, sheet, table):
    g = b.graph_for(raw)
    for number, cells in table.rows:
        messages = []
        b.common_row_checks(table, sheet, number, cells, messages)
        name = b.text(table, cells, "network")
        members = [n for role in ("members", "member") for n in b.org_names(b.text(table, cells, role), many=True)]
        if not name:
            messages.append(message("missing_name", table.headers[table.columns["network"]]))
        if not members:
            messages.append(message("missing_members", None))
        if any(m["level"] == "error" for m in messages):
            b.add_row(raw, table, number, None, messages)
            continue
        net = b.city.base[f"netzwerk/{slugify(name)}"]
        g.add((net, RDF.type, ORG.OrganizationalCollaboration))
        g.add((net, SKOS.prefLabel, Literal(name)))
        mapped = []
        for member in members:
            iri, canonical = b.add_org(g, member, "network")
            g.add((net, ORG.hasMember, iri))
            mapped.append({"text": member, "iri": str(iri), "canonical": canonical})
        if kind := b.text(table, cells, "kind"):
            g.add((net, KP.additionalInfo, Literal(f"{table.headers[table.columns['kind']]}: {kind}")))
        b.source_record(g, raw, table, number, None, net)
        b.add_row(raw, table, number, None, messages, {"members": mapped}, net)


def _measure_dates(b, table, cells, messages):
    """Start and end of a measure from start/end columns or a period column; flags errors."""
    start = end = None
    failed = False
    column = lambda role: table.headers[table.columns[role]]  # noqa: E731
    if "period" in table.columns and (value := table.value(cells, "period")) is not None:
        try:
            start, end = parse_period(value)
        except DateProblem as problem:
            messages.append(message(problem.code, column("period"), value=problem.text))
            failed = True
        start = b._date_note(start, "start", column("period"), messages)
        end = b._date_note(end, "end", column("period"), messages)
    if "start" in table.columns and (value := table.value(cells, "start")) is not None:
        parsed, bad = b.parse_date_cell(value, "start", column("start"), messages)
        failed |= bad
        start = parsed or start
    if "end" in table.columns and (value := table.value(cells, "end")) is not None:
        parsed, bad = b.parse_date_cell(value, "end", column("end"), messages)
        failed |= bad
        end = parsed or end
    if start is not None and start.precision == "open":
        start = None
    if start and end and start.date and end.date and end.date < start.date:
        messages.append(message("end_before_start", column("end") if "end" in table.columns else column("period"),
                                value=end.date.strftime("%d.%m.%Y")))
        failed = True
    return start, end, failed


def _import_measures(b, raw, sheet, table):
    g = b.graph_for(raw)
    for number, cells in table.rows:
        messages = []
        b.common_row_checks(table, sheet, number, cells, messages)
        own_id = b.text(table, cells, "id") or None
        title, provider = b.text(table, cells, "title"), b.text(table, cells, "provider")
        if not title:
            messages.append(message("missing_title", table.headers[table.columns["title"]]))
        if not provider:
            messages.append(message("missing_provider", table.headers[table.columns["provider"]]))
        start, end, _ = _measure_dates(b, table, cells, messages)
        if any(m["level"] == "error" for m in messages):
            b.add_row(raw, table, number, own_id, messages)
            continue
        content = tuple(clean_cell(cell_text(c)) for i, c in enumerate(cells) if i != table.columns.get("id"))
        if content in b.seen_measures:
            first_row, iri = b.seen_measures[content]
            messages.append(message("duplicate_row", None, value=first_row))
            b.add_row(raw, table, number, own_id, messages, {}, iri)
            continue
        key = slugify(own_id) if own_id else short_hash(normalize_label(title), b.orgs.resolve(provider),
                                                         start.date if start else "")
        if key in b.used_ids:
            messages.append(message("duplicate_id", table.headers[table.columns["id"]], value=own_id))
            key = f"{key}-{short_hash(*content, length=6)}"
        b.used_ids[key] = content
        m = b.city.base[f"massnahme/{key}"]
        b.seen_measures[content] = (number, m)
        mapped = _describe_measure(b, g, m, table, cells, messages, title, provider, start, end, own_id)
        b.source_record(g, raw, table, number, own_id, m)
        b.add_row(raw, table, number, own_id, messages, mapped, m)


def _describe_measure(b, g, m, table, cells, messages, title, provider, start, end, own_id):
    header = lambda role: table.headers[table.columns[role]]  # noqa: E731
    g.add((m, RDF.type, KP.Measure))
    g.add((m, RDF.type, S["Project"] if end and end.date else CPSV.PublicService))
    g.add((m, DCTERMS.title, Literal(title)))
    if own_id:
        g.add((m, DCTERMS.identifier, Literal(own_id)))
    if description := b.text(table, cells, "description"):
        g.add((m, DCTERMS.description, Literal(description)))
    if start and start.date:
        g.add((m, S["startDate"], Literal(start.date, datatype=XSD.date)))
    if end and end.date:
        g.add((m, S["endDate"], Literal(end.date, datatype=XSD.date)))
    mapped = {}
    providers = []
    for name in b.org_names(provider, many=False):
        iri, canonical = b.add_org(g, name, "provider")
        g.add((m, KP.provider, iri))
        providers.append({"text": name, "iri": str(iri), "canonical": canonical})
    mapped["provider"] = providers[0] if len(providers) == 1 else providers
    for role, prop in (("partners", KP.partner), ("funders", KP.funder)):
        entries = []
        for name in b.org_names(b.text(table, cells, role), many=True):
            if role == "funders" and normalize_label(name) in _OWN_FUNDS:
                messages.append(message("own_funds", header(role), value=name))
                for p in providers:
                    g.add((m, prop, URIRef(p["iri"])))
                continue
            iri, canonical = b.add_org(g, name, role.rstrip("s"))
            if role == "funders":
                b.org_roles[canonical].add("funder")
            g.add((m, prop, iri))
            entries.append({"text": name, "iri": str(iri), "canonical": canonical})
        mapped[role] = entries
    for role, prop in (("target_groups", DCTERMS.audience), ("fields", CV.thematicArea), ("districts", DCTERMS.spatial)):
        text = b.text(table, cells, role)
        if not text:
            mapped[role] = []
            continue
        index = b.territory.index if role == "districts" else None
        entries = b.map_concepts(role, text, header(role), messages, index=index)
        for entry in entries:
            if entry["iri"]:
                g.add((m, prop, URIRef(entry["iri"])))
            elif role == "districts" and b.territory.source == "data":
                entry["iri"] = b.territory.add_area(entry["text"])
                entry["how"] = "new"
                messages[-1] = message("district_from_data", header(role), value=entry["text"])
                g.add((m, prop, URIRef(entry["iri"])))
            else:
                g.add((m, KP.additionalInfo, Literal(f"{header(role)}: {entry['text']}")))
        mapped[role] = entries
    for role, prop in (("languages", KP.languages), ("schedule", KP.schedule)):
        if value := b.text(table, cells, role):
            g.add((m, prop, Literal(value)))
    _contact(b, g, m, table, cells)
    b.extra_info(g, m, table, cells)
    return mapped


# --------------------------------------------------------------------------------------
# Organisations, territory and the import as a whole


def _describe_orgs(b):
    """Alternative names and funder classification for every organisation used."""
    for g in b.graphs.values():
        for iri, canonical in b.org_graphs[id(g)].items():
            for variant in b.orgs.variants.get(canonical, []):
                g.add((iri, SKOS.altLabel, Literal(variant)))
            if b.org_roles[canonical] == {"funder"} and iri not in b.classified:
                g.add((iri, ORG.classification, TT["foerdermittelgeber"]))


def _describe_territory(b, g):
    t = b.territory
    if not t.new_concepts:
        return
    scheme = t.scheme_ref()
    if t.source != "bundled":
        g.add((scheme, RDF.type, SKOS.ConceptScheme))
        g.add((scheme, SKOS.prefLabel, Literal(f"Gebiete {b.city.name}", lang="de")))
        g.add((scheme, SKOS.prefLabel, Literal(f"Areas of {b.city.name}", lang="en")))
        g.add((scheme, KP.municipality, URIRef(t.city_concept)))
    for iri, facts in t.new_concepts.items():
        concept = URIRef(iri)
        g.add((concept, RDF.type, SKOS.Concept))
        g.add((concept, SKOS.inScheme, scheme))
        g.add((concept, SKOS.prefLabel, Literal(facts["label"], lang="de")))
        g.add((concept, KP.areaType, Literal(facts["area_type"])))
        for alt in facts["alt"]:
            g.add((concept, SKOS.altLabel, Literal(alt, lang="de")))
        if facts["broader"]:
            g.add((concept, SKOS.broader, URIRef(facts["broader"])))
        else:
            g.add((concept, SKOS.topConceptOf, scheme))


_ORDER = ("districts", "providers", "cooperations", "networks", "measures")
_IMPORTERS = {"districts": _import_districts, "providers": _import_providers, "cooperations": _import_cooperations,
              "networks": _import_networks, "measures": _import_measures}


def _find_tables(raw, mapping, report_file):
    tables = []
    forced = mapping.get("kinds", {})
    for sheet in raw.sheets:
        kind = forced.get(sheet.name) or ("measures" if raw.kind == "csv" else None)
        overrides = {**mapping.get("columns", {}).get("*", {}), **mapping.get("columns", {}).get(sheet.name, {})}
        try:
            table = find_table(sheet, kind=kind, overrides=overrides)
        except IngestError as e:
            raise IngestError(e.detail, file=raw.path.name, sheet=sheet.name, row=e.row, column=e.column,
                              code=e.code) from None
        rows_total = sum(1 for row in sheet.rows if any(clean_cell(cell_text(c)) for c in row))
        entry = {"name": sheet.name, "notes": list(sheet.notes)}
        if table is None:
            entry.update(kind=None, status="skipped", nonempty_rows=rows_total,
                         reason="Keine bekannte Tabelle erkannt (Maßnahmen, Träger, Gebiete, Kooperationen, Netzwerke).")
        else:
            entry.update(kind=table.kind, status="used", header_row=table.header_row,
                         columns={role: table.headers[i] for role, i in table.columns.items()},
                         unmapped_columns=list(table.extra_columns.values()), rows=len(table.rows),
                         title_lines=table.title_lines, notes=entry["notes"] + table.notes)
            tables.append((raw, sheet, table))
        report_file["sheets"].append(entry)
    return tables


def _load_rdf(raw, b):
    fmt = RDF_SUFFIXES[raw.path.suffix.lower()]
    if fmt == "json-ld" and re.search(r'"@context"\s*:\s*"(?:https?|file):', raw.path.read_text(encoding="utf-8", errors="replace")):
        raise IngestError("Die JSON-LD-Datei verweist auf einen entfernten @context; Knotenpunkt lädt nichts aus dem "
                          "Netz. Bitte den Kontext in die Datei einbetten.", file=raw.path.name, code="remote_context")
    g = Graph()
    try:
        g.parse(raw.path, format=fmt)
    except Exception as e:  # rdflib raises parser-specific exception types
        raise IngestError(f"Die RDF-Datei lässt sich nicht lesen: {e}", file=raw.path.name, code="bad_rdf") from None
    sink = TripleSink()
    sink.lines = set(g.serialize(format="nt").splitlines()) - {""}
    b.graphs[GRAPH[f"data/{b.city.slug}/{slugify(raw.path.name)}"]] = sink
    return len(sink)


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
        ``progress(fraction, text)``.

    Returns
    -------
    ImportPlan

    Raises
    ------
    IngestError
        A file that cannot be read or whose tables lack required columns.
    """
    progress = progress or (lambda fraction, text: None)
    mapping = user_mapping.merge(user_mapping.load_remembered(store), mapping or {})
    raws = []
    for i, path in enumerate(paths):
        progress(0.05 + 0.25 * i / max(len(paths), 1), f"Lese {path}")
        raws.append(read_file(path))
    report = {"files": []}
    tables = []
    for raw in raws:
        entry = {"path": str(raw.path), "name": raw.path.name, "sha256": raw.sha256, "kind": raw.kind, "sheets": []}
        report["files"].append(entry)
        if raw.kind != "rdf":
            tables.extend(_find_tables(raw, mapping, entry))
    titles = [raw.path.stem for raw in raws] + [t.sheet for _, _, t in tables] + \
        [line for _, _, t in tables for line in t.title_lines]
    org_names = [clean_cell(cell_text(t.value(cells, role))) for _, _, t in tables for _, cells in t.rows
                 for role in ("name", "provider")]
    the_city, how = detect_city(store, explicit=city or mapping.get("city"), titles=titles, org_names=org_names)
    report["city"] = {"name": the_city.name, "slug": the_city.slug, "how": how}
    b = _Builder(store, the_city, mapping)
    for raw in raws:
        if raw.kind == "rdf":
            next(f for f in report["files"] if f["path"] == str(raw.path))["triples"] = _load_rdf(raw, b)
    progress(0.4, "Organisationen abgleichen")
    b.known_org_keys = {normalize_label(name) for _, _, t in tables if t.kind == "providers" for _, cells in t.rows
                        for name in [b.text(t, cells, "name"), *split_values(b.text(t, cells, "short_name"))]}
    b.known_org_keys |= {normalize_label(b.text(t, cells, "provider")) for _, _, t in tables if t.kind == "measures"
                         for _, cells in t.rows}
    b.known_org_keys.discard("")
    b.known_org_keys |= _OWN_FUNDS
    region, places = b.territory.name_words()
    b.orgs = resolve_organisations(_collect_org_names(b, tables), region=region, places=places,
                                   decisions=mapping.get("organisations"), threshold=get_setting("org_merge_threshold"))
    for kind in _ORDER:
        for raw, sheet, table in tables:
            if table.kind == kind:
                progress(0.45 + 0.4 * _ORDER.index(kind) / len(_ORDER), f"{sheet.name}: {kind}")
                _IMPORTERS[kind](b, raw, sheet, table)
    if b.graphs:
        _describe_territory(b, next(iter(b.graphs.values())))
    _describe_orgs(b)
    counts = Counter(row["status"] for row in b.rows)
    report["rows"] = b.rows
    report["counts"] = {"rows": len(b.rows), "imported": counts["imported"], "warning": counts["warning"],
                        "rejected": counts["rejected"]}
    report["organisations"] = {
        "merged": [{"canonical": c, "variants": v,
                    "score": min((m["score"] for m in b.orgs.merges if m["canonical"] == c), default=100.0),
                    "reason": "; ".join(sorted({m["reason"] for m in b.orgs.merges if m["canonical"] == c}))}
                   for c, v in sorted(b.orgs.variants.items()) if v],
        "proposals": b.orgs.proposals,
        "count": len(b.orgs.variants),
    }
    report["unmapped"] = sorted(
        ({"column": role, "text": text} for role, values in b.mapped_values.items()
         for text, (iri, _) in values.items() if iri is None),
        key=lambda e: (e["column"], e["text"]))
    report["graphs"] = [str(iri) for iri in b.graphs]
    detected = user_mapping.detected(mapping, report, b.mapped_values, the_city)
    progress(0.9, "Fertig gelesen")
    return ImportPlan(report, b.graphs, raws, detected, mapping, the_city)


def commit_import(plan, store, *, label=None):
    """Validate the planned graphs against the SHACL shapes and write them in one transaction.

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
    conforms, results_text, _ = plan.validate()
    if not conforms:
        raise ValidationError("Die Daten verletzen die Regeln des Modells (SHACL); nichts wurde geschrieben.",
                              results_text)
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    run = plan.city.base[f"import/{now.strftime('%Y%m%dT%H%M%SZ')}-{short_hash(*(r.sha256 for r in plan.files), length=8)}"]
    names = ", ".join(r.path.name for r in plan.files)
    meta = Graph()
    meta.add((run, RDF.type, KP.ImportRun))
    meta.add((run, PROV.startedAtTime, Literal(now.isoformat(), datatype=XSD.dateTime)))
    meta.add((run, KP.versionLabel, Literal(label or f"Import {now:%d.%m.%Y %H:%M} ({names})")))
    for raw in plan.files:
        meta.add((run, PROV.used, plan.city.base[f"datei/{slugify(raw.path.name)}"]))
    for iri in plan.graphs:
        meta.add((run, PROV.generated, URIRef(iri)))
    for key, value in plan.counts.items():
        meta.add((run, RDFS.comment, Literal(f"{key}={value}")))
    changed = store.replace_graphs({str(iri): g.ntriples() for iri, g in plan.graphs.items()},
                                   extra_meta=meta.serialize(format="nt"))
    user_mapping.remember(store, plan.user_mapping, plan.report["organisations"])
    return {"changed": changed, "run": str(run) if changed else None}


def import_files(paths, store, *, city=None, mapping=None, dry_run=False, label=None, progress=None):
    """Plan an import and, unless `dry_run`, commit it; return the plan with ``report["committed"]``."""
    plan = plan_import(paths, store, city=city, mapping=mapping, progress=progress)
    if dry_run:
        conforms, results_text, _ = plan.validate()
        plan.report.update(committed=False, conforms=conforms, shacl=results_text if not conforms else "")
        return plan
    result = commit_import(plan, store, label=label)
    plan.report.update(committed=True, conforms=True, changed=result["changed"], run=result["run"])
    return plan
