"""Rows of each kind of table (districts, providers, cooperations, networks, measures) → triples and report rows."""

import re
from decimal import Decimal, InvalidOperation

from rdflib import RDF, XSD, URIRef
from rdflib.namespace import DCTERMS, ORG, SKOS

from knotenpunkt.ingest.builder import Terms, literal
from knotenpunkt.ingest.dates import DateProblem, parse_period
from knotenpunkt.ingest.messages import message
from knotenpunkt.ingest.orgs import OrgName
from knotenpunkt.ingest.personal import find_personal_text, person_name
from knotenpunkt.ingest.read import clean_text
from knotenpunkt.ingest.text import clean_cell, normalize_label, short_hash, slugify, split_values
from knotenpunkt.ontology.namespace import CPSV, CV, KP, TT

# each IRI made once (`Terms`)
RDF, XSD, DCTERMS, ORG, SKOS, CPSV, CV, KP = (Terms(ns) for ns in (RDF, XSD, DCTERMS, ORG, SKOS, CPSV, CV, KP))

__all__ = ["ORDER", "IMPORTERS", "OWN_FUNDS", "collect_org_names", "describe_orgs", "describe_territory"]

S = {name: URIRef(f"https://schema.org/{name}") for name in (
    "Project", "startDate", "endDate", "contactPoint", "ContactPoint", "name", "email", "telephone", "address",
    "PostalAddress", "streetAddress", "postalCode", "addressLocality", "url")}
# Funding words that name the provider's own means, not an organisation.
OWN_FUNDS = {"eigenmittel", "eigenanteil", "eigene mittel", "eigenfinanzierung", "spenden und eigenmittel", "eigen",
             "spenden", "spendenmittel", "mitgliedsbeitraege", "teilnahmebeitraege", "ehrenamtlich", "ohne finanzierung"}
_PERSONAL_ROLES = ("contact", "email", "phone")


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


_POSTCODE_IN_TEXT = re.compile(r"(?<!\d)(?<!\d[.,])(?:D-\s?)?(\d{5})(?!\d|[.,]\d)")  # not in 250.000 or 12345,67


def _postcode_and_place(text):
    """A postcode cell as (postcode, place): the EU's lists of operations name "the postcode of the operation
    or another appropriate location indicator", so the cell may hold a place beside the postcode or instead;
    a postcode of four digits lost its leading zero in a number cell (01067 Dresden → 1067).

    Examples
    --------
    >>> _postcode_and_place("28757"), _postcode_and_place("Vegesack, 28757"), _postcode_and_place("7743")
    (('28757', ''), ('28757', 'Vegesack'), ('07743', ''))
    >>> _postcode_and_place("Bremerhaven, stadtteilübergreifend"), _postcode_and_place("")
    (('', 'Bremerhaven, stadtteilübergreifend'), ('', ''))
    """
    if len(text) == 4 and text.isdigit() and text[0] != "0":
        return "0" + text, ""
    if (found := _POSTCODE_IN_TEXT.search(text)) is None:
        return "", text
    place = f"{text[:found.start()]} {text[found.end():]}".strip(" ,;/-–")
    return found.group(1), " ".join(place.split())


def _add_org(b, raw, g, name, role, messages, column):
    """Describe the organisation behind a spelling (`Builder.add_org`); return its IRI and its report entry.

    A natural person ("Abramsen, Ilse", "Dr. med. Dieter Breyer": `ingest.personal.person_name`) is described
    under a neutral label made from the name, "Privatperson 3f2a1c9b" (an IRI likewise), with an info message on
    the row; the name itself goes into the file's personal-data graph (`Builder.personal_graph_for`), which
    queries, exports and the endpoint see only with the setting ``include_personal_data``.
    """
    if not person_name(name):
        iri, _ = b.add_org(g, name, role)
        return iri, b.org_entry(name)
    key = short_hash(normalize_label(name), length=8)
    label = f"Privatperson {key}"
    iri = b.city.base[f"organisation/privatperson-{key}"]
    g.add((iri, RDF.type, ORG.Organization))
    g.add((iri, SKOS.prefLabel, literal(label)))
    b.personal_graph_for(raw).add((iri, SKOS.altLabel, literal(clean_cell(name))))
    messages.append(message("private_person", column, label=label))
    return iri, {"text": label, "iri": str(iri), "canonical": label}


