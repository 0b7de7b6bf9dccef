"""Find the table in a sheet: its kind, its header row, its columns and its data rows.

Sheets are recognised by content, never by name or by one keyword:

- **Header row.** Every row among the first rows of the sheet is scored by how much it
  looks like a header: short, distinct texts (no numbers, dates or paragraphs), followed
  by data rows of a consistent shape, and by how many column roles its texts name. A
  header cell of several lines ("Name des Begünstigten\\n\\nBeneficiary name") is one
  header, matched by each of its lines.
- **Headers to roles.** A header matches a role's synonym exactly (after
  `normalize_label`: case, umlauts, punctuation), by one of its lines, by a close spelling
  ("Projekträger") or by containing the synonym's words. One column per role; a
  multi-valued role (target groups, fields, districts, partners, funders) takes every
  column that names it.
- **Kind.** Each kind of table (measures, providers, districts, cooperations, networks)
  weighs the roles found by how typical they are of it, and needs its required roles.
  The report says why a sheet was classified as it was; the user's mapping overrides.
"""

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from knotenpunkt.graph.errors import IngestError
from knotenpunkt.graph.texts import Phrase, section
from knotenpunkt.graph.texts import text as catalogue_text
from knotenpunkt.ingest.read import cell_text, clean_text
from knotenpunkt.ingest.text import clean_cell, normalize_label

__all__ = ["ROLES", "ROLE_LABELS", "KIND_LABELS", "REQUIRED", "MULTI_COLUMN_ROLES", "Table", "find_table",
           "describe_role", "header_template"]

