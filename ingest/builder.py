"""The state of one import: vocabularies, territory, organisations, the triples of each graph, the report rows."""

import datetime as dt
import re
from collections import defaultdict

import pyoxigraph as ox

from rdflib import RDF, RDFS, XSD, URIRef
from rdflib.namespace import ORG, PROV, SKOS

from knotenpunkt.graph.settings import get_setting
from knotenpunkt.graph.store import to_term
from knotenpunkt.graph.texts import Phrase
from knotenpunkt.ingest import mapping as user_mapping
from knotenpunkt.ingest.concepts import ConceptIndex
from knotenpunkt.ingest.dates import DateProblem, parse_date
from knotenpunkt.ingest.messages import message
from knotenpunkt.ingest.orgs import address_tail, one_name, split_org_list
from knotenpunkt.ingest.personal import (NAME_PROPERTIES, PERSON_TYPES, PERSONAL_PROPERTIES, PUBLIC_PROPERTIES, VCARD,
                                         is_personal_literal, person_name)
from knotenpunkt.ingest.places import PLACE_KIND_WORDS, PLACE_QUALIFIERS
from knotenpunkt.ingest.read import clean_text
from knotenpunkt.ingest.territory import Territory
from knotenpunkt.ingest.text import EXCEL_ERROR, clean_cell, is_placeholder, normalize_label, slugify, split_values
from knotenpunkt.ingest.validate import ValidationStore
from knotenpunkt.ontology.namespace import GRAPH, KP, VOC

__all__ = ["Term", "Terms", "literal", "TripleSink", "Builder", "SCHEMES"]

# Roles whose placeholder texts ("k. A.", "-bitte auswählen-") mean "empty".
PLACEHOLDER_ROLES = {"title", "provider", "partners", "funders", "target_groups", "fields", "districts", "postcode",
                     "type", "district", "name", "partner_a", "partner_b", "network", "members", "member", "start",
                     "end", "period"}
# Headers of a provider column that name the one beneficiary of each row (the EU's lists of operations)
_BENEFICIARY = ("beguenstigt", "beneficiar", "zuwendungsempfaeng", "foerderempfaeng")
_NAMING_ROLES = {"title", "name"}  # a row's name: an error value there is kept, emptying it would reject the row
_POSTCODE = re.compile(r"^\d{5}$")
# The columns that say where an organisation of a list is, coarsest first: a generic name at two places is two
# organisations (`Builder.listed_name`).
_PLACE_COLUMNS = (("city",), ("district",), ("postcode",), ("street", "house_number"))
_NOT_PLACE_WORDS = PLACE_KIND_WORDS | {"kreis", "landkreis", "region", "staedteregion"}  # in place values, no place
_STREET_SHORT = re.compile(r"str\b")  # "Kippenbergstr. 20", "Bodenbacher Str. 24": "…straße", normalised
_ACRONYM = re.compile(r"\b\w*[A-ZÄÖÜ]\w*[A-ZÄÖÜ]\w*\b")  # a word of two capitals or more: "VdK", "PSBB", "DRK"
_FEED_ROWS = 2000  # rows mapped between two hand-overs to the validation store
SCHEMES = {"target_groups": VOC["zielgruppe"], "fields": VOC["handlungsfeld"], "type": VOC["traegertyp"]}
_OTHER_ROLE = {"target_groups": "fields", "fields": "target_groups"}  # `Builder._other_scheme`
# a column of categories ("Interventionskategorie", "category of intervention"): a long phrase with commas is one label
_CATEGORY_COLUMN = re.compile(r"kategorie|categor")
_CATEGORY_WORDS = 6


def _category_aware(index, whole):
    """`is_known` for splitting a cell: the index's labels, and in a column of categories any part of at least
    six words ("Verbesserung der Qualität und Effizienz von, und des Zugangs zu, Hochschulen …")."""
    if not whole:
        return index.is_known
    return lambda part: len(part.split()) >= _CATEGORY_WORDS or index.is_known(part)