_PEOPLE = re.compile(r"\s*(?:[/,;&\n]|\bund\b)\s*")  # between the persons of a list: "Julia Osten, Veit Kühne"


def _row_checks(b, table, sheet, number, cells, messages):
    """`Builder.common_row_checks`, with a repaired text left out of its message where it is personal data: in a
    contact person, e-mail or phone column, or personal by content (`ingest.personal`: a phone number, a
    person's name). The report and the command line then say that a value was repaired, not which."""
    start = len(messages)
    cells = b.common_row_checks(table, sheet, number, cells, messages)
    repairs = iter(sheet.repairs.get(number, ()))
    personal = {i for role in _PERSONAL_ROLES if role in table.columns
                for i in (table.columns[role], *table.more_columns.get(role, ()))}
    for k in range(start, len(messages)):
        if messages[k]["code"] != "mojibake_repaired":
            continue
        _, after = next(repairs)
        column = next((i for i, cell in enumerate(cells) if cell == after), None)
        if column in personal or find_personal_text(after) or any(map(person_name, _PEOPLE.split(after))):
            header = table.headers[column] if column is not None and column < len(table.headers) else None
            messages[k] = message("mojibake_repaired_personal", header)
    return cells


# --------------------------------------------------------------------------------------
# Tables of each kind


def _import_districts(b, raw, sheet, table):
    """Areas of a districts sheet: matched to the territory or added, with inhabitants and migration share."""
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
                g.add((subject, KP.inhabitants, literal(inhabitants)))
            elif role == "migration_share":
                share = value / 100 if value > 1 or "%" in text else value
                g.add((subject, KP.migrationShare, literal(share.quantize(Decimal("0.0001")), datatype=XSD.decimal)))
            elif inhabitants:
                g.add((subject, KP.migrationShare,
                       literal((value / inhabitants).quantize(Decimal("0.0001")), datatype=XSD.decimal)))
        b.source_record(g, raw, table, number, None, subject)
        b.add_row(raw, table, number, None, messages, {"district": {"text": name, "iri": iri}}, subject)


def collect_org_names(b, tables):
    """Every spelling of every organisation in all tables, providers-sheet rows marked official (a spelling
    that other cells repeat is given once)."""
    names, seen = [], set()

    def spellings(texts):
        for text in texts:
            if text and text not in seen and not person_name(text):  # a person is no organisation to merge
                seen.add(text)
                names.append(OrgName(text))

    for _, _, table in tables:
        for _, cells in table.rows:
            if table.kind == "providers":
                if (name := b.text(table, cells, "name")) and not person_name(name):
                    aliases = split_values(b.text(table, cells, "short_name"))
                    names.append(OrgName(name, official=True, aliases=tuple(aliases)))
                    spellings([b.text(table, cells, "parent")])
            elif table.kind == "measures":
                spellings(b.provider_names(table, cells)[0])
                for role in ("partners", "funders"):
                    spellings(n for n in b.org_names(b.text(table, cells, role), many=True)
                              if normalize_label(n) not in OWN_FUNDS)
            elif table.kind == "cooperations":
                spellings([b.text(table, cells, "partner_a"), b.text(table, cells, "partner_b")])
            elif table.kind == "networks":
                for role in ("members", "member"):
                    spellings(b.org_names(b.text(table, cells, role), many=True))
    return names