# kind -> role -> header synonyms (German as coordinators and programmes write them, some English).
# Within a role, earlier synonyms are more specific and win a tie between two columns.
ROLES = {
    "measures": {
        "id": ["Nr", "Nr.", "Nummer", "ID", "lfd. Nr.", "laufende Nummer", "Lfd Nr", "Kennung", "Maßnahmen-Nr",
               "Projektnummer", "Angebots-ID", "AngebotsId", "Angebotsnummer", "Projekt-ID", "Vorhabennummer",
               "Aktenzeichen"],
        "title": ["Angebot", "Maßnahme", "Projekt", "Titel", "Bezeichnung", "Maßnahme / Angebot", "Angebot / Maßnahme",
                  "Projekttitel", "Name des Angebots", "Name der Maßnahme", "Projektname", "Maßnahmentitel",
                  "Angebotsname", "Angebotstitel", "Bezeichnung des Vorhabens", "Name des Vorhabens", "Vorhaben",
                  "Titel des Vorhabens", "Bezeichnung der Maßnahme", "Name des Projekts", "Kursname", "Veranstaltung",
                  "Title", "Operation name", "Name of operation", "Project name", "Project title"],
        "description": ["Beschreibung", "Inhalt", "Kurzbeschreibung", "Inhalte", "Ziele", "Beschreibung des Angebots",
                        "Projektbeschreibung", "Zusammenfassung des Vorhabens", "Zusammenfassung", "Kurzzusammenfassung",
                        "Angebotsbeschreibung", "desc", "Description", "Operation summary", "Summary"],
        "provider": ["Träger", "Anbieter", "Projektträger", "Organisation", "Maßnahmenträger", "durchführende Organisation",
                     "Durchführung", "Veranstalter", "Einrichtung", "Einrichtungsname", "Name der Einrichtung",
                     "Name des Begünstigten", "Begünstigter", "Begünstigte", "Zuwendungsempfänger", "Trägerorganisation",
                     "Organisationen", "Provider", "Beneficiary name", "Name of beneficiary", "Beneficiary",
                     "Organisation name"],
        "partners": ["Kooperationspartner", "Partner", "Kooperation mit", "Kooperationspartner innen", "Netzwerkpartner",
                     "beteiligte Organisationen", "Projektpartner", "Partners"],
        "target_groups": ["Zielgruppe", "Zielgruppen", "Zielgruppe(n)", "Adressaten", "Adressat innen",
                          "Teilnehmende Zielgruppe", "Für wen", "Target group", "Target groups"],
        "fields": ["Handlungsfeld", "Handlungsfelder", "Themenfeld", "Themenfelder", "Bereich", "Themenbereich", "Thema",
                   "Einsatzbereich", "Einsatzbereiche", "Tätigkeitsfeld", "Interventionskategorie",
                   "Interventionsbereich", "Kategorie der Intervention", "Spezifisches Ziel", "Investitionspriorität",
                   "Field of action", "Category of intervention", "Intervention category", "Specific objective"],
        "districts": ["Stadtteil", "Sozialraum", "Sozialraum / Stadtteil", "Ortsteil", "Stadtteile", "Sozialräume",
                      "Stadtbezirk", "Quartier", "Einzugsgebiet", "Gebiet", "Standort", "Ort", "Gemeinde",
                      "Ort des Vorhabens", "Standort des Vorhabens", "Durchführungsort", "Wo", "District",
                      "Location", "Location of operation"],
        "postcode": ["PLZ", "Postleitzahl", "PLZ Begünstigter", "Postleitzahl des Vorhabens", "Postleitzahl Standort",
                     "Standortindikator", "Postleitzahl / Standortindikator", "Postcode", "Zip code", "Postal code"],
        "start": ["Beginn", "Start", "von", "Startdatum", "Projektbeginn", "Laufzeit von", "Laufzeit ab", "ab",
                  "Datum des Beginns", "Beginn des Vorhabens", "Vorhabenbeginn", "Start date", "Operation start date"],
        "end": ["Ende", "bis", "Enddatum", "Projektende", "Laufzeit bis", "befristet bis", "Datum des Endes",
                "Ende des Vorhabens", "Datum der Beendigung", "Vorhabenende", "End date", "Operation end date"],
        "period": ["Laufzeit", "Zeitraum", "Projektlaufzeit", "Dauer"],
        "funders": ["Finanzierung", "Förderung", "Fördermittelgeber", "Kostenträger", "Finanzierung / Fördermittelgeber",
                    "Förderprogramm", "Geldgeber", "Fördergeber", "Finanziert durch", "Fonds", "Funding"],
        "amount": ["Gesamtbetrag der förderfähigen Ausgaben", "Gesamtbetrag förderfähiger Ausgaben", "förderfähige Ausgaben",
                   "Gesamtkosten", "Fördersumme", "Zuwendung", "Gesamtbetrag", "Total eligible expenditure"],
        "cofinancing_rate": ["Unions-Kofinanzierungssatz", "Kofinanzierungssatz", "Kofinanzierungssatz der Union",
                             "Union co-financing rate", "Co-financing rate"],
        "website": ["Website", "Webseite", "Webseite-Link", "Homepage", "Internetseite", "Link", "URL"],
        "contact": ["Ansprechperson", "Kontakt", "Ansprechpartner", "Ansprechpartnerin", "Ansprechpartner in",
                    "Kontaktperson", "Contact"],
        "email": ["E-Mail", "Email", "Mail", "E-Mail-Adresse"],
        "phone": ["Telefon", "Tel", "Tel.", "Telefonnummer", "Phone"],
        "languages": ["Sprache", "Sprachen", "Sprache(n)", "Angebotssprache", "Languages"],
        "schedule": ["Turnus", "Häufigkeit", "Termine", "Zeiten", "Wann", "Rhythmus"],
    },
    "providers": {
        "name": ["Träger", "Name", "Organisation", "Trägername", "Name des Trägers", "Einrichtung", "Einrichtungsname",
                 "Anbieter", "Initiative", "Name der Initiative", "Helferkreis", "Verein", "Name der Organisation",
                 "Organization", "Organisation name"],
        "short_name": ["Kurzname", "Abkürzung", "Kurzbezeichnung", "Kürzel", "auch genannt"],
        "type": ["Art des Trägers", "Trägerart", "Trägertyp", "Typ", "Art", "Organisationsform", "Kategorie", "Type"],
        "parent": ["Dachverband", "gehört zu", "übergeordnete Organisation", "Mutterorganisation"],
        "description": ["Beschreibung", "Kurzbeschreibung", "Inhalt", "desc", "Description"],
        "street": ["Straße", "Adresse", "Anschrift", "Straße und Hausnummer", "Str", "Street"],
        "house_number": ["Hausnummer", "Nr.", "Number", "House number"],
        "postcode": ["PLZ", "Postleitzahl", "City code", "Zip code", "Postcode", "Postal code"],
        "city": ["Ort", "Stadt", "Gemeinde", "Ort/Stadt", "City", "Town"],
        "district": ["Stadtteil", "Sozialraum", "Stadtbezirk", "Ortsteil", "Sitz"],
        "contact": ["Ansprechperson", "Kontakt", "Ansprechpartner", "Kontaktperson", "Other contact", "Contact"],
        "phone": ["Telefon", "Tel", "Tel.", "Telefonnummer", "Phone"],
        "email": ["E-Mail", "Email", "Mail", "E-Mail-Adresse"],
        "website": ["Website", "Webseite", "Homepage", "Internet", "Internetseite", "URL"],
    },
    "districts": {
        "name": ["Stadtteil", "Sozialraum", "Stadtbezirk", "Stadtteil / Stadtbezirk", "Gebiet", "Quartier", "Ortsteil",
                 "Bezirk", "Name", "District"],
        "kind": ["Art", "Gebietsart", "Typ", "Ebene"],
        "parent": ["gehört zu", "übergeordnet", "Teil von", "Stadtbezirk von"],
        "inhabitants": ["Einwohner", "Einwohnerzahl", "Einwohner innen", "Bevölkerung", "EW", "Einwohnende", "Inhabitants"],
        "migration_share": ["Anteil mit Migrationshintergrund", "davon mit Migrationshintergrund", "Migrationsanteil",
                            "Anteil Migrationshintergrund", "mit Migrationshintergrund", "Anteil mit Migrationsgeschichte",
                            "Migrationshintergrund", "MH-Anteil", "Anteil MH", "davon mit Migrationshintergrund (%)"],
        "migration_count": ["Einwohner mit Migrationshintergrund", "Personen mit Migrationshintergrund",
                            "Anzahl mit Migrationshintergrund"],
    },
    "cooperations": {
        "partner_a": ["Partner A", "Partner 1", "Organisation A", "Organisation 1", "Träger A", "Kooperationspartner A", "Von"],
        "partner_b": ["Partner B", "Partner 2", "Organisation B", "Organisation 2", "Träger B", "Kooperationspartner B", "Mit"],
        "kind": ["Art der Kooperation", "Art", "Kooperationsart", "Form", "Typ", "Beschreibung"],
        "since": ["seit", "Beginn", "ab", "Start"],
    },
    "networks": {
        "network": ["Netzwerk", "Arbeitskreis", "Netzwerk / Arbeitskreis", "Gremium", "AK", "Runder Tisch", "Netzwerkname"],
        "members": ["Mitglieder", "Mitgliedsorganisationen", "Beteiligte", "Teilnehmende Organisationen"],
        "member": ["Mitglied", "Organisation", "Mitgliedsorganisation", "Träger"],
        "kind": ["Art", "Typ", "Form"],
    },
}

