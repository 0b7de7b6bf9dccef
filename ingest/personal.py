"""Recognise personal data in built graphs and keep it in the personal-data sources.

The importer puts the columns it knows (contact person, e-mail, phone) into the file's
personal-data graph (`ingest.builder.Builder.personal_graph_for`). Personal data also
hides elsewhere: in columns the importer does not know ("Handy", "Mail privat",
"Privatadresse", "Geburtsdatum" end up as ``kp:additionalInfo``), inside descriptions, and
in RDF uploads (``schema:email``, ``foaf:mbox``, vCard). `separate_personal` moves every
such triple of a data graph into the matching personal graph, which queries, exports and
the endpoint see only with the setting ``include_personal_data``. Where the personal part
is inside a longer text, the public graph keeps the text with that part replaced by
``[personenbezogene Angabe entfernt]``.

Recognised by content (plain literals): e-mail addresses, phone numbers, birth dates
after a word such as "geb." or "Geburtsdatum", street addresses ("Goethestraße 5",
"Nauborner Straße 12"). Recognised by property: the schema.org, FOAF and vCard
properties of people and contact points, and every triple about a resource typed as a
person or contact point (and the links to it).

The patterns want evidence, not look-alikes: a number inside a longer token ("ESF/14-AB-C12-0345/16",
"Az. 12-0641/2345") or with fewer than 7 digits is no phone number, a year ("Lernweg 2020 bis 2023")
or a count ("Spielplatz 3 mal") no house number, and the title or name of a measure or an
organisation (`NAME_PROPERTIES`: "Treff Lindenweg 5") is not a person's address.

A redacted text does not leave its statement twice. The data graph keeps the statement with the
redacted text; the personal graph gets the original as a described, not asserted, statement
(``rdf:Statement`` with ``rdf:subject``, ``rdf:predicate``, ``rdf:object``). Validation, the analyses'
frames and queries with personal data see the union of both graphs: if the personal graph held the
original statement itself, a single-valued property (``dct:title``, ``sh:maxCount 1``) would have two
values there, and a false positive of the patterns would make valid data invalid.
"""

import hashlib
import re
from collections import Counter
from functools import cache, lru_cache
from pathlib import Path

import pyoxigraph as ox

from knotenpunkt.ontology.namespace import ID

__all__ = ["find_personal_text", "is_personal_literal", "ends_with_street_address", "person_name", "redact_text",
           "separate_personal", "PERSONAL_PROPERTIES", "PERSON_TYPES", "PUBLIC_PROPERTIES", "NAME_PROPERTIES", "VCARD",
           "REDACTED"]