def _import_providers(b, raw, sheet, table):
    """Organisations of a providers sheet: names, short names, type, seat, address, contact."""
    g = b.graph_for(raw)
    for number, cells in table.rows:
        messages = []
        cells = _row_checks(b, table, sheet, number, cells, messages)
        name = b.text(table, cells, "name")
        if not name:
            messages.append(message("missing_name", table.headers[table.columns["name"]]))
            b.add_row(raw, table, number, None, messages)
            continue
        iri, entry = _add_org(b, raw, g, name, "listed", messages, table.header("name"))
        for alias in split_values(b.text(table, cells, "short_name")):
            g.add((iri, SKOS.altLabel, literal(alias)))
        for variant in b.orgs.variants.get(entry["canonical"], []):
            g.add((iri, SKOS.altLabel, literal(variant)))
        mapped = {"organisation": entry}
        if kind := b.text(table, cells, "type"):
            types = b.map_concepts("type", kind, table.headers[table.columns["type"]], messages)
            for t in types:
                if t["iri"]:
                    g.add((iri, ORG.classification, URIRef(t["iri"])))
                    b.classified.add(iri)
            mapped["type"] = types
        if district := b.text(table, cells, "district"):
            column, start = table.headers[table.columns["district"]], len(messages)
            areas = b.map_concepts("districts", district, column, messages, index=b.territory.index)
            unknown = iter([k for k in range(start, len(messages)) if messages[k]["code"] == "unknown_district"])
            for i, area in enumerate(areas):
                if area["how"] == "unmapped" and b.territory.source == "data":  # as for the places of measures
                    area, found = _area_from_data(b, area["text"], column)
                    areas[i] = area
                    if (k := next(unknown, None)) is not None:
                        messages[k] = found
                if area["iri"]:
                    g.add((iri, DCTERMS.spatial, URIRef(area["iri"])))
            mapped["districts"] = areas
        if parent := b.text(table, cells, "parent"):
            parent_iri, _ = b.add_org(g, parent, "parent")
            if parent_iri != iri:
                g.add((iri, ORG.subOrganizationOf, parent_iri))
        if description := b.text(table, cells, "description"):
            g.add((iri, DCTERMS.description, literal(description)))
        address = URIRef(f"{iri}/adresse")
        street = " ".join(filter(None, (b.text(table, cells, "street"), b.text(table, cells, "house_number"))))
        for value, prop in ((street, "streetAddress"), (b.text(table, cells, "postcode"), "postalCode"),
                            (b.text(table, cells, "city"), "addressLocality")):
            if value:
                g.add((iri, S["address"], address))
                g.add((address, RDF.type, S["PostalAddress"]))
                g.add((address, S[prop], literal(value)))
        if website := b.text(table, cells, "website"):
            g.add((iri, S["url"], literal(website)))
        _contact(b, raw, iri, table, cells)
        b.extra_info(g, iri, table, cells)
        b.source_record(g, raw, table, number, None, iri)
        b.add_row(raw, table, number, None, messages, mapped, iri)


def _area_from_data(b, text, column):
    """The area a territory without a list of areas takes from a place value no area matches: its report entry
    and the info message."""
    iri = b.territory.add_area(b.territory.local_name(text))
    b.mapped_values["districts"][text] = (iri, "new")
    return ({"text": text, "label": None, "how": "new", "explanation": "", "iri": iri},
            message("district_from_data", column, value=text))


def _contact(b, raw, subject, table, cells, *, person=""):
    """The contact person, e-mail and phone of a row as a schema:ContactPoint, in the file's
    personal-data graph (see `Builder.personal_graph_for`); `person` is one named in another cell."""
    values = {role: b.text(table, cells, role) for role in _PERSONAL_ROLES}
    if not any(values.values()) and not person:
        return
    g = b.personal_graph_for(raw)
    point = URIRef(f"{subject}/kontakt")
    g.add((subject, S["contactPoint"], point))
    g.add((point, RDF.type, S["ContactPoint"]))
    for role, prop in (("contact", "name"), ("email", "email"), ("phone", "telephone")):
        if values[role]:
            g.add((point, S[prop], literal(values[role])))
    if person and person != values["contact"]:
        g.add((point, S["name"], literal(person)))


def _import_cooperations(b, raw, sheet, table):
    """Rows of a cooperations sheet: one kp:Cooperation and kp:cooperatesWith both ways per pair."""
    g = b.graph_for(raw)
    for number, cells in table.rows:
        messages = []
        cells = _row_checks(b, table, sheet, number, cells, messages)
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
        ia, entry_a = _add_org(b, raw, g, a, "cooperation", messages, table.header("partner_a"))
        ic, entry_c = _add_org(b, raw, g, c, "cooperation", messages, table.header("partner_b"))
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
            g.add((coop, KP.cooperationKind, literal(kind)))
        if since:
            g.add((coop, S["startDate"], literal(since, datatype=XSD.date)))
        b.source_record(g, raw, table, number, None, coop)
        mapped = {"partners": [entry_a, entry_c]}
        b.add_row(raw, table, number, None, messages, mapped, coop)