# German and English names of the roles, in plain words: for the report, the app and error messages (label.role.*).
ROLE_LABELS = {role: (entry["de"], entry["en"]) for role, entry in section("label.role").items()}  # graph/texts.toml
KIND_LABELS = {kind: (entry["de"], entry["en"]) for kind, entry in section("label.kind").items()}

# Roles a table of a kind cannot do without (alternatives in a tuple: one of them).
REQUIRED = {
    "measures": ["title"],
    "providers": ["name"],
    "districts": ["name", ("inhabitants", "migration_share", "kind")],
    "cooperations": ["partner_a", "partner_b"],
    "networks": ["network", ("members", "member")],
}
# How typical a role is of a kind (default 1): the kind is the one whose found roles weigh most.
_WEIGHT = {
    "measures": {"title": 3, "provider": 2, "target_groups": 3, "fields": 2, "start": 2, "end": 2, "period": 2,
                 "funders": 2, "partners": 2, "amount": 2, "cofinancing_rate": 2, "districts": 1.5, "id": 0.5,
                 "website": 0.5, "email": 0.5, "phone": 0.5, "contact": 0.5, "postcode": 0.5},
    "providers": {"name": 2, "short_name": 2, "type": 2, "street": 2, "house_number": 1.5, "postcode": 1.5,
                  "city": 1.5, "website": 1.5, "email": 1, "phone": 1, "parent": 2},
    "districts": {"inhabitants": 3, "migration_share": 3, "migration_count": 3},
    "cooperations": {"partner_a": 3, "partner_b": 3},
    "networks": {"network": 3, "members": 3},
}
MULTI_COLUMN_ROLES = {"target_groups", "fields", "districts", "partners", "funders", "members"}
_HEADER_SCAN_ROWS = 30
_SHAPE_ROWS = 20  # data rows looked at to judge a header candidate
_LONG_CELL = 80  # characters: a longer cell is data, not a header
_NOTE_START = re.compile(r"^(?:\*|¹|²|³|\d\)|\(\d\)|stand\b|datenstand|quelle|hinweis|anmerkung|legende|erläuterung|"
                         r"erlaeuterung|fußnote|fussnote|summe|gesamt\b|insgesamt|note|source|as of)", re.IGNORECASE)
