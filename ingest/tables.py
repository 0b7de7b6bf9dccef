"""Find the table in a sheet: its kind, its header row, its columns and its data rows.

Sheets are recognised by content, never by name: each kind of table has roles
(title, provider, …) with header synonyms; the header row is the row within the first
rows of the sheet that names most roles, and the kind is the one whose required
roles are all there and which names most roles. Headers are compared after
`normalize_label` (case, umlauts, punctuation), whole or as a set of words.
"""

from dataclasses import dataclass, field

from graph.errors import IngestError
from ingest.read import cell_text
from ingest.text import clean_cell, normalize_label

__all__ = ["ROLES", "REQUIRED", "Table", "find_table", "describe_role"]

# kind -> role -> header synonyms (German as coordinators write them, some English).
ROLES = {
    "measures": {
        "id": ["Nr", "Nr.", "Nummer", "ID", "lfd. Nr.", "laufende Nummer", "Lfd Nr", "Kennung", "Maßnahmen-Nr", "Projektnummer"],
        "title": ["Angebot", "Maßnahme", "Projekt", "Titel", "Bezeichnung", "Maßnahme / Angebot", "Angebot / Maßnahme",
                  "Projekttitel", "Name des Angebots", "Name der Maßnahme", "Projektname", "Maßnahmentitel", "Title"],
        "description": ["Beschreibung", "Inhalt", "Kurzbeschreibung", "Inhalte", "Ziele", "Beschreibung des Angebots",
                        "Projektbeschreibung", "Description"],
        "provider": ["Träger", "Anbieter", "Projektträger", "Organisation", "Maßnahmenträger", "durchführende Organisation",
                     "Durchführung", "Veranstalter", "Provider", "Einrichtung"],
        "partners": ["Kooperationspartner", "Partner", "Kooperation mit", "Kooperationspartner innen", "Netzwerkpartner",
                     "beteiligte Organisationen", "Partners"],
        "target_groups": ["Zielgruppe", "Zielgruppen", "Zielgruppe(n)", "Adressaten", "Adressat innen", "Teilnehmende Zielgruppe",
                          "Für wen", "Target group"],
        "fields": ["Handlungsfeld", "Handlungsfelder", "Themenfeld", "Themenfelder", "Bereich", "Themenbereich", "Thema",
                   "Field of action"],
        "districts": ["Stadtteil", "Sozialraum", "Sozialraum / Stadtteil", "Ort", "Einzugsgebiet", "Stadtteile", "Sozialräume",
                      "Stadtbezirk", "Quartier", "Gebiet", "Standort", "Wo", "District"],
        "start": ["Beginn", "Start", "von", "Startdatum", "Projektbeginn", "Laufzeit von", "Laufzeit ab", "ab", "Start date"],
        "end": ["Ende", "bis", "Enddatum", "Projektende", "Laufzeit bis", "befristet bis", "End date"],
        "period": ["Laufzeit", "Zeitraum", "Projektlaufzeit", "Dauer"],
        "funders": ["Finanzierung", "Förderung", "Fördermittelgeber", "Kostenträger", "Finanzierung / Fördermittelgeber",
                    "Förderprogramm", "Geldgeber", "Fördergeber", "Finanziert durch", "Funding"],
        "contact": ["Ansprechperson", "Kontakt", "Ansprechpartner", "Ansprechpartnerin", "Ansprechpartner in", "Kontaktperson",
                    "Contact"],
        "email": ["E-Mail", "Email", "Mail", "E-Mail-Adresse"],
        "phone": ["Telefon", "Tel", "Tel.", "Telefonnummer", "Phone"],
        "languages": ["Sprache", "Sprachen", "Sprache(n)", "Angebotssprache", "Languages"],
        "schedule": ["Turnus", "Häufigkeit", "Termine", "Zeiten", "Wann", "Rhythmus"],
    },
    "providers": {
        "name": ["Träger", "Name", "Organisation", "Trägername", "Name des Trägers", "Einrichtung", "Anbieter", "Organization"],
        "short_name": ["Kurzname", "Abkürzung", "Kurzbezeichnung", "Kürzel", "auch genannt"],
        "type": ["Art des Trägers", "Trägerart", "Trägertyp", "Typ", "Art", "Organisationsform", "Kategorie", "Type"],
        "parent": ["Dachverband", "gehört zu", "übergeordnete Organisation", "Mutterorganisation"],
        "street": ["Straße", "Adresse", "Anschrift", "Straße und Hausnummer", "Str"],
        "postcode": ["PLZ", "Postleitzahl"],
        "city": ["Ort", "Stadt", "Gemeinde", "Ort/Stadt"],
        "district": ["Stadtteil", "Sozialraum", "Stadtbezirk", "Sitz"],
        "contact": ["Ansprechperson", "Kontakt", "Ansprechpartner", "Kontaktperson"],
        "phone": ["Telefon", "Tel", "Tel.", "Telefonnummer"],
        "email": ["E-Mail", "Email", "Mail"],
        "website": ["Website", "Webseite", "Homepage", "Internet", "URL"],
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
        "migration_count": ["Einwohner mit Migrationshintergrund", "Personen mit Migrationshintergrund", "Anzahl mit Migrationshintergrund"],
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

# Roles a table of a kind cannot do without (alternatives in a tuple: one of them).
REQUIRED = {
    "measures": ["title", "provider"],
    "providers": ["name"],
    "districts": ["name", ("inhabitants", "migration_share", "kind")],
    "cooperations": ["partner_a", "partner_b"],
    "networks": ["network", ("members", "member")],
}
# Roles that recognise a kind on their own (a table that has them is of that kind).
_SIGNATURE = {
    "measures": {"title", "target_groups", "fields", "start", "end", "period", "funders"},
    "providers": {"short_name", "type", "street", "postcode", "website", "parent"},
    "districts": {"inhabitants", "migration_share", "migration_count"},
    "cooperations": {"partner_a", "partner_b"},
    "networks": {"network", "members"},
}
_HEADER_SCAN_ROWS = 30

_KEYS = {kind: {role: [normalize_label(s) for s in syns] for role, syns in roles.items()} for kind, roles in ROLES.items()}


def describe_role(kind, role):
    """The synonyms looked for, for error messages: 'Träger, Anbieter, …'."""
    return ", ".join(ROLES[kind][role])


def _match_role(kind, header_key):
    """Return (role, quality) for a normalised header: 2 exact, 1 words contained, 0 none."""
    words = set(header_key.split())
    best = (None, 0)
    for role, keys in _KEYS[kind].items():
        for key in keys:
            if key == header_key:
                return role, 2
            if key and len(key) > 2 and set(key.split()) <= words and best[1] < 1:
                best = (role, 1)
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
    notes: list = field(default_factory=list)
    extra_columns: dict = field(default_factory=dict)  # column index -> header text (no role)

    def value(self, cells, role):
        """The raw value of `role` in a row, or None when the table has no such column."""
        index = self.columns.get(role)
        return cells[index] if index is not None and index < len(cells) else None


def _assign(kind, headers, overrides):
    """Map header cells to roles; exact matches win over contained words; one column a role.

    Returns
    -------
    tuple of (dict, list)
        role → column index, and the duplicates: (header, role, index of the other column).
    """
    columns, quality, duplicates = {}, {}, []
    for index, header in enumerate(headers):
        key = normalize_label(header)
        if not key:
            continue
        if key in overrides:
            role, q = overrides[key], 3
        else:
            role, q = _match_role(kind, key)
        if role is None:
            continue
        if role in columns and quality[role] == q:
            duplicates.append((header, role, columns[role]))
        if role not in columns or q > quality[role]:
            columns[role], quality[role] = index, q
    return columns, duplicates


def _missing(kind, columns):
    missing = []
    for need in REQUIRED[kind]:
        options = need if isinstance(need, tuple) else (need,)
        if not any(o in columns for o in options):
            missing.append(options)
    return missing


def _row_is_blank(cells):
    return all(clean_cell(cell_text(c)) == "" for c in cells)


def find_table(sheet, *, kind=None, overrides=None):
    """Recognise the table in a raw sheet.

    Parameters
    ----------
    sheet : ingest.read.RawSheet
    kind : str, optional
        Force a kind (a CSV of measures, or the user's mapping); otherwise guessed.
    overrides : dict, optional
        Normalised header → role, from the user's mapping file.

    Returns
    -------
    Table or None
        None when the sheet holds no recognisable table (the caller reports it).

    Raises
    ------
    IngestError
        A forced kind whose required columns are missing, or duplicate headers.
    """
    overrides = {normalize_label(k): v for k, v in (overrides or {}).items()}
    best = None
    for r, cells in enumerate(sheet.rows[:_HEADER_SCAN_ROWS]):
        headers = [clean_cell(cell_text(c)) for c in cells]
        if sum(1 for h in headers if h) < 2:
            continue
        for candidate in [kind] if kind else ROLES:
            columns, duplicates = _assign(candidate, headers, overrides)
            signature = len(_SIGNATURE[candidate] & set(columns))
            score = (not _missing(candidate, columns), signature, len(columns))
            if best is None or score > best[0]:
                best = (score, candidate, r, headers, columns, duplicates)
    if best is None:
        return None
    (complete, signature, count), found_kind, r, headers, columns, duplicates = best
    if duplicates and (complete or kind):
        header, role, other = duplicates[0]
        raise IngestError(
            f"Die Überschrift „{header}“ kommt doppelt vor (auch Spalte {other + 1}); beide könnten „{role}“ sein "
            f"(gesucht: {describe_role(found_kind, role)}). Bitte eine Spalte umbenennen oder die Zuordnung in der "
            "Mapping-Datei festlegen (--mapping).", sheet=sheet.name, row=r + 1, column=header, code="duplicate_header")
    if not complete:
        if kind is None and (signature == 0 or count < 2):
            return None
        missing = _missing(found_kind, columns)[0]
        raise IngestError(
            f"Keine Spalte für „{missing[0]}“ gefunden (gesucht: "
            f"{'; '.join(describe_role(found_kind, m) for m in missing)}). Gefundene Überschriften: "
            f"{', '.join(h for h in headers if h)}. Bitte die Spalte benennen oder in der Mapping-Datei zuordnen (--mapping).",
            sheet=sheet.name, row=r + 1, column=missing[0], code="missing_header")
    table = Table(sheet.name, found_kind, r + 1, columns, headers)
    table.title_lines = [clean_cell(" ".join(cell_text(c) for c in row if c is not None))
                         for row in sheet.rows[:r] if not _row_is_blank(row)]
    roles_at = set(columns.values())
    _collect_rows(sheet, table, r)
    width = max((len(cells) for _, cells in table.rows), default=0)
    unnamed = {i for _, cells in table.rows for i, c in enumerate(cells)
               if i >= len(headers) or not headers[i] and clean_cell(cell_text(c))}
    table.extra_columns = {i: (headers[i] if i < len(headers) and headers[i] else f"Spalte {i + 1}")
                           for i in range(max(width, len(headers)))
                           if i not in roles_at and ((i < len(headers) and headers[i]) or i in unnamed)}
    return table


def _collect_rows(sheet, table, header_index):
    """Data rows follow the header; a trailing block of one-cell rows after a blank row are notes."""
    body = [(i + 1, cells) for i, cells in enumerate(sheet.rows) if i > header_index]
    last_data = None
    for position, (_, cells) in enumerate(body):
        filled = sum(1 for c in cells if clean_cell(cell_text(c)))
        if filled >= 2:
            last_data = position
    blank_seen = False
    for position, (number, cells) in enumerate(body):
        if _row_is_blank(cells):
            blank_seen = True
            continue
        filled = [clean_cell(cell_text(c)) for c in cells if clean_cell(cell_text(c))]
        if (last_data is None or position > last_data) and len(filled) == 1 and (blank_seen or last_data is not None):
            table.notes.append(filled[0])
            continue
        table.rows.append((number, cells))
