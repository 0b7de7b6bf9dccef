"""The header vocabulary: which header words name which role of each kind of table, and the columns a table's
headers give each role (`assign`). `ingest.tables` finds the header row and the kind with it.

A header matches a role's synonym exactly (after `normalize_label`: case, umlauts, punctuation; and whether words
are split or joined by underscores, hyphens, camelCase or a line break: "programm_name", "Projekt-standort"), by one
of its lines, by a close spelling ("Projekträger") or by containing the synonym's words (the longer synonym wins;
words in parentheses only qualify). One column per role; a multi-valued role (target groups, fields, districts,
partners, funders) takes every column that names it; a fallback synonym ("Landkreis", "Kategorie") only where no
other column names its role.
"""

import re
from functools import lru_cache

from rapidfuzz import fuzz

from knotenpunkt.graph.texts import section
from knotenpunkt.ingest.text import normalize_label

__all__ = ["ROLES", "ROLE_LABELS", "KIND_LABELS", "REQUIRED", "WEIGHT", "MULTI_COLUMN_ROLES", "assign", "describe_role",
           "match_role", "names_beneficiary"]

# kind -> role -> header synonyms (German as coordinators and programmes write them, some English).
# Within a role, earlier synonyms are more specific and win a tie between two columns.
ROLES = {
    "measures": {
        "id": ["Nr", "Nr.", "Nummer", "ID", "lfd. Nr.", "laufende Nummer", "Lfd Nr", "Kennung", "Maßnahmen-Nr",
               "Projektnummer", "Angebots-ID", "AngebotsId", "Angebotsnummer", "Projekt-ID", "Vorhabennummer",
               "Aktenzeichen", "Antragsnummer", "Förderkennzeichen", "Programm-ID", "Programmnummer",
               "Application number", "Operation number"],
        "title": ["Angebot", "Maßnahme", "Projekt", "Titel", "Bezeichnung", "Maßnahme / Angebot", "Angebot / Maßnahme",
                  "Projekttitel", "Name des Angebots", "Name der Maßnahme", "Projektname", "Maßnahmentitel",
                  "Angebotsname", "Angebotstitel", "Bezeichnung des Vorhabens", "Name des Vorhabens", "Vorhaben",
                  "Titel des Vorhabens", "Bezeichnung der Maßnahme", "Name des Projekts", "Kursname", "Veranstaltung",
                  "Programmname", "Name des Programms", "Programmtitel", "Programm", "Zuwendung für",
                  "Zuwendungszweck", "Zweck der Zuwendung", "Förderzweck", "Verwendungszweck",
                  "Title", "Operation name", "Name of operation", "Project name", "Project title"],
        "description": ["Beschreibung", "Inhalt", "Kurzbeschreibung", "Inhalte", "Ziele", "Beschreibung des Angebots",
                        "Projektbeschreibung", "Zusammenfassung des Vorhabens", "Zusammenfassung", "Kurzzusammenfassung",
                        "Angebotsbeschreibung", "Fördergegenstand", "Gegenstand der Förderung", "Über uns", "desc",
                        "Description", "Operation summary", "Summary"],
        "provider": ["Träger", "Anbieter", "Projektträger", "Organisation", "Maßnahmenträger", "durchführende Organisation",
                     "Durchführung", "Veranstalter", "Einrichtung", "Einrichtungsname", "Name der Einrichtung",
                     "Name des Begünstigten", "Begünstigter", "Begünstigte", "Zuwendungsempfänger", "Trägerorganisation",
                     "Organisationen", "Institution", "Name der Institution", "Provider", "Beneficiary name",
                     "Name of beneficiary", "Beneficiary", "Organisation name"],
        "partners": ["Kooperationspartner", "Partner", "Kooperation mit", "Kooperationspartner innen", "Netzwerkpartner",
                     "beteiligte Organisationen", "Projektpartner", "Partners"],
        "target_groups": ["Zielgruppe", "Zielgruppen", "Zielgruppe(n)", "Adressaten", "Adressat innen",
                          "Teilnehmende Zielgruppe", "Für wen", "Target group", "Target groups"],
        "fields": ["Handlungsfeld", "Handlungsfelder", "Themenfeld", "Themenfelder", "Bereich", "Themenbereich", "Thema",
                   "Einsatzbereich", "Einsatzbereiche", "Tätigkeitsfeld", "Interventionskategorie",
                   "Interventionsbereich", "Kategorie der Intervention", "Bezeichnung der Interventionskategorie",
                   "Spezifisches Ziel", "Investitionspriorität", "Themenschwerpunkt", "Schwerpunkt", "Themen",
                   "Schlagworte", "Schlagwörter", "Stichworte", "Kategorie", "Field of action",
                   "Category of intervention", "Intervention category", "Intervention field", "Specific objective",
                   "Topics"],
        "districts": ["Stadtteil", "Sozialraum", "Sozialraum / Stadtteil", "Ortsteil", "Stadtteile", "Sozialräume",
                      "Stadtbezirk", "Bezirk", "Quartier", "Einzugsgebiet", "Gebiet", "Standort", "Ort", "Gemeinde",
                      "Ort des Vorhabens", "Standort des Vorhabens", "Projektstandort", "Standort des Projekts",
                      "Projektort", "Investitionsort", "Durchführungsort", "Einsatzgebiet", "Einsatzort", "Wo",
                      "District", "Location", "Location of operation", "Operation city",
                      # the county: only when no column names a nearer place (`_FALLBACK`)
                      "GEN", "Landkreis", "Kreis", "Landkreis / kreisfreie Stadt", "County", "Bundesland"],
        "street": ["Straße", "Straße und Hausnummer", "Straße Hausnummer", "Adresse", "Anschrift",
                   "Straße + Hausnummer des Angebotsorts", "Adresse des Angebotsorts", "Anschrift des Angebotsorts",
                   "Veranstaltungsort", "Adresse des Veranstaltungsorts", "Street", "Address", "Street address"],
        "house_number": ["Hausnummer", "Hausnr", "House number"],
        "postcode": ["PLZ", "Postleitzahl", "PLZ Begünstigter", "Postleitzahl des Vorhabens", "Postleitzahl Standort",
                     "Standortindikator", "Postleitzahl / Standortindikator", "Postcode", "Zip code", "Postal code"],
        "start": ["Beginn", "Start", "von", "Startdatum", "Projektbeginn", "Laufzeit von", "Laufzeit ab", "ab",
                  "Datum des Beginns", "Beginn des Vorhabens", "Vorhabenbeginn", "Jahr der Bewilligung", "Bewilligungsjahr",
                  "Zeitraum von", "Förderzeitraum von", "Bewilligungszeitraum von", "Förderbeginn", "Datum von",
                  "Start date", "Date from", "Starting date", "Operation start date"],
        "end": ["Ende", "bis", "Enddatum", "Projektende", "Laufzeit bis", "befristet bis", "Datum des Endes",
                "Ende des Vorhabens", "Datum der Beendigung", "Vorhabenende", "Jahr der Restzahlung",
                "Jahr der Schlusszahlung", "Zeitraum bis", "Förderzeitraum bis", "Bewilligungszeitraum bis",
                "Förderende", "Datum bis", "End date", "Date to", "Completion date", "Operation end date"],
        "period": ["Laufzeit", "Zeitraum", "Projektlaufzeit", "Dauer"],
        "funders": ["Finanzierung", "Förderung", "Fördermittelgeber", "Kostenträger", "Finanzierung / Fördermittelgeber",
                    "Förderprogramm", "Geldgeber", "Fördergeber", "Finanziert durch", "Fonds", "Zuwendungsgeber",
                    "Bewilligungsbehörde", "Bewilligungsstelle", "Behörde", "Mittelgeber", "Funding", "Funder"],
        "amount": ["Gesamtbetrag der förderfähigen Ausgaben", "Gesamtbeitrag der förderfähigen Ausgaben",
                   "Gesamtbetrag förderfähiger Ausgaben", "förderfähige Ausgaben", "Gesamtkosten",
                   "Gesamtfördersumme", "gesamte Fördersumme", "Fördersumme", "Förderbetrag", "Förderhöhe",
                   "Gesamtzuwendung", "Zuwendungsbetrag", "Zuwendungssumme", "Höhe der Zuwendung", "Zuwendung",
                   "Gesamtbetrag", "Bewilligungssumme", "bewilligter Betrag", "Betrag", "EU-Betrag", "EU-Beitrag",
                   "Total eligible expenditure", "Total amount", "Amount", "Grant amount"],
        "cofinancing_rate": ["Unions-Kofinanzierungssatz", "Kofinanzierungssatz", "Kofinanzierungssatz der Union",
                             "Fördersatz", "Förderquote", "Union co-financing rate", "Co-financing rate"],
        "website": ["Website", "Webseite", "Webseite-Link", "Homepage", "Internetseite", "Link", "URL"],
        "contact": ["Ansprechperson", "Kontakt", "Ansprechpartner", "Ansprechpartnerin", "Ansprechpartner in",
                    "Kontaktperson", "Contact"],
        "email": ["E-Mail", "Email", "Mail", "E-Mail-Adresse"],
        "phone": ["Telefon", "Tel", "Tel.", "Telefonnummer", "Phone"],
        "languages": ["Sprache", "Sprachen", "Sprache(n)", "Angebotssprache", "Languages"],
        "schedule": ["Turnus", "Häufigkeit", "Termine", "Zeiten", "Wann", "Rhythmus", "Zeitaufwand", "zeitlicher Aufwand",
                     "Zeitumfang", "Öffnungszeiten", "Sprechzeiten"],
    },
    "providers": {
        "name": ["Träger", "Name", "Organisation", "Trägername", "Name des Trägers", "Einrichtung", "Einrichtungsname",
                 "Anbieter", "Initiative", "Name der Initiative", "Helferkreis", "Verein", "Name der Organisation",
                 "Institution", "Name der Institution", "Organization", "Organisation name"],
        "short_name": ["Kurzname", "Abkürzung", "Kurzbezeichnung", "Kürzel", "auch genannt"],
        "type": ["Art des Trägers", "Trägerart", "Trägertyp", "Typ", "Art", "Organisationsform", "Kategorie", "Type"],
        "parent": ["Dachverband", "gehört zu", "übergeordnete Organisation", "Mutterorganisation"],
        "description": ["Beschreibung", "Kurzbeschreibung", "Inhalt", "Über uns", "desc", "Description"],
        "street": ["Straße", "Adresse", "Anschrift", "Straße und Hausnummer", "Str", "Street"],
        "house_number": ["Hausnummer", "Nr.", "Number", "House number"],
        "postcode": ["PLZ", "Postleitzahl", "City code", "Zip code", "Postcode", "Postal code"],
        "city": ["Ort", "Stadt", "Gemeinde", "Ort/Stadt", "City", "Town"],
        "district": ["Stadtteil", "Sozialraum", "Stadtbezirk", "Ortsteil", "Sitz", "Bezirk", "District",
                     # the county or the Land, and GEN (the official name column of the Länder's and the BKG's
                     # lists): only when no column names a nearer place (`_FALLBACK`)
                     "GEN", "Landkreis", "Kreis", "Landkreis / kreisfreie Stadt", "County", "Bundesland", "State"],
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
WEIGHT = {
    "measures": {"title": 3, "provider": 2, "target_groups": 3, "fields": 2, "start": 2, "end": 2, "period": 2,
                 "funders": 2, "partners": 2, "amount": 2, "cofinancing_rate": 2, "districts": 1.5, "id": 0.5,
                 "website": 0.5, "email": 0.5, "phone": 0.5, "contact": 0.5, "postcode": 0.5,
                 "street": 0, "house_number": 0},  # an address says nothing about a list of measures
    "providers": {"name": 2, "short_name": 2, "type": 2, "street": 2, "house_number": 1.5, "postcode": 1.5,
                  "city": 1.5, "website": 1.5, "email": 1, "phone": 1, "parent": 2},
    "districts": {"inhabitants": 3, "migration_share": 3, "migration_count": 3},
    "cooperations": {"partner_a": 3, "partner_b": 3},
    "networks": {"network": 3, "members": 3},
}
MULTI_COLUMN_ROLES = {"target_groups", "fields", "districts", "partners", "funders", "members"}

_KEYS = {kind: {role: [normalize_label(s) for s in syns] for role, syns in roles.items()} for kind, roles in ROLES.items()}
# Synonyms that name a role only as the whole header (or one of its lines), never as a word inside a longer header:
# "Kategorie der Region" is no field of action, "Anschrift des Trägers" and "beneficiary_address" are the
# provider's address, not the place of the measure.
_EXACT_ONLY = {"providers": {"district": {normalize_label(s) for s in ["Kreis", "GEN", "State"]}},
               "measures": {"fields": {normalize_label(s) for s in ["Kategorie"]},
                            "districts": {normalize_label(s) for s in ["Kreis", "GEN"]},
                            "street": {normalize_label(s) for s in ["Straße", "Adresse", "Anschrift", "Street",
                                                                    "Address"]}}}
# Synonyms that name a role only when no other column names it: the county ("Landkreis") is the place of a
# measure in a list that names no nearer place, and further detail beside a column of municipalities; a
# "Kategorie" is the field of action of an offer only where no column names the fields (beside "Schlagworte" or
# "Themenschwerpunkt" it is a kind of offer or of funding).
_COUNTY_OR_LAND = {normalize_label(s) for s in ["GEN", "Landkreis", "Kreis", "Landkreis / kreisfreie Stadt", "County",
                                                  "Bundesland", "State"]}
_FALLBACK = {"providers": {"district": _COUNTY_OR_LAND},
             "measures": {"districts": _COUNTY_OR_LAND,
                          "fields": {normalize_label("Kategorie")}}}
_JOINED = {kind: {role: [s.replace(" ", "") for s in syns] for role, syns in roles.items()}
           for kind, roles in _KEYS.items()}
# A word boundary inside camelCase ("callOpenDate"), but not a gender form ("TeilnehmerInnen").
_CAMEL = re.compile(r"(?<=[a-zäöüß])(?=[A-ZÄÖÜ])(?!In(?:nen)?(?![a-zäöüß]))")
_PARENTHESIS = re.compile(r"\([^()]*\)")
_LEAD_WORDS = 6  # a longer header (a legal text) is matched by the synonyms among its first words
# In a list of facilities or services with their Träger, the facility is the offer: in a measures table
# without a title column, a further provider column with one of these headers names the measure.
_FACILITY = {normalize_label(s) for s in ["Einrichtung", "Einrichtungsname", "Name der Einrichtung", "Beratungsstelle",
                                          "Name der Beratungsstelle", "Anlaufstelle", "Dienst", "Stelle"]}
# Words of a "Name der …" header that name a person, not an organisation.
_PERSON_WORDS = ("ansprech", "kontakt", "person", "leit", "teilnehm", "mitarbeit", "vertret", "beauftragt",
                 "koordinat", "berater", "referent", "kursleit", "dozent", "vorsitz")

def describe_role(kind, role):
    """The synonyms looked for, for error messages: 'Träger, Anbieter, …'."""
    return ", ".join(ROLES[kind][role])


def _header_keys(header):
    """Normalised keys of a header cell: the whole text and, for a cell of several lines, each line.

    Case, umlauts (ä/ae, ß/ss), underscores, hyphens and camelCase do not matter:

    >>> _header_keys("programm_name"), _header_keys("callOpenDate"), _header_keys("Projekt-\\nstandort")
    (['programm name'], ['call open date'], ['projekt standort', 'projekt', 'standort'])
    """
    header = _CAMEL.sub(" ", header)
    lines = [normalize_label(line) for line in header.split("\n")]
    whole = normalize_label(header.replace("\n", " "))
    return [whole] + [line for line in lines if line and line != whole]


def _key_words(key, compound):
    """The words of a header key for the "contains the synonym" match: the first `_LEAD_WORDS` words, and each
    pair of neighbours written together, so that a compound broken by a hyphen or a line ("Zuwendungs-empfänger")
    is still the word. A header written as one compound ("link_klasse", "Projekt-Abkürzung", "callOpenDate")
    is named by its last part, as a German compound by its head: "link_klasse" is a class, not a link."""
    words = key.split()
    if compound and len(words) > 1:
        return {words[-1], "".join(words[-2:])}
    words = words[:_LEAD_WORDS]
    return set(words) | {a + b for a, b in zip(words, words[1:])}


@lru_cache(maxsize=1 << 14)
def match_role(kind, header):
    """Return (role, quality, rank) for a header: quality 3 exact, 2.5 exact line, 2 close spelling,
    1 synonym's words contained; rank is the synonym's position (lower is more specific).

    A header is exact also when it only splits or joins the synonym's words ("Projekt-standort",
    "programm_name"). Among headers that contain synonyms, the longer synonym wins ("Bezeichnung der
    Interventionskategorie" names the category, not the title); in a header of more than `_LEAD_WORDS` words
    (a legal text) only a synonym of several words or a long one counts, beginning among its first three words
    (a sentence that mentions a "Beschreibung" later on is no header). Words in parentheses qualify the header
    and do not name it: "Gemeindekennziffer (Vorhaben)" is the municipality code of the operation, not its title.
    Synonyms in `_EXACT_ONLY` are never matched as words of a longer header.
    """
    keys = _header_keys(header)
    joined_keys = [key.replace(" ", "") for key in keys]
    sources = [header.replace("\n", " ")] + [line for line in header.split("\n") if normalize_label(line)]
    compound = {normalize_label(_CAMEL.sub(" ", text)): not any(ch.isspace() for ch in text.strip())
                for text in sources}
    qualifier = set()  # words that stand only in parentheses
    if "(" in header:
        qualifier = set(normalize_label(" ".join(_PARENTHESIS.findall(header))).split()) - \
            set(normalize_label(_CAMEL.sub(" ", _PARENTHESIS.sub(" ", header))).split())
    words = [_key_words(" ".join(w for w in key.split() if w not in qualifier), compound.get(key, False))
             for key in keys]
    exact_only = _EXACT_ONLY.get(kind, {})
    best, best_order = (None, 0, 99), (0, 0, -99)
    for role, synonyms in _KEYS[kind].items():
        role_best = None  # the role's best quality, its longest synonym and its most specific synonym at that quality
        only_exact = exact_only.get(role, ())
        for rank, (syn, joined) in enumerate(zip(synonyms, _JOINED[kind][role])):
            if not syn:
                continue
            for i, key in enumerate(keys):
                if key == syn or joined_keys[i] == joined:
                    quality = 3 if i == 0 else 2.5
                elif len(key) >= 8 and len(syn) >= 8 and fuzz.ratio(key, syn) >= 92:
                    quality = 2
                elif len(syn) > 2 and syn not in only_exact and set(syn.split()) <= words[i] and \
                        (key.count(" ") < _LEAD_WORDS or (" " in syn or len(syn) >= 10) and
                         syn.split()[0] in key.split()[:3]):
                    quality = 1
                else:
                    continue
                specific = len(syn) if quality == 1 else 0
                if role_best is None or quality > role_best[0]:
                    role_best = (quality, specific, rank)
                elif quality == role_best[0]:
                    role_best = (quality, max(specific, role_best[1]), min(rank, role_best[2]))
        if role_best is not None and (role_best[0], role_best[1], -role_best[2]) > best_order:
            quality, specific, rank = role_best
            best, best_order = (role, quality, rank), (quality, specific, -rank)
    return best


def assign(kind, headers, overrides, fill):
    """Map header cells to roles.

    A role takes the column that names it best (quality, then the more specific synonym,
    then the column with more values); a multi-valued role also keeps the other columns
    that name it exactly; any other duplicate stays a column without a role.

    A list of facilities with the Träger that runs each ("Einrichtung" beside "Träger") is not
    a list of Träger: in a measures table without a title column the facility names the offer
    (a directory of services), in an organisations table it names the organisation and the
    Träger is its parent, so that the facilities of one Träger stay apart.

    In a measures table whose title is another column and which names no provider, a plain "Name" or
    "Name des …" column names the beneficiary (`names_beneficiary`); in one without a title but with a start
    and an end (or a period), it names the measure: "name | dateFrom | dateTo" is a programme of events. A column
    named only by a fallback synonym (`_FALLBACK`: "Landkreis") takes its role only when no other column names it.

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
        lines = header.split("\n")
        for n in range(len(lines) - 1, 0, -1):  # a header completed by further header lines: by its first lines
            if key in overrides:
                break
            key = normalize_label(" ".join(lines[:n]))
        if key in overrides:
            role = overrides[key]
            if role and role in ROLES[kind]:
                found.setdefault(role, []).append((4, 0, fill[index], index))
            continue
        role, quality, rank = match_role(kind, header)
        if role is not None:
            found.setdefault(role, []).append((quality, -rank, fill[index], index))
    is_facility = lambda i: normalize_label(headers[i].split("\n")[0]) in _FACILITY  # noqa: E731
    for role, fallback in _FALLBACK.get(kind, {}).items():
        candidates = found.get(role, [])
        by_fallback = [c for c in candidates if c[0] < 4 and _KEYS[kind][role][-c[1]] in fallback]
        if by_fallback and len(by_fallback) < len(candidates):  # another column names the role: these are detail
            found[role] = [(0.5, *c[1:]) if c in by_fallback else c for c in candidates]
    if kind == "measures" and "title" not in found and ("start" in found and "end" in found or "period" in found):
        taken = {c[3] for candidates in found.values() for c in candidates}
        named = [i for i, header in enumerate(headers) if header and i not in taken and names_beneficiary(header)]
        if named:  # an event programme: the name of a dated row is the event's
            found["title"] = [(2, 0, fill[named[0]], named[0])]
    if kind == "measures" and "title" in found and "provider" not in found:
        taken = {c[3] for candidates in found.values() for c in candidates}
        named = [i for i, header in enumerate(headers) if header and i not in taken and names_beneficiary(header)]
        if named:
            found["provider"] = [(2, 0, fill[named[0]], named[0])]
    if kind == "measures" and "title" not in found:
        providers = sorted(found.get("provider", ()), reverse=True)
        facilities = [c for c in providers if is_facility(c[3])]
        if facilities and len(facilities) < len(providers):
            found["title"] = [facilities[0]]
            found["provider"] = [c for c in providers if c is not facilities[0]]
    columns, more, total, duplicates = {}, {}, 0.0, []
    for role, candidates in found.items():
        candidates.sort(reverse=True)
        quality, _, _, index = candidates[0]
        columns[role] = index
        total += quality * WEIGHT.get(kind, {}).get(role, 1)
        for q, _, _, other in candidates[1:]:
            if role in MULTI_COLUMN_ROLES and q >= 2:
                more.setdefault(role, []).append(other)
            else:
                duplicates.append((headers[other], role))
    if kind == "providers" and "parent" not in columns and "name" in columns and not is_facility(columns["name"]):
        facility = next((c[3] for c in found["name"][1:] if is_facility(c[3])), None)
        if facility is not None:
            duplicates.remove((headers[facility], "name"))
            columns["parent"], columns["name"] = columns["name"], facility
    return columns, more, total, duplicates


def names_beneficiary(header):
    """True for a header that is a plain "Name" or "Name des/der …" (not of a person: "Name der Ansprechperson").

    >>> names_beneficiary("Name"), names_beneficiary("Name des Zuschussempfängers"), names_beneficiary("Vorname")
    (True, True, False)
    >>> names_beneficiary("Name der Ansprechperson")
    False
    """
    words = normalize_label(header.split("\n")[0]).split()
    if not words or words[0] != "name" or (len(words) > 1 and words[1] not in ("des", "der", "von")):
        return False
    return not any(word.startswith(_PERSON_WORDS) for word in words[1:])