_NUMBERISH = re.compile(r"^[\d\s.,:/%€+\-–]+$")

_KEYS = {kind: {role: [normalize_label(s) for s in syns] for role, syns in roles.items()} for kind, roles in ROLES.items()}


def describe_role(kind, role):
    """The synonyms looked for, for error messages: 'Träger, Anbieter, …'."""
    return ", ".join(ROLES[kind][role])


def _header_keys(header):
    """Normalised keys of a header cell: the whole text and, for a cell of several lines, each line."""
    lines = [normalize_label(line) for line in header.split("\n")]
    whole = normalize_label(header.replace("\n", " "))
    return [whole] + [line for line in lines if line and line != whole]


def _match_role(kind, header):
    """Return (role, quality, rank) for a header: quality 3 exact, 2.5 exact line, 2 close spelling,
    1 synonym's words contained; rank is the synonym's position (lower is more specific)."""
    keys = _header_keys(header)
    best = (None, 0, 99)
    for role, synonyms in _KEYS[kind].items():
        for rank, syn in enumerate(synonyms):
            if not syn:
                continue
            for i, key in enumerate(keys):
                if key == syn:
                    quality = 3 if i == 0 else 2.5
                elif len(key) >= 8 and len(syn) >= 8 and fuzz.ratio(key, syn) >= 92:
                    quality = 2
                elif len(syn) > 2 and len(key.split()) <= 6 and set(syn.split()) <= set(key.split()):
                    quality = 1
                else:
                    continue
                if (quality, -rank) > (best[1], -best[2]):
                    best = (role, quality, rank)
    return best


@dataclass
class Table:
    """A recognised table: kind, header row (1-based as shown), role → column index, data rows."""

    sheet: str
    kind: str
    header_row: int
    columns: dict  # role -> 0-based column index
    headers: list  # header texts by column index
    rows: list = field(default_factory=list)  # (row_number_as_shown, [cells])
    title_lines: list = field(default_factory=list)
    notes: list = field(default_factory=list)  # for the report (graph.texts.Phrase): note rows below the table, …
    note_rows: list = field(default_factory=list)  # the same as {"row", "text"}
    extra_columns: dict = field(default_factory=dict)  # column index -> header text (no role)
    more_columns: dict = field(default_factory=dict)  # role -> further column indexes of a multi-valued role
    reason: str = ""  # why the sheet was taken for this kind, for the report
    reason_en: str = ""

    def value(self, cells, role):
        """The raw value of `role` in a row (several columns of one role joined by "; "), or None."""
        index = self.columns.get(role)
        if index is None:
            return None
        if role not in self.more_columns:
            return cells[index] if index < len(cells) else None
        values = [cells[i] for i in [index, *self.more_columns[role]] if i < len(cells)]
        if len(values) <= 1:
            return values[0] if values else None
        texts = [cell_text(v) for v in values if clean_text(v)]
        return "; ".join(texts) or None

    def header(self, role):
        """The header text of a role's (first) column."""
        return self.headers[self.columns[role]]


def _assign(kind, headers, overrides, fill):
    """Map header cells to roles.

    A role takes the column that names it best (quality, then the more specific synonym,
    then the column with more values); a multi-valued role also keeps the other columns
    that name it exactly; any other duplicate stays a column without a role.

    Returns
    -------
    tuple of (dict, dict, float, list)
        role → column index, role → further columns, the summed match quality, and the
        headers set aside as duplicates.
    """
    found = {}
    for index, header in enumerate(headers):
        if not header:
            continue
        key = normalize_label(header.replace("\n", " "))
        if key in overrides:
            role = overrides[key]
            if role and role in ROLES[kind]:
                found.setdefault(role, []).append((4, 0, fill[index], index))
            continue
        role, quality, rank = _match_role(kind, header)
        if role is not None:
            found.setdefault(role, []).append((quality, -rank, fill[index], index))
    columns, more, total, duplicates = {}, {}, 0.0, []
    for role, candidates in found.items():
        candidates.sort(reverse=True)
        quality, _, _, index = candidates[0]
        columns[role] = index
        total += quality * _WEIGHT.get(kind, {}).get(role, 1)
        for q, _, _, other in candidates[1:]:
            if role in MULTI_COLUMN_ROLES and q >= 2:
                more.setdefault(role, []).append(other)
            else:
                duplicates.append((headers[other], role))
    return columns, more, total, duplicates