class Terms:
    """A namespace whose IRIs are made once: an rdflib namespace makes a new URIRef at every attribute
    read, millions of times in a large import."""

    def __init__(self, namespace):
        self._namespace = namespace

    def __getattr__(self, name):
        term = getattr(self._namespace, name)
        setattr(self, name, term)
        return term

    def __getitem__(self, name):
        return self._namespace[name]


# each IRI made once
RDF, RDFS, XSD, ORG, PROV, SKOS, KP = (Terms(ns) for ns in (RDF, RDFS, XSD, ORG, PROV, SKOS, KP))


class Term(str):
    """A term already written in N-Triples (`literal`): added to a sink as it is."""

    __slots__ = ()


_ESCAPED = re.compile(r'[\x00-\x1f"\\\x7f\ufffe\uffff]')  # characters N-Triples writes escaped (as pyoxigraph does)
# Properties and types that make a sink's personal data a matter for the full scan, and properties whose texts are public.
_PERSONAL_NT = frozenset(f"<{iri}>" for iri in PERSONAL_PROPERTIES | PERSON_TYPES)
_PUBLIC_NT = frozenset(f"<{iri}>" for iri in PUBLIC_PROPERTIES)
_NAME_NT = frozenset(f"<{iri}>" for iri in NAME_PROPERTIES)  # titles and names: an address in one names a place
_VCARD_NT = f"<{VCARD}"
_XSD_TYPES = ((int, str(XSD.integer)), (dt.date, str(XSD.date)))


def literal(value, *, datatype=None, lang=None):
    r"""An RDF literal written directly in N-Triples, as pyoxigraph writes it, without building rdflib and
    pyoxigraph terms for every value of every row.

    Integers are ``xsd:integer`` and dates ``xsd:date`` unless `datatype` says otherwise.

    Examples
    --------
    >>> print(literal("Sprachcafé"), literal(3), literal(dt.date(2024, 9, 1)), literal("Kita", lang="de"))
    "Sprachcafé" "3"^^<http://www.w3.org/2001/XMLSchema#integer> "2024-09-01"^^<http://www.w3.org/2001/XMLSchema#date> "Kita"@de
    >>> print(literal('Zeile "1"'))
    "Zeile \"1\""
    """
    for kind, type_iri in _XSD_TYPES:
        if isinstance(value, kind):
            datatype = datatype or type_iri
            break
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    quoted = str(ox.Literal(text)) if _ESCAPED.search(text) else f'"{text}"'
    if lang:
        return Term(f"{quoted}@{lang}")
    return Term(f"{quoted}^^<{datatype}>" if datatype and str(datatype) != str(XSD.string) else quoted)


class TripleSink:
    """The triples of one graph on their way into the validation store (`ingest.validate.ValidationStore`):
    N-Triples lines collected until they are handed on (`take_new`), then forgotten.

    Lines added one by one (`add`) are looked at on the way in for `ingest.personal.separate_personal`:
    a plain text holding personal data is noted in `flagged`, and a personal property or a person's type
    marks the sink for a full scan (`checked` False), as do lines given at once (an RDF upload, a territory).
    """

    def __init__(self, lines=()):
        self.new = list(lines)  # lines not yet handed on for validation (`take_new`)
        self.checked = not self.new  # every line came through `add`
        self.flagged = set()  # lines whose plain text holds personal data
        self._iris = {}  # URIRef -> its N-Triples text: subjects, predicates and concepts recur on every row

    def add(self, triple):
        """Add one (subject, predicate, object) triple of rdflib IRIs and `literal` terms."""
        s, p, o = triple
        iris = self._iris
        s = iris.get(s) or self._text(s)
        p = iris.get(p) or self._text(p)
        o = o if type(o) is Term else iris.get(o) or self._text(o)
        line = f"{s} {p} {o} ."
        self.new.append(line)
        if p in _PERSONAL_NT or o in _PERSONAL_NT or p.startswith(_VCARD_NT):
            self.checked = False
        elif o[0] == '"' and p not in _PUBLIC_NT and is_personal_literal(o, name=p in _NAME_NT):
            self.flagged.add(line)

    def take_new(self):
        """The lines added since the last call. The IRIs' texts are forgotten too: most are of one row (a
        measure, a source record; 0.1 GB at 100k rows if kept), and the recurring ones are made again."""
        new, self.new = self.new, []
        self._iris.clear()
        return new

    def _text(self, term):
        """The N-Triples text of a term; an IRI's is kept (pyoxigraph checks each IRI once)."""
        if type(term) is Term:
            return term
        text = str(to_term(term))
        if type(term) is URIRef:
            self._iris[term] = text
        return text