def _import_networks(b, raw, sheet, table):
    """Rows of a networks sheet: an org:OrganizationalCollaboration with its members."""
    g = b.graph_for(raw)
    for number, cells in table.rows:
        messages = []
        cells = _row_checks(b, table, sheet, number, cells, messages)
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
        g.add((net, SKOS.prefLabel, literal(name)))
        mapped = []
        for member in members:
            iri, entry = _add_org(b, raw, g, member, "network", messages, None)
            g.add((net, ORG.hasMember, iri))
            mapped.append(entry)
        if kind := b.text(table, cells, "kind"):
            g.add((net, KP.additionalInfo, literal(f"{table.headers[table.columns['kind']]}: {kind}")))
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
        start = b.date_note(start, "start", column("period"), messages)
        end = b.date_note(end, "end", column("period"), messages)
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


_TRAILING_NUMBER = re.compile(r"(\d+)\D*$")


def _counts_rows(ids):
    """True when the ids of a table's rows count them ("lfd. Nr.": 1, 2, 3 or M-001, M-002, …: most ids are one
    more than the id of the row before). Such a number tells where a row stands, not which record it is.

    Examples
    --------
    >>> _counts_rows([f"M-{i:03}" for i in range(1, 12)] + ["M-002", "M-012"]), _counts_rows(["1", "2", "", "3"])
    (True, True)
    >>> _counts_rows(["54979", "55657", "52672", "54551"]), _counts_rows(["7"])
    (False, False)
    """
    numbers = [int(found.group(1)) for i in ids if (found := _TRAILING_NUMBER.search(i))]
    steps = [b - a == 1 for a, b in zip(numbers, numbers[1:])]
    return len(steps) >= 2 and sum(steps) >= 0.8 * len(steps)


def _import_measures(b, raw, sheet, table):
    """Rows of a measures table: checks, duplicates, identity, then the measure's triples.

    A row with the content of an earlier one is that measure entered twice, unless the two rows carry
    different identifiers of their records ("INEZ-Nummer" 54979 and 55657: two grants alike): a running
    number (`_counts_rows`) is not such an identifier, so a row repeated under the next number is a duplicate.
    """
    g = b.graph_for(raw)
    identifies = "id" in table.columns and not _counts_rows([b.text(table, cells, "id") for _, cells in table.rows])
    alike = {}  # content without the id -> first row and its id: rows alike under two identifiers are told so
    for number, cells in table.rows:
        messages = []
        cells = _row_checks(b, table, sheet, number, cells, messages)
        own_id = b.text(table, cells, "id") or None
        title, provider = b.text(table, cells, "title"), b.text(table, cells, "provider")
        if not title:
            messages.append(message("missing_title", table.header("title")))
        if not provider and "provider" in table.columns:  # with no provider column the sheet says so once
            messages.append(message("unknown_provider", table.header("provider")))
        start, end, _ = _measure_dates(b, table, cells, messages)
        if any(m["level"] == "error" for m in messages):
            b.add_row(raw, table, number, own_id, messages)
            continue
        content = tuple(clean_text(c) for i, c in enumerate(cells) if i != table.columns.get("id"))
        if identifies:
            first_row, first_id = alike.setdefault(content, (number, own_id))
            if first_id != own_id:
                messages.append(message("alike_other_id", table.header("id"), value=first_row, label=own_id))
            content = (own_id, *content)
        if content in b.seen_measures:
            first_row, iri = b.seen_measures[content]
            messages.append(message("duplicate_row", None, value=first_row))
            b.add_row(raw, table, number, own_id, messages, {}, iri)
            continue
        key = slugify(own_id) if own_id else short_hash(normalize_label(title), b.orgs.resolve(provider) if provider
                                                         else "", start.date if start else "")
        if key in b.used_ids:
            # The same id, or (without an id column) the same title, provider and start: another measure.
            if own_id:
                messages.append(message("duplicate_id", table.header("id"), value=own_id))
            key = f"{key}-{short_hash(*content, length=6)}"
        b.used_ids[key] = content
        m = b.city.base[f"massnahme/{key}"]
        b.seen_measures[content] = (number, m)
        mapped = _describe_measure(b, raw, g, m, table, cells, messages, title, start, end, own_id)
        b.source_record(g, raw, table, number, own_id, m)
        b.add_row(raw, table, number, own_id, messages, mapped, m)