def _missing(kind, columns):
    missing = []
    for need in REQUIRED[kind]:
        options = need if isinstance(need, tuple) else (need,)
        if not any(o in columns for o in options):
            missing.append(options)
    return missing


def _row_is_blank(cells):
    return all(clean_text(c) == "" for c in cells)


def _filled(cells):
    return [i for i, c in enumerate(cells) if clean_text(c)]


def _header_likeness(rows, r):
    """How much row `r` looks like a header, 0..1: short distinct label texts over data rows of
    a consistent shape."""
    cells = [clean_text(c) for c in rows[r]]
    texts = [t for t in cells if t]
    if len(texts) < 2:
        return 0.0
    labels = sum(1 for t in texts if len(t) <= _LONG_CELL and not _NUMBERISH.match(t) and t.count("\n") <= 3)
    raw_types = sum(1 for c in rows[r] if c is not None and not isinstance(c, str))
    label_share = max(0.0, (labels - raw_types) / len(texts))
    distinct = len({normalize_label(t) for t in texts}) / len(texts)
    body = [row for row in rows[r + 1:r + 1 + _SHAPE_ROWS * 2] if not _row_is_blank(row)][:_SHAPE_ROWS]
    if not body:
        return label_share * distinct * 0.5
    width = len(texts)
    shaped = sum(1 for row in body if len(_filled(row)) >= max(1, min(width, 2)) and
                 max(_filled(row)) < max(len(cells), 1) + 2) / len(body)
    return label_share * distinct * (0.5 + 0.5 * shaped)


def _fill_counts(rows, r, width):
    """Non-empty cells per column in the rows below `r` (to prefer the column that has values)."""
    counts = [0] * width
    for row in rows[r + 1:r + 1 + 200]:
        for i in _filled(row):
            if i < width:
                counts[i] += 1
    return counts


def _reason(kind, columns, headers, forced, lang=0):
    """Why a sheet was read as `kind`, in German (``lang=0``) or English (``lang=1``)."""
    label = KIND_LABELS[kind][lang]
    telling = [role for role, i in sorted(columns.items(), key=lambda item: item[1])
               if _WEIGHT.get(kind, {}).get(role, 1) >= 1.5] or list(columns)
    found = ", ".join(catalogue_text("row.table_column", ("de", "en")[lang], role=ROLE_LABELS[role][lang],
                                     header=headers[columns[role]].splitlines()[0]) for role in telling)
    label = label.capitalize() if lang else label
    if forced:
        return catalogue_text("row.table_forced", ("de", "en")[lang], kind=label)
    return catalogue_text("row.table_found", ("de", "en")[lang], kind=label, found=found)


def header_template(sheet, *, kind=None, overrides=None):
    """The detected header row of a sheet with each header's role (or None), for a mapping template.

    Used when a sheet cannot be imported, so that the user has a file to edit.

    Returns
    -------
    tuple of (str or None, dict)
        The best kind and header → role.
    """
    best = _best_candidate(sheet, kind, {normalize_label(k): v for k, v in (overrides or {}).items()})
    if best is None:
        return kind, {}
    _, found_kind, _, headers, columns, _, _ = best
    roles = {i: role for role, i in columns.items()}
    return found_kind, {h.replace("\n", " "): roles.get(i) for i, h in enumerate(headers) if h}


def _best_candidate(sheet, kind, overrides):
    rows = sheet.rows[:_HEADER_SCAN_ROWS + _SHAPE_ROWS * 2]
    best = None
    for r, cells in enumerate(rows[:_HEADER_SCAN_ROWS]):
        likeness = _header_likeness(rows, r)
        if likeness == 0:
            continue
        headers = [clean_text(c) for c in cells]
        fill = _fill_counts(sheet.rows, r, len(headers))
        for candidate in [kind] if kind else ROLES:
            columns, more, quality, duplicates = _assign(candidate, headers, overrides, fill)
            complete = not _missing(candidate, columns)
            score = quality * (0.25 + likeness) + (4 if complete else 0)
            if best is None or score > best[0] + 1e-9:
                best = (score, candidate, r, headers, columns, more, duplicates)
    return best