REDACTED = "[personenbezogene Angabe entfernt]"
_SCHEMA = ("https://schema.org/", "http://schema.org/")
_FOAF = "http://xmlns.com/foaf/0.1/"
VCARD = "http://www.w3.org/2006/vcard/ns#"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDF_TYPE = _RDF + "type"
_STRINGS = {"http://www.w3.org/2001/XMLSchema#string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}

PERSONAL_PROPERTIES = frozenset(
    [base + name for base in _SCHEMA for name in (
        "email", "telephone", "faxNumber", "birthDate", "birthPlace", "deathDate", "givenName", "familyName",
        "additionalName", "honorificPrefix", "homeLocation", "contactPoint", "gender", "nationality", "knows",
        "spouse", "children", "parent")]
    + [_FOAF + name for name in (
        "mbox", "mbox_sha1sum", "phone", "birthday", "age", "givenName", "givenname", "familyName", "family_name",
        "firstName", "lastName", "surname", "nick", "title", "knows", "img", "depiction", "holdsAccount")]
)
PERSON_TYPES = frozenset(
    [base + name for base in _SCHEMA for name in ("Person", "ContactPoint", "Patient")]
    + [_FOAF + "Person", VCARD + "Individual", VCARD + "Kind", VCARD + "VCard"]
)
# Organisation addresses of a providers sheet are public by design (schema:PostalAddress of an org:Organization),
# and so are the identifiers a source gives its records ("0031-0168" is a measure's number, not a phone number).
PUBLIC_PROPERTIES = frozenset([base + name for base in _SCHEMA
                               for name in ("streetAddress", "postalCode", "addressLocality", "url", "identifier")]
                              + ["http://purl.org/dc/terms/identifier", "https://w3id.org/knotenpunkt/def#sourceId"])
# The titles and names of measures, organisations and areas: a street address in one names a place ("Stadtteiltreff
# Lindenweg 5"), not where a person lives. E-mails and phone numbers are still found in them.
NAME_PROPERTIES = frozenset(["http://purl.org/dc/terms/title", "http://purl.org/dc/elements/1.1/title",
                             "http://purl.org/dc/terms/alternative", "https://w3id.org/knotenpunkt/def#correctedTitle",
                             "http://www.w3.org/2004/02/skos/core#prefLabel", "http://www.w3.org/2004/02/skos/core#altLabel"]
                            + [base + name for base in _SCHEMA for name in ("name", "alternateName", "legalName")])

_EMAIL = re.compile(r"(?:mailto:)?[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
_PHONE = re.compile(
    # a "+", "0" or "(" not inside a longer token: "ESF/14-AB-C12-0345/16", "Az. 12-0641/2345" are file numbers
    r"(?=[+0(])(?<![\w.,/])(?<!\w-)(?:"
    # +49 6441 123456, 0049-…: at least 8 digits after the prefix ("0031-0168" is a number, not a phone number)
    r"(?:\+|00)(?=(?:[\s\-/()]*\d){8})[1-9]\d{0,2}[\s\-/]?(?:\(0\)\s?)?\d{2,5}(?:[\s\-/]?\d{2,}){1,4}"
    # 06441 123456, (06441) 40 71-23, 0171/1234567: at least 7 digits ("0345/16" is a file number, "030 115" public)
    r"|(?=(?:[\s\-/()]*\d){7})\(?0[1-9]\d{1,4}\)?(?:\s?/\s?|\s|-)\d{2,}(?:[\s\-]\d{2,}){0,3}"
    # (an area code never starts with 00: "0001-0008" is a number range, not a phone number)
    r"|0[1-9]\d{8,11}"  # 017112345678
    # nor followed by more of a token ("0171/2016/ESF", "0641 12345-A") or by "Uhr" ("0800-1200 Uhr")
    r")(?!\w|[.,]\d|/\w|-[^\W\d_]|\s?Uhr\b)"
    # after a label: "Tel.", "Telefon:", "Tel.-Nr.", "Handynummer", "Tel/Fax" (not "Mobilität 2024-2026", "Telefonzeiten")
    r"|(?i:\b(?:tel(?:efon)?|fon|handy|mobil(?:funk|telefon)?|fax)(?:nummer|nr)?\b\.?(?:\s*/\s*fax\.?)?(?:\s*-?\s*nr\.?)?"
    r"\s*:?\s*[+(]?\d[\d\s\-/()]{5,}\d)")
_BIRTH = re.compile(r"(?i)\b(?:geb\.|geboren|geburts(?:datum|tag|jahr)|date of birth|birth\s?date|born)"
                    r"\s*(?:am|on|:)?\s*:?\s*(?:\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}|\d{4}-\d{2}-\d{2}|\d{4})")
# What follows a number that counts something rather than numbering a house: "Spielplatz 3 mal", "Lindenweg 3 bis 6 Jahre".
_COUNTED = (r"(?i:\s*(?:(?:bis|[-–])\s*\d+\s*)?(?:uhr|h|jahre?n?|j\.|monate?n?|wochen?|tage?n?|stunden?|std\.?|min(?:uten|\.)?"
            r"|mal|x|×|personen|plätze|teilnehm\w*|kinder\w*|jugendliche\w*|schüler\w*|euro|eur|€|%|prozent|km|qm|m²"
            r"|module?|kurse?|termine?|gruppen?|klassen?|einheiten|sitzungen|generationen|sprachen)(?!\w))")
_STREET = re.compile(
    # Goethestraße, Kaiserring, Theodor-Heuss-Ring (not the "-ring" of "Mentoring", "Catering")
    r"\b(?=[A-ZÄÖÜ])(?:[A-ZÄÖÜ][\wäöüß\-]*(?:straße|strasse|str\.|weg|gasse|platz|allee|ring(?<![aeiouäöü]ring)|damm|ufer"
    r"|pfad|chaussee"
    r"|-(?:Straße|Strasse|Str\.|Weg|Gasse|Platz|Allee|Ring|Damm|Ufer|Pfad|Chaussee))"
    # Nauborner Straße, Frankfurter Allee (not "Auf Platz 1", "Der Weg 2")
    r"|(?!(?:Der|Die|Das|Den|Dem|Des|Ein|Eine|Einen|Auf|Im|Zum|Zur|Unser|Unsere|Mein|Meine|Ihr|Ihre)\s)"
    r"[A-ZÄÖÜ][\wäöüß\-]*\s(?:Straße|Strasse|Str\.|Weg|Gasse|Platz|Allee|Ring|Damm|Ufer|Chaussee))"
    # a house number: not a year ("Lernweg 2020 bis 2023") nor a count ("Sportplatz 2 Stunden")
    r"\s*(?!(?:19|20)\d\d(?!\d))\d{1,4}(?!" + _COUNTED + r")\s?[a-zA-Z]?(?![\w.])")
_KINDS = (("email", _EMAIL), ("phone", _PHONE), ("birth_date", _BIRTH), ("street_address", _STREET))
_NAME_KINDS = _KINDS[:3]  # in a title or name (`NAME_PROPERTIES`) an address names a place
_MAY_BE_PERSONAL = re.compile(r"[@\d]")  # every kind above has an "@" or a digit: a text without either is skipped


# A natural person's name: an optional title ("Dr. med.", "Dipl.-Psych.", "Frau"), given names, a family name;
# or "Family name, given names" as registers of grants write their recipients.
_NAME_WORD = r"[A-ZÀ-ÖØ-Þ][^\W\d_A-ZÀ-ÖØ-Þ]+(?:['’´][^\W\d_]+)*"  # "Gneuß", "Kova´cs"; not "GmbH", "AWO"
_FAMILY = rf"(?:(?:von|van|de|der|den|du|da|do|dos|di|del|della|la|le|zu|ten|ter|al|el|bin|ibn)\s)*{_NAME_WORD}(?:-{_NAME_WORD})*"
_GIVEN = rf"{_NAME_WORD}(?:-{_NAME_WORD})*"
_INITIAL = r"[A-ZÄÖÜ]\."
# a doctor's or psychotherapist's title says "person" without a given name ("Dr. med. Breyer"); "Dr." or "Prof." alone
# also begin company names ("Dr. Oetker") and need one
_MEDICAL = r"(?:Dr\.[\s-]?med\.?(?:\s?(?:dent|vet|univ)\.)?|Dipl\.-(?:Med|Psych|Päd|Soz\.\s?Päd)\.|Herr|Frau)"
_TITLES = rf"(?:(?:{_MEDICAL}|Dr\.|Prof\.|PD|MUDr\.|Dipl\.-\w+\.|M\.\s?A\.|M\.\s?Sc\.|B\.\s?A\.)\s*)"
_PERSON = re.compile(
    rf"(?P<medical>{_MEDICAL}\s*{_TITLES}*(?:{_GIVEN}\s){{0,2}}{_FAMILY}$)"  # Dr. med. Breyer, Frau Anna Gneuß
    rf"|{_TITLES}*(?P<given>{_GIVEN}(?:\s(?:{_GIVEN}|{_INITIAL}))?)\s(?:{_INITIAL}\s)?(?P<family>{_FAMILY})$"  # Andrea Gneuß
    rf"|(?P<family2>{_FAMILY}(?:\s{_FAMILY})?),\s{_TITLES}*(?P<given2>{_GIVEN}(?:\s(?:{_GIVEN}|{_INITIAL}))?)$")  # Akcay, Tuncay
# Words that make a name an organisation's or a place's, however personal the rest looks ("Anne Frank Haus"),
# whole or as the end of a compound ("Jugendhaus", "Friedrich-Schiller-Universität"; not "Jung": its stem is too short).
_NOT_PERSON = re.compile(
    r"(?i)(?:stadt|landkreis|kreis|gemeinde|bezirk|caritas|diakonie|kita|museum|theater|café|cafe|bar|klinik|klinikum"
    r"|apotheke|gruppe|team|netzwerk|projekt|initiative|forum|akademie|büro|agentur|verlag|partner|mitte|nord|süd|ost"
    r"|west|park|platz)"
    r"|(?:\w{3,})?(?:schule|haus|verein|zentrum|stelle|werk|bund|hilfe|dienst|heim|kirche|stiftung|institut|verband"
    r"|laden|garten|hof|treff|club|klub|praxis|amt|universität|hochschule|bibliothek|stadion|gesellschaft|technik|bau|stift|labor|coaching|service"
    r"|bad|lounge)"
    r"|\w{3,}(?:ung|erei)")


_PEOPLE = re.compile(r",\s|\s(?:und|/|&|;)\s|;\s")  # between the persons of a list: "Dr. med. Ines A, Dr. med. Frank A"


@cache
def _first_names():
    """The first names of ``first_names.txt`` (given to at least five children born in Berlin 2012–2023)."""
    lines = (Path(__file__).with_name("first_names.txt")).read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def _is_given_name(words):
    """True when each given name (its first part when hyphenated: "Jens-Peter") is a first name or an initial:
    "Klaus Dieter", "Michael E.", not "Jens Kauss" of "Jens Kauss Elektrotechnik"."""
    return all(word.endswith(".") or word.split("-")[0] in _first_names() for word in words.split())


def _one_person(text):
    """True when one line names one person (`person_name`)."""
    found = _PERSON.fullmatch(text)
    if found is None:
        return False
    if any(_NOT_PERSON.fullmatch(word) for word in re.split(r"[\s,-]+", text)):
        return False
    return bool(found.group("medical")) or _is_given_name(found.group("given") or found.group("given2"))


@lru_cache(maxsize=1 << 16)  # an organisation's spelling recurs on many rows
def person_name(text):
    """True when `text` names one or more natural persons, not an organisation: given name and family name,
    "Family name, given name", or a doctor's title before the name; one person a line, or a list of them
    ("Dr. med. Ines Schampera, Dr. med. Frank Schampera").

    A given name must be a first name (``first_names.txt``); a word of an organisation or a place
    ("Haus", "Verein", "Mitte"), a legal form, a digit or "&" makes the text an organisation's.

    Examples
    --------
    >>> person_name("Abramsen, Ilse"), person_name("Akcay, Tuncay"), person_name("Dr. med. Dieter Breyer")
    (True, True, True)
    >>> person_name("Andrea Gneuß"), person_name("Dipl.-Med. Birgit Truhel\\nDipl.-Med. Ute Zielina")
    (True, True)
    >>> person_name("Caritas, Diakonie"), person_name("Schulze & Partner"), person_name("Max Mustermann GmbH")
    (False, False, False)
    >>> person_name("Anne Frank Haus"), person_name("Berlin Mitte"), person_name("Museum Bautzen")
    (False, False, False)
    """
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    return bool(lines) and all(_one_person(line) or len(people := _PEOPLE.split(line)) > 1 and all(map(_one_person, people))
                               for line in lines)


def find_personal_text(text, *, name=False):
    """The kinds of personal data found in `text`: a list of ``email``, ``phone``, ``birth_date``, ``street_address``.

    `name`: the text is a title or name (`NAME_PROPERTIES`), where a street address names a place.

    Examples
    --------
    >>> find_personal_text("Handy: 0171 1234567, Mail privat: a.b@web.de")
    ['email', 'phone']
    >>> find_personal_text("Sprachcafé 2024–2025, Beginn 01.09.2024, 12 Plätze, PLZ 35578")
    []
    >>> find_personal_text("Vorhaben 0001-0008, Az. 0012-34, Nr. 0031-0168"), find_personal_text("+49 641 1234")
    ([], ['phone'])
    >>> find_personal_text("Privatadresse: Nauborner Straße 12, geb. 01.02.1980")
    ['birth_date', 'street_address']
    >>> find_personal_text("Antrag ESF/14-AB-C12-0345/16"), find_personal_text("Lernweg 2020 bis 2023, Spielplatz 3 mal")
    ([], [])
    >>> find_personal_text("Treff Lindenweg 5", name=True), find_personal_text("Treff Lindenweg 5, Tel. 0641 12345", name=True)
    ([], ['phone'])
    """
    if not _MAY_BE_PERSONAL.search(text):
        return []
    return [kind for kind, pattern in (_NAME_KINDS if name else _KINDS) if pattern.search(text)]


def ends_with_street_address(text):
    """True when a text ends with a street and house number ("Bertha-von-Suttner-Straße 1", "Am Markt 5" is not).

    Examples
    --------
    >>> ends_with_street_address("Bertha-von-Suttner-Straße 1"), ends_with_street_address("Nauborner Str. 12a")
    (True, True)
    >>> ends_with_street_address("Sportplatz 2 Stunden"), ends_with_street_address("Goethestraße 1, 35578 Wetzlar")
    (False, False)
    """
    return any(m.end() == len(text.rstrip(" .")) for m in _STREET.finditer(text))


def is_personal_literal(term, *, name=False):
    r"""Whether a literal written in N-Triples is a text (plain or with a language) holding personal data.

    `name`: the literal is the object of a title or name (`NAME_PROPERTIES`, see `find_personal_text`).

    Examples
    --------
    >>> is_personal_literal('"Anmeldung: Tel.\\n06441 407123"'), is_personal_literal('"Kurs 2024"@de')
    (True, False)
    >>> is_personal_literal('"2024-09-01"^^<http://www.w3.org/2001/XMLSchema#date>')
    False
    """
    if not _MAY_BE_PERSONAL.search(term):
        return False
    end = term.rindex('"')
    if term.startswith("^^", end + 1):  # a typed literal: a date, a number
        return False
    value = term[1:end]
    if "\\" in value:  # escaped: read as N-Triples
        value = next(ox.parse(f"<x:s> <x:p> {term} .", format=ox.RdfFormat.N_TRIPLES)).object.value
    return bool(find_personal_text(value, name=name))


def redact_text(text, *, name=False):
    """`text` with every personal part replaced by `REDACTED` (`name` as for `find_personal_text`).

    Examples
    --------
    >>> redact_text("Anmeldung bei Frau K. unter 06441 407123.")
    'Anmeldung bei Frau K. unter [personenbezogene Angabe entfernt].'
    """
    for _, pattern in (_NAME_KINDS if name else _KINDS):
        text = pattern.sub(REDACTED, text)
    return text


def _original(t):
    """The N-Triples lines that describe the statement `t` without asserting it (RDF reification), under an IRI
    made from the statement: the personal graph's record of a text whose data graph statement was redacted."""
    s, p, o = str(t.subject), str(t.predicate), str(t.object)
    node = f"<{ID}redacted/{hashlib.blake2b(f'{s} {p} {o}'.encode(), digest_size=12).hexdigest()}>"
    return [f"{node} <{_RDF_TYPE}> <{_RDF}Statement> .", f"{node} <{_RDF}subject> {s} .",
            f"{node} <{_RDF}predicate> {p} .", f"{node} <{_RDF}object> {o} ."]


def _is_plain(term):
    return isinstance(term, ox.Literal) and term.datatype.value in _STRINGS


def _twin(key):
    """The personal graph of a source graph: ``…/graph/data/city/file`` → ``…/graph/personal/city/file``."""
    from knotenpunkt.ontology.namespace import GRAPH

    rest = str(key).removeprefix(str(GRAPH))
    return GRAPH["personal/" + rest.partition("/")[2]]


def separate_personal(graphs, validation):
    """Move personal data out of the data graphs of an import into their personal graphs.

    A triple found by property moves as it is. A text with personal data inside stays in the data graph
    with that part replaced by `REDACTED`, and the personal graph describes the original statement
    (``rdf:Statement``, see the module docstring) rather than repeating it: the union of the two graphs,
    which validation checks, keeps one value of a single-valued property.

    Parameters
    ----------
    graphs : dict
        Graph IRI → `ingest.builder.TripleSink`, as built by the importer, every line handed on to
        `validation`; personal graphs are added where needed.
    validation : ingest.validate.ValidationStore
        The planned triples, changed in place.

    Returns
    -------
    dict
        ``moved`` (triples moved), ``redacted`` (public texts with a part replaced) and
        ``kinds`` (count per kind: email, phone, birth_date, street_address, property).
    """
    from knotenpunkt.ingest.builder import TripleSink
    from knotenpunkt.ontology.namespace import GRAPH

    personal_prefix = str(GRAPH["personal/"])
    counts = Counter()
    moved = redacted = 0
    for key in [k for k in graphs if not str(k).startswith(personal_prefix)]:
        sink = graphs[key]
        # a sink built line by line noted its personal texts on the way in (`TripleSink.add`)
        lines = list(sink.flagged) if sink.checked else validation.lines(key)
        if not lines:
            continue
        triples = list(ox.parse("\n".join(lines), format=ox.RdfFormat.N_TRIPLES))
        people = {t.subject for t in triples if t.predicate.value == _RDF_TYPE and t.object.value in PERSON_TYPES}
        people |= {t.object for t in triples if t.predicate.value in PERSONAL_PROPERTIES
                   and isinstance(t.object, (ox.NamedNode, ox.BlankNode))}
        keep, out, redacted_lines, records = [], [], [], []
        for line, t in zip(lines, triples, strict=True):
            by_property = (t.predicate.value in PERSONAL_PROPERTIES or t.predicate.value.startswith(VCARD)
                           or t.subject in people or t.object in people)
            name = t.predicate.value in NAME_PROPERTIES
            kinds = [] if by_property or t.predicate.value in PUBLIC_PROPERTIES or not _is_plain(t.object) \
                else find_personal_text(t.object.value, name=name)
            if not by_property and not kinds:
                continue
            moved += 1
            counts.update(kinds or ["property"])
            if not kinds:
                out.append(line)  # moved as it is
                continue
            # the statement stays with the redacted text; the personal graph describes the original (`_original`),
            # so that the union of both graphs still has one value where the property allows one
            text = redact_text(t.object.value, name=name)
            public = ox.Literal(text, language=t.object.language) if t.object.language else ox.Literal(text)
            keep.append(f"{t.subject} {t.predicate} {public} .")
            redacted_lines.append(line)
            records += _original(t)
            redacted += 1
        if out or redacted_lines:
            twin = _twin(key)
            validation.replace(key, out + redacted_lines, keep)
            validation.replace(twin, (), out + records)
            sink.flagged = set()
            graphs.setdefault(twin, TripleSink())
    return {"moved": moved, "redacted": redacted, "kinds": dict(counts)}
