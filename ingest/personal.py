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
"""

import re
from collections import Counter

import pyoxigraph as ox

__all__ = ["find_personal_text", "is_personal_literal", "redact_text", "separate_personal", "PERSONAL_PROPERTIES",
           "PERSON_TYPES", "PUBLIC_PROPERTIES", "VCARD", "REDACTED"]

REDACTED = "[personenbezogene Angabe entfernt]"
_SCHEMA = ("https://schema.org/", "http://schema.org/")
_FOAF = "http://xmlns.com/foaf/0.1/"
VCARD = "http://www.w3.org/2006/vcard/ns#"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
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

_EMAIL = re.compile(r"(?:mailto:)?[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
_PHONE = re.compile(
    r"(?<![\w.,/])(?:"
    # +49 6441 123456, 0049-…: at least 8 digits after the prefix ("0031-0168" is a number, not a phone number)
    r"(?:\+|00)(?=(?:[\s\-/()]*\d){8})[1-9]\d{0,2}[\s\-/]?(?:\(0\)\s?)?\d{2,5}(?:[\s\-/]?\d{2,}){1,4}"
    r"|\(?0[1-9]\d{1,4}\)?(?:\s?/\s?|\s|-)\d{2,}(?:[\s\-]\d{2,}){0,3}"  # 06441 123456, (06441) 40 71-23, 0171/1234567
    # (an area code never starts with 00: "0001-0008" is a number range, not a phone number)
    r"|0[1-9]\d{8,11}"  # 017112345678
    r")(?!\w|[.,]\d)"
    r"|(?i:\b(?:tel|telefon|handy|mobil|fax)\w*\.?\s*:?\s*[+(]?\d[\d\s\-/()]{5,}\d)")
_BIRTH = re.compile(r"(?i)\b(?:geb\.|geboren|geburts(?:datum|tag|jahr)|date of birth|birth\s?date|born)"
                    r"\s*(?:am|on|:)?\s*:?\s*(?:\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}|\d{4}-\d{2}-\d{2}|\d{4})")
_STREET = re.compile(
    r"\b(?:[A-ZÄÖÜ][\wäöüß\-]*(?:straße|strasse|str\.|weg|gasse|platz|allee|ring|damm|ufer|pfad|chaussee)"
    r"|[A-ZÄÖÜ][\wäöüß\-]*\s(?:Straße|Strasse|Str\.|Weg|Gasse|Platz|Allee|Ring|Damm|Ufer|Chaussee))"
    r"\s*\d{1,4}\s?[a-zA-Z]?(?![\w.])")
_KINDS = (("email", _EMAIL), ("phone", _PHONE), ("birth_date", _BIRTH), ("street_address", _STREET))
_MAY_BE_PERSONAL = re.compile(r"[@\d]")  # every kind above has an "@" or a digit: a text without either is skipped


def find_personal_text(text):
    """The kinds of personal data found in `text`: a list of ``email``, ``phone``, ``birth_date``, ``street_address``.

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
    """
    if not _MAY_BE_PERSONAL.search(text):
        return []
    return [kind for kind, pattern in _KINDS if pattern.search(text)]


def is_personal_literal(term):
    r"""Whether a literal written in N-Triples is a text (plain or with a language) holding personal data.

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
    return bool(find_personal_text(value))


def redact_text(text):
    """`text` with every personal part replaced by `REDACTED`.

    Examples
    --------
    >>> redact_text("Anmeldung bei Frau K. unter 06441 407123.")
    'Anmeldung bei Frau K. unter [personenbezogene Angabe entfernt].'
    """
    for _, pattern in _KINDS:
        text = pattern.sub(REDACTED, text)
    return text


def _is_plain(term):
    return isinstance(term, ox.Literal) and term.datatype.value in _STRINGS


def _twin(key):
    """The personal graph of a source graph: ``…/graph/data/city/file`` → ``…/graph/personal/city/file``."""
    from knotenpunkt.ontology.namespace import GRAPH

    rest = str(key).removeprefix(str(GRAPH))
    return GRAPH["personal/" + rest.partition("/")[2]]


def separate_personal(graphs, validation):
    """Move personal data out of the data graphs of an import into their personal graphs.

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
        keep, out = [], set()
        for line, t in zip(lines, triples, strict=True):
            by_property = (t.predicate.value in PERSONAL_PROPERTIES or t.predicate.value.startswith(VCARD)
                           or t.subject in people or t.object in people)
            kinds = [] if by_property or t.predicate.value in PUBLIC_PROPERTIES or not _is_plain(t.object) \
                else find_personal_text(t.object.value)
            if not by_property and not kinds:
                continue
            out.add(line)
            moved += 1
            counts.update(kinds or ["property"])
            if kinds:
                public = ox.Literal(redact_text(t.object.value), language=t.object.language) if t.object.language \
                    else ox.Literal(redact_text(t.object.value))
                keep.append(f"{t.subject} {t.predicate} {public} .")
                redacted += 1
        if out:
            validation.move(key, out, _twin(key), keep)
            sink.flagged = set()
            graphs.setdefault(_twin(key), TripleSink())
    return {"moved": moved, "redacted": redacted, "kinds": dict(counts)}