_CONCEPT_PROPERTY = {"target_groups": DCTERMS.audience, "fields": CV.thematicArea}


def _describe_measure(b, raw, g, m, table, cells, messages, title, start, end, own_id):
    """The triples of one measure; returns how each free-text value was mapped."""
    header = lambda role: table.headers[table.columns[role]]  # noqa: E731
    g.add((m, RDF.type, KP.Measure))
    g.add((m, RDF.type, S["Project"] if end and end.date else CPSV.PublicService))
    g.add((m, DCTERMS.title, literal(title)))
    if own_id:
        g.add((m, DCTERMS.identifier, literal(own_id)))
    if description := b.text(table, cells, "description"):
        g.add((m, DCTERMS.description, literal(description)))
    if start and start.date:
        g.add((m, S["startDate"], literal(start.date, datatype=XSD.date)))
    if end and end.date:
        g.add((m, S["endDate"], literal(end.date, datatype=XSD.date)))
    mapped = {}
    providers = []
    names, person, address = b.provider_names(table, cells)
    if address:  # an address after the name: kept, not taken for another organisation
        messages.append(message("provider_address", header("provider"), value=address))
        g.add((m, KP.additionalInfo, literal(f"{header('provider')}: {address}")))
    if person:  # a contact person before it: personal data, like a contact column (below)
        messages.append(message("provider_person", header("provider")))
    if len(names) > 1:
        messages.append(message("provider_list", header("provider"), value=", ".join(names[1:])))
    for name in names[:1]:
        iri, entry = _add_org(b, raw, g, name, "provider", messages, header("provider"))
        g.add((m, KP.provider, iri))
        providers.append(entry)
    mapped["provider"] = providers[0] if providers else None
    postcode, place = _postcode_and_place(written := b.text(table, cells, "postcode"))
    if postcode == "0" + written:
        messages.append(message("postcode_zero_restored", header("postcode"), value=written, label=postcode))
    postcode = postcode or next(
        (v for v in split_values(b.text(table, cells, "districts")) if v.isdigit() and len(v) == 5), "")
    if place and "districts" in table.columns:
        g.add((m, KP.additionalInfo, literal(f"{header('postcode')}: {place}")))
    # where the measure takes place: public, like an organisation's address (not personal data)
    street = " ".join(filter(None, (b.text(table, cells, "street"), b.text(table, cells, "house_number"))))
    if postcode or street:
        address = URIRef(f"{m}/adresse")
        g.add((m, S["address"], address))
        g.add((address, RDF.type, S["PostalAddress"]))
        for value, prop in ((street, "streetAddress"), (postcode, "postalCode")):
            if value:
                g.add((address, S[prop], literal(value)))
    if website := b.text(table, cells, "website"):
        g.add((m, S["url"], literal(website)))
    for role, prop in (("partners", KP.partner), ("funders", KP.funder)):
        entries = []
        listed = b.org_names(b.text(table, cells, role), many=True)
        if role == "partners":
            listed = names[1:] + [n for n in listed if n not in names]
        for name in listed:
            if role == "funders" and normalize_label(name) in OWN_FUNDS:
                messages.append(message("own_funds", header(role), value=name))
                for p in providers:
                    g.add((m, prop, URIRef(p["iri"])))
                continue
            iri, entry = _add_org(b, raw, g, name, role.rstrip("s"), messages, header(role) if role in table.columns
                                  else header("provider"))
            if role == "funders":
                b.org_roles[entry["canonical"]].add("funder")
            g.add((m, prop, iri))
            entries.append(entry)
        mapped[role] = entries
    for role, prop in (("target_groups", DCTERMS.audience), ("fields", CV.thematicArea), ("districts", DCTERMS.spatial)):
        # a place in the postcode column is the measure's place when no column names its areas
        column = header(role) if role in table.columns else header("postcode") if role == "districts" and place else None
        text = b.text(table, cells, role) or (place if column else "")
        if not text:
            mapped[role] = []
            continue
        index = b.territory.index if role == "districts" else None
        start = len(messages)
        entries = b.map_concepts(role, text, column, messages, index=index)
        # each place the territory does not know has its own message, in the order of the entries
        unknown = iter([k for k in range(start, len(messages)) if messages[k]["code"] == "unknown_district"])
        if role == "districts" and any(e["iri"] != b.territory.city_concept and (e["iri"] or e["how"] == "unmapped" and
                                       b.territory.source == "data") for e in entries):
            # "Mitte; Berlin": the territory's own name beside its areas says nothing more
            entries = [e for e in entries if e["iri"] != b.territory.city_concept or not b.territory.is_itself(e["text"])]
        said, repeated = set(), []  # a place two columns of the row name ("Potsdam; Potsdam") is one place
        for i, entry in enumerate(entries):
            if role == "districts" and entry["text"] in said:
                repeated.append(i)
                if entry["how"] == "unmapped" and (k := next(unknown, None)) is not None:
                    messages[k] = None
                continue
            said.add(entry["text"])
            if entry["iri"]:
                g.add((m, prop, URIRef(entry["iri"])))
            elif entry["how"] == "other_scheme":  # "Kinder" among the topics: a target group of the measure
                g.add((m, _CONCEPT_PROPERTY[entry["role"]], URIRef(entry["concept"])))
            elif entry["how"] == "postcode":
                continue
            elif role == "districts" and b.territory.source == "data" and entry["how"] == "unmapped":
                entry, found = _area_from_data(b, entry["text"], column)
                entries[i] = entry
                if (k := next(unknown, None)) is not None:
                    messages[k] = found
                g.add((m, prop, URIRef(entry["iri"])))
            else:
                if entry["how"] == "unmapped":
                    next(unknown, None)
                g.add((m, KP.additionalInfo, literal(f"{column}: {entry['text']}")))
        if repeated:
            entries = [e for i, e in enumerate(entries) if i not in repeated]
            messages[start:] = [msg for msg in messages[start:] if msg is not None]
        mapped[role] = entries
    for role, prop in (("languages", KP.languages), ("schedule", KP.schedule)):
        if value := b.text(table, cells, role):
            g.add((m, prop, literal(value)))
    for role in ("amount", "cofinancing_rate"):
        if value := b.text(table, cells, role):
            g.add((m, KP.additionalInfo, literal(f"{header(role)}: {value}")))
    _contact(b, raw, m, table, cells, person=person)
    b.extra_info(g, m, table, cells)
    return mapped