def find_table(sheet, *, kind=None, overrides=None):
    """Recognise the table in a raw sheet.

    Parameters
    ----------
    sheet : ingest.read.RawSheet
    kind : str, optional
        Force a kind (the user's mapping); otherwise recognised from the headers.
    overrides : dict, optional
        Header → role (or None for "no role"), from the user's mapping file.

    Returns
    -------
    Table or None
        None when the sheet holds no recognisable table (the caller reports it).

    Raises
    ------
    IngestError
        A table whose kind is clear (or forced) but which lacks a required column.

    Examples
    --------
    >>> from knotenpunkt.ingest.read import RawSheet
    >>> sheet = RawSheet("Tabelle1", [["Übersicht Stand 2026"], [], ["Name des Begünstigten\\n\\nBeneficiary name",
    ...     "Bezeichnung des Vorhabens", "Datum des Beginns"], ["Verein A", "Sprachkurs", "01.02.2024"]])
    >>> table = find_table(sheet)
    >>> table.kind, table.header_row, sorted(table.columns)
    ('measures', 3, ['provider', 'start', 'title'])
    """
    overrides = {normalize_label(k): v for k, v in (overrides or {}).items()}
    best = _best_candidate(sheet, kind, overrides)
    if best is None:
        return None
    score, found_kind, r, headers, columns, more, duplicates = best
    missing = _missing(found_kind, columns)
    if missing:
        typical = sum(_WEIGHT.get(found_kind, {}).get(role, 1) for role in columns)
        if kind is None and (typical < 4 or len(columns) < 2):
            return None
        options = missing[0]
        error = IngestError(
            "missing_header", kind=Phrase("label.kind." + found_kind), role=Phrase("label.role." + options[0]),
            wanted="; ".join(describe_role(found_kind, m) for m in options),
            headers=_short(", ".join(h.replace(chr(10), " ") for h in headers if h)),
            sheet=sheet.name, row=r + 1, code="missing_header")
        error.role = options[0]  # the role no column names, for the app's column editor
        raise error
    table = Table(sheet.name, found_kind, r + 1, columns, headers, more_columns=more,
                  reason=_reason(found_kind, columns, headers, kind is not None),
                  reason_en=_reason(found_kind, columns, headers, kind is not None, lang=1))
    table.title_lines = [clean_cell(" ".join(cell_text(c) for c in row if c is not None))
                         for row in sheet.rows[:r] if not _row_is_blank(row)]
    for header, role in duplicates:
        table.notes.append(Phrase("row.note.duplicate_column", header=header, role=Phrase("label.role." + role),
                                  used=table.header(role)))
    _collect_rows(sheet, table, r)
    roles_at = set(columns.values()) | {i for indexes in more.values() for i in indexes}
    width = max((len(cells) for _, cells in table.rows), default=0)
    unnamed = {i for _, cells in table.rows for i, c in enumerate(cells)
               if (i >= len(headers) or not headers[i]) and clean_text(c)}
    table.extra_columns = {i: (headers[i].replace("\n", " ") if i < len(headers) and headers[i] else f"Spalte {i + 1}")
                           for i in range(max(width, len(headers)))
                           if i not in roles_at and ((i < len(headers) and headers[i]) or i in unnamed)}
    return table


def _short(text, limit=300):
    """Cut a text for an error message to one line of at most `limit` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _is_note(filled_texts, filled_at, table, after_blank):
    """A row below the last full data row is a note when it reads like one (Stand, Quelle, *, 1) …),
    follows a blank row, or has its one text outside the column that names a record."""
    text = filled_texts[0]
    if _NOTE_START.match(text):
        return True
    key_role = "title" if table.kind == "measures" else next(iter(REQUIRED[table.kind]))
    key_column = table.columns.get(key_role if isinstance(key_role, str) else key_role[0])
    return after_blank or filled_at[0] != key_column


def _collect_rows(sheet, table, header_index):
    """Data rows follow the header; rows of one text below the last full data row that read like a
    note (a legend, a source, "Stand …") are notes with their row numbers, not data."""
    body = [(i + 1, cells, _filled(cells)) for i, cells in enumerate(sheet.rows) if i > header_index]
    last_data = None
    for position, (_, _, filled_at) in enumerate(body):
        if len(filled_at) >= 2:
            last_data = position
    blank_seen = False
    for position, (number, cells, filled_at) in enumerate(body):
        if not filled_at:
            blank_seen = True
            continue
        if (last_data is None or position > last_data) and len(filled_at) == 1 and \
                _is_note(texts := [clean_text(cells[filled_at[0]])], filled_at, table, blank_seen):
            table.notes.append(Phrase("row.note.row", row=number, text=_short(texts[0], 200)))
            table.note_rows.append({"row": number, "text": texts[0]})
            continue
        table.rows.append((number, cells))