class Builder:
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
        self.validation = ValidationStore()  # filled while the rows are mapped (`feed`)
        self.orgs = None
        self.org_facts = defaultdict(dict)  # canonical -> facts from the providers sheet
        self.org_roles = defaultdict(set)  # canonical -> {"provider", "partner", "funder", …}
        self.org_graphs = defaultdict(dict)  # graph sink id -> {organisation IRI: canonical name}
        self.classified = set()  # organisation IRIs with an org:classification
        self.seen_measures = {}  # content key -> (row number, IRI)
        self.seen_cooperations = {}  # cooperation IRI -> first row number
        self.seen_areas = {}  # area IRI -> first row number of the districts sheet
        self.used_ids = {}  # measure id slug -> content key
        self.known_org_keys = set()  # organisation names a providers sheet writes whole (normalised)
        self.provider_keys = set()  # provider cells of the measures tables (normalised)
        self.mapped_values = defaultdict(dict)  # role -> text -> (iri or None, how)
        self._split = {}  # (text, kind) -> the values of a cell: each distinct cell text is split once
        self._list_keys = None  # (ids and sizes of known_org_keys and provider_keys, their union)
        self._formula_rows = {}  # sheet id -> {row index: [column, …]} of never-calculated formulas
        self._placeholder_columns = {}  # table id -> the columns of roles whose placeholder texts mean "empty"
        self._mapped_cells = {}  # (role, cell text, column, index id and size) -> (entries, messages): `map_concepts`
        self._beneficiary = {}  # table id -> its provider column names one beneficiary per row
        self._record_parts = {}  # (file id, sheet) -> what every source record of that sheet shares
        self._org_iris = {}  # spelling -> (IRI, canonical name): `org_iri`
        self._org_entries = {}  # spelling -> its report entry: `org_entry`
        self._value_entries = {}  # (value, index id and size) -> its report entries: `map_concepts`
        self._described = set()  # (sink id, organisation IRI, spelling) already written by `add_org`
        self._apart = {}  # table id -> {name key: the place roles its rows differ in}: `listed_name`

    # -- helpers ----------------------------------------------------------------------

    def graph_for(self, raw):
        """The triple sink of the file's data graph, created with the file's description."""
        iri = GRAPH[f"data/{self.city.slug}/{slugify(raw.path.name)}"]
        if iri not in self.graphs:
            g = TripleSink()
            file_iri = self.city.base[f"datei/{slugify(raw.path.name)}"]
            g.add((file_iri, RDF.type, KP.SourceFile))
            g.add((file_iri, RDFS.label, literal(raw.path.name)))
            g.add((file_iri, KP.sha256, literal(raw.sha256)))
            self.graphs[iri] = g
        return self.graphs[iri]

    def personal_graph_for(self, raw):
        """The triple sink for the file's personal data (contact persons, e-mails, phones).

        A source of its own, so that the endpoint and the exports can leave it out unless the
        setting ``include_personal_data`` is on.
        """
        iri = GRAPH[f"personal/{self.city.slug}/{slugify(raw.path.name)}"]
        return self.graphs.setdefault(iri, TripleSink())

    def source_record(self, g, raw, table, number, own_id, subject):
        """Provenance of `subject`: a kp:SourceRecord for this file, sheet and row."""
        if (where := self._record_parts.get((id(raw), table.sheet))) is None:
            where = self._record_parts[(id(raw), table.sheet)] = (
                f"/quelle/{slugify(raw.path.name)}/{slugify(table.sheet)}-",
                self.city.base[f"datei/{slugify(raw.path.name)}"], literal(table.sheet))
        path, file_iri, sheet = where
        record = URIRef(f"{subject}{path}{number}")
        g.add((record, RDF.type, KP.SourceRecord))
        g.add((record, KP.sourceFile, file_iri))
        g.add((record, KP.sheet, sheet))
        g.add((record, KP.row, literal(number)))
        if own_id:
            g.add((record, KP.sourceId, literal(own_id)))
        g.add((subject, PROV.wasDerivedFrom, record))

    def map_concepts(self, role, text, column, messages, *, index=None):
        """Split a cell and map each value; messages for fuzzy and unmapped values.

        Returns report entries (``text``, ``iri``, ``label``, ``how``, …), shared by the rows: not to be
        changed (the caller replaces one instead). A cell text recurs on many rows: it is mapped once per
        column and index (and again when an area is added).
        """
        index = index or self.index[role]
        key = (role, text, column, id(index), len(index.by_iri))  # an area the data adds maps from then on
        if (done := self._mapped_cells.get(key)) is None:
            found = []
            done = self._mapped_cells[key] = (self._map_cell(role, text, column, found, index), found)
        entries, found = done
        messages.extend(found)
        return list(entries)

    def _map_cell(self, role, text, column, messages, index):
        places = index is self.territory.index
        out = []
        key = (id(index), len(index.by_iri))
        whole = role in _OTHER_ROLE and _CATEGORY_COLUMN.search(normalize_label(column or "")) is not None
        if (values := self._split.get((text, key[0], whole))) is None:
            values = self._split[(text, key[0], whole)] = split_values(text, is_known=_category_aware(index, whole))
        for value in values:
            if places and _POSTCODE.match(value):  # a postcode is not an area: the measure's postcode
                out.append({"text": value, "iri": None, "label": None, "how": "postcode"})
                messages.append(message("postcode_in_place", column, value=value))
                continue
            match = index.match(value)
            if places and match.how == "unmapped" and (local := self.territory.local_name(value)) != value:
                match = index.match(local)
            if match.how == "unmapped" and index is self.index.get(role) and (other := self._other_scheme(role, value)):
                out.extend(self._other_scheme_entries(role, value, column, other, messages))
                continue
            # one per concept (a phrase may name two groups); made once per value, shared by the cells naming it
            if (entries := self._value_entries.get((value, *key))) is None:
                entries = self._value_entries[(value, *key)] = match.entries()
                for entry in entries:
                    entry["text"] = value
            labels = match.labels()  # {"de": …, "en": …}: each message names the concepts in its own language
            if match.how == "fuzzy":
                messages.append(message("fuzzy_match", column, value=value, label=labels, score=f"{match.score:.0f}"))
            elif match.how in ("lexical", "code"):
                messages.append(message("explained_match", column, value=value, label=labels,
                                        score=match.explanation))
            elif match.how == "unmapped":
                code = "unknown_district" if role == "districts" else "unmapped_value"
                messages.append(message(code, column, value=value, suggestions=match.suggested()))
            elif match.how == "user" and match.concept is None:
                messages.append(message("user_no_concept", column, value=value))
            for entry in entries:
                if places and entry["iri"]:
                    self.territory.use(entry["iri"])
            self.mapped_values[role][value] = (entries[0]["iri"], match.how)
            out.extend(entries)
        return out

    def _other_scheme(self, role, value):
        """The match of `value` in the other scheme of values (target groups ↔ fields) when it is one of its labels.

        "Kinder" among the keywords of a counselling directory names a target group, "Sprache" among the target
        groups a field. Only a label counts (``exact`` or ``altLabel``), never a reading, code or typo."""
        other = _OTHER_ROLE.get(role)
        if other is None or other not in self.index:
            return None
        match = self.index[other].match(value)
        return match if match.how in ("exact", "altLabel") else None

    def _other_scheme_entries(self, role, value, column, match, messages):
        """Report entries for a value of the other scheme, with an info message: the entry names the role
        (``role``) and concept (``concept``) it belongs to, and `ingest.rows` writes it under that role's
        property; its ``iri`` is None, so that it is never written as a value of this column's property."""
        other = _OTHER_ROLE[role]
        messages.append(message("other_scheme_value", column, value=value, label=match.labels(),
                                scheme=Phrase(f"row.scheme.{other}")))
        self.mapped_values[role][value] = (None, "other_scheme")
        return [{"text": value, "iri": None, "label": c.label_de, "how": "other_scheme", "role": other,
                 "concept": c.iri, "explanation": Phrase("row.match.vocabulary")} for c in match.concepts]

    def provider_names(self, table, cells):
        """The organisations of a row's provider cell and the contact details written after them
        (`ingest.orgs.address_tail`): ``(names, person, address)``. A beneficiary column names one organisation
        per row."""
        text, person, address = address_tail(self.text(table, cells, "provider"))
        if (one := self._beneficiary.get(id(table))) is None:
            header = normalize_label(table.header("provider")) if "provider" in table.columns else ""
            one = self._beneficiary[id(table)] = any(word in header for word in _BENEFICIARY)
        names = ([name] if (name := one_name(text)) else []) if one else self.org_names(text, many=True, provider=True)
        return names, person, address

    def org_names(self, text, *, many, provider=False):
        """Organisation names in a cell: a list cell (partners, funders, members, or a provider cell that
        lists several organisations), or a single name, which only ``;`` and line breaks divide.

        In a list cell, a name that a providers sheet or (for partner lists) another row's provider cell
        writes whole is kept whole; a provider cell itself is judged by the names of the providers sheet.
        """
        if not clean_cell(text):
            return []
        key = (text, many and (provider or "list"))
        if (names := self._split.get(key)) is None:
            if many:
                keys = self.known_org_keys if provider else self._known_or_provider_keys()
                names = split_org_list(text, lambda t: normalize_label(t) in keys)
            else:
                names = split_values(text, is_known=lambda _: True)
            self._split[key] = names
        return list(names)

    def _known_or_provider_keys(self):
        """The union of `known_org_keys` and `provider_keys`, made once (not for every list cell)."""
        known, providers = self.known_org_keys, self.provider_keys
        sizes = (len(known), len(providers))
        if self._list_keys is None or self._list_keys[:3] != (id(known), id(providers), sizes):
            self._list_keys = (id(known), id(providers), sizes, known | providers)
        return self._list_keys[3]

    def org_iri(self, name):
        """IRI and canonical name of the organisation a spelling denotes."""
        if (found := self._org_iris.get(name)) is None:
            canonical = self.orgs.resolve(name)
            found = self._org_iris[name] = (self.city.base[f"organisation/{self.orgs.iris[canonical]}"], canonical)
        return found

    def org_entry(self, name):
        """The report entry of a spelling (``text``, ``iri``, ``canonical``), shared by the rows: not to be changed."""
        if (entry := self._org_entries.get(name)) is None:
            iri, canonical = self.org_iri(name)
            entry = self._org_entries[name] = {"text": name, "iri": str(iri), "canonical": canonical}
        return entry

    def add_org(self, g, name, role):
        """Describe the organisation behind a spelling in `g` (name, variant); return its IRI and canonical name."""
        iri, canonical = self.org_iri(name)
        self.org_roles[canonical].add(role)
        if (id(g), iri, name) in self._described:
            return iri, canonical
        self._described.add((id(g), iri, name))
        self.org_graphs[id(g)][iri] = canonical
        g.add((iri, RDF.type, ORG.Organization))
        g.add((iri, SKOS.prefLabel, literal(canonical)))
        if (spelling := one_name(name)) != canonical:
            g.add((iri, SKOS.altLabel, literal(spelling)))
        return iri, canonical

    def parse_date_cell(self, value, side, column, messages):
        """Parse a date cell; messages for problems and notes; returns (DateValue or None, failed)."""
        try:
            parsed = parse_date(value, side=side)
        except DateProblem as problem:
            messages.append(message(problem.code, column, value=problem.text))
            return None, True
        return self.date_note(parsed, side, column, messages), False

    @staticmethod
    def date_note(parsed, side, column, messages):
        """Add an info message for a year-only date or an open end."""
        if parsed is None:
            return None
        if parsed.precision == "year":
            messages.append(message("date_year_only", column, value=parsed.text, label=parsed.date.strftime("%d.%m.%Y")))
        elif parsed.precision == "open":
            messages.append(message("open_end", column, value=parsed.text))
        return parsed

    def feed(self):
        """Hand the triples built since the last call to the validation store, which loads them meanwhile."""
        for iri, g in self.graphs.items():
            self.validation.add(iri, g.take_new())

    def add_row(self, raw, table, number, own_id, messages, mapped=None, subject=None):
        """Record a row in the report; its status follows from the levels of its messages."""
        if len(self.rows) % _FEED_ROWS == _FEED_ROWS - 1:
            self.feed()
        levels = {m["level"] for m in messages}
        status = "rejected" if "error" in levels else "warning" if "warning" in levels else "imported"
        self.rows.append({"file": raw.path.name, "sheet": table.sheet, "table": table.kind, "row": number,
                          "id": own_id, "status": status, "messages": messages, "mapped": mapped or {},
                          "measure" if table.kind == "measures" else "subject": str(subject) if subject and status != "rejected" else None})
        return status

    def common_row_checks(self, table, sheet, number, cells, messages):
        """Row-shape defects of CSV files, never-calculated formulas, Excel error values and placeholders; an info
        when an organisation list's row is told from others of its name by its place (`listed_name`).

        Returns the row's cells with placeholder texts ("-bitte auswählen-", "k. A.") and Excel error values
        ("#NAME?") emptied, each with a warning; an error value in the column that names the row (title,
        name) is kept with its warning, since emptying it would reject the row. Other cells are kept as they are.
        """
        index = number - 1
        if number in sheet.repaired_rows:
            messages.append(message("unbalanced_quote", None))
        for before, after in sheet.repairs.get(number, ()):
            messages.append(message("mojibake_repaired", None, value=before[:60], label=after[:60]))
        cells = list(cells)
        if (columns := self._placeholder_columns.get(id(table))) is None:
            columns = self._placeholder_columns[id(table)] = [
                i for role, column in table.columns.items() if role in PLACEHOLDER_ROLES
                for i in [column, *table.more_columns.get(role, ())]]
        for i in columns:
            if i < len(cells) and is_placeholder(text := clean_text(cells[i])):
                if text.strip("-–—/ ."):
                    messages.append(message("placeholder", table.headers[i], value=text))
                cells[i] = None
        width = len(table.headers)
        for i, cell in enumerate(cells[:width]):
            if type(cell) is str and "#" in cell and EXCEL_ERROR.match(text := clean_text(cell)):
                messages.append(message("excel_error", table.headers[i], value=text))
                if i not in self._naming_columns(table):
                    cells[i] = None
        if sheet.ragged:
            filled = [i for i, c in enumerate(cells) if clean_text(c)]
            if filled and filled[-1] >= width:
                messages.append(message("extra_cells", None, value=len(cells)))
            elif len(cells) < width:
                messages.append(message("short_row", None, value=len(cells)))
        if table.kind == "providers" and "name" in table.columns \
                and (name := self.listed_name(table, cells)) != clean_text(table.value(cells, "name")):
            messages.append(message("org_kept_apart", table.header("name"), value=name))
        if sheet.formula_cells:
            if (by_row := self._formula_rows.get(id(sheet))) is None:
                by_row = self._formula_rows[id(sheet)] = defaultdict(list)
                for r, c in sheet.formula_cells:
                    by_row[r].append(c)
            for c in by_row.get(index, ()):
                messages.append(message("formula_not_calculated", table.headers[c] if c < width else f"Spalte {c + 1}"))
        return cells

    def _naming_columns(self, table):
        return {table.columns[role] for role in _NAMING_ROLES if role in table.columns}

    def text(self, table, cells, role):
        """The cleaned text of a role's cell in a row ("" when the table has no such column); the name of an
        organisation list's row as `listed_name` gives it."""
        if role == "name" and table.kind == "providers":
            return self.listed_name(table, cells)
        return clean_text(table.value(cells, role))

    def listed_name(self, table, cells):
        """The name of a row of an organisation list, with its place when the list has the same generic name at
        other places: "Frauenhaus" in Bamberg and in Bayreuth are two shelters, "Frauenhaus – Bamberg" and
        "Frauenhaus – Bayreuth". A name that says where (a word of the list's places or a region: "Diakonie
        Kamenz", "Caritas Oberlausitz"), has an abbreviation ("VdK Sachsen") or names a person is one
        organisation at several places, and so is a name at the same place on several rows."""
        name = clean_text(table.value(cells, "name"))
        if not (places := self._places_apart(table).get(normalize_label(name))):
            return name
        place = ", ".join(filter(None, (self._place_value(table, cells, roles) for roles in places)))
        return f"{name} – {place}" if place else name

    def _place_value(self, table, cells, roles):
        """The text of a row's place columns `roles` (street and house number together), placeholders left out."""
        values = (clean_text(table.value(cells, role)) for role in roles)
        return " ".join(v for v in values if v and not is_placeholder(v))

    def _places_apart(self, table):
        """{name key: the place columns that tell its rows apart} for the generic names of an organisation list
        that stand at several places (`listed_name`): the coarsest columns that do, "city" before "street".
        Made once per table."""
        if (apart := self._apart.get(id(table))) is None:
            apart = self._apart[id(table)] = {}
            columns = [roles for roles in _PLACE_COLUMNS if any(role in table.columns for role in roles)]
            places, spellings, words = defaultdict(set), defaultdict(set), set()
            for _, cells in table.rows:
                name = clean_text(table.value(cells, "name"))
                where = tuple(_STREET_SHORT.sub("strasse", normalize_label(self._place_value(table, cells, roles)))
                              for roles in columns)
                if name and any(where):
                    places[normalize_label(name)].add(where)
                    spellings[normalize_label(name)].add(name)
                words.update(w for role in ("city", "district") for w in
                             normalize_label(clean_text(table.value(cells, role))).split() if len(w) > 3)
            words = (words | {w for w in PLACE_QUALIFIERS if len(w) > 3}) - _NOT_PLACE_WORDS
            for key, found in places.items():
                if len(found) < 2 or words & set(key.split()) \
                        or any(_ACRONYM.search(n) or person_name(n) for n in spellings[key]):
                    continue
                chosen = []
                for i, roles in enumerate(columns):
                    if len({where[i] for where in found}) > 1:
                        chosen.append(i)
                        if len({tuple(where[j] for j in chosen) for where in found}) == len(found):
                            break
                apart[key] = [columns[i] for i in chosen]
        return apart

    def extra_info(self, g, subject, table, cells):
        """Keep the cells of columns without a role as kp:additionalInfo "header: value"."""
        for index, header in table.extra_columns.items():
            if index < len(cells) and (value := clean_text(cells[index])):
                g.add((subject, KP.additionalInfo, literal(f"{header}: {value}")))