# --------------------------------------------------------------------------------------
# Organisations, territory and the import as a whole


def describe_orgs(b):
    """Alternative names and funder classification for every organisation used."""
    for g in b.graphs.values():
        for iri, canonical in b.org_graphs[id(g)].items():
            for variant in b.orgs.variants.get(canonical, []):
                g.add((iri, SKOS.altLabel, literal(variant)))
            if b.org_roles[canonical] == {"funder"} and iri not in b.classified:
                g.add((iri, ORG.classification, TT["foerdermittelgeber"]))


def describe_territory(b, g):
    """The areas the import added (from a districts sheet or the data) as SKOS concepts."""
    t = b.territory
    if not t.new_concepts:
        return
    scheme = t.scheme_ref()
    if t.source != "bundled":
        g.add((scheme, RDF.type, SKOS.ConceptScheme))
        g.add((scheme, SKOS.prefLabel, literal(f"Gebiete {b.city.name}", lang="de")))
        g.add((scheme, SKOS.prefLabel, literal(f"Areas of {b.city.name}", lang="en")))
        g.add((scheme, KP.municipality, URIRef(t.city_concept)))
    for iri, facts in t.new_concepts.items():
        concept = URIRef(iri)
        g.add((concept, RDF.type, SKOS.Concept))
        g.add((concept, SKOS.inScheme, scheme))
        g.add((concept, SKOS.prefLabel, literal(facts["label"], lang="de")))
        g.add((concept, KP.areaType, literal(facts["area_type"])))
        for alt in facts["alt"]:
            g.add((concept, SKOS.altLabel, literal(alt, lang="de")))
        if facts["broader"]:
            g.add((concept, SKOS.broader, URIRef(facts["broader"])))
        else:
            g.add((concept, SKOS.topConceptOf, scheme))


ORDER = ("districts", "providers", "cooperations", "networks", "measures")
IMPORTERS = {"districts": _import_districts, "providers": _import_providers, "cooperations": _import_cooperations,
              "networks": _import_networks, "measures": _import_measures}
