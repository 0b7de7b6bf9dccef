"""Reconcile organisation names: one organisation under several names, look-alikes kept apart.

Two names are compared on their *content words*: the name is normalised (case,
umlauts, punctuation), legal forms are removed (e.V., gGmbH …), well-known
abbreviations are expanded (AWO → Arbeiterwohlfahrt, KV → Kreisverband …), and
words that only say where or what form (Kreisverband, Stadt, the municipality's
place names, years) are set aside. Then:

- the same content words (a word also counts when the other name starts with it and it is
  at least half as long, "Caritas" in "Caritasverband", or differs by a typo, rapidfuzz
  ratio ≥ 88): **the same organisation**, merged;
- one name has content words the other lacks ("Stadt Wetzlar" / "Stadt Wetzlar –
  Jugendamt"): **a proposal** for the user, not merged;
- both have content words the other lacks ("Jugendamt" / "Sozialamt", "Türkischer
  Elternverein" / "Türkisch-Islamische Gemeinde"): **different organisations**.

A word counts as covered by a longer one only when the rest is an ending or a kind of
organisation ("Caritas|verband", not "Pflege|Sonne" or "Land|rat"). The same words do not
merge two bodies that the set-aside words tell apart: different administrative levels
("Stadt Kassel" / "Landkreis Kassel"), different legal forms ("… e.V." / "… gGmbH"; "e.V.",
"eV" and "e. V." are one form), different tiers of an association ("Landesverband" /
"Kreisverband") or different regional qualifiers ("Mecklenburg-Strelitz" / the state): such
a pair is at most **a proposal**, with that reason, and no chain of merges joins them through
a name that gives neither. A name that is only a legal form or a generic word ("Co. KG",
"Der Landrat") is never merged.

`split_org_list` reads a cell as one organisation unless each piece is one of its own (see
there); names lose stray punctuation at their ends ("Universität Rostock,").

Two rows of a providers sheet are different organisations unless the user says
otherwise; its short-name column names variants for certain. The user's decisions
("same" / "different") override everything and are kept for the next import.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache, partial

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from knotenpunkt.graph.texts import LANGUAGES, Phrase
from knotenpunkt.ingest.personal import ends_with_street_address
from knotenpunkt.ingest.places import PLACE_QUALIFIERS
from knotenpunkt.ingest.territory import CITYWIDE_LABELS
from knotenpunkt.ingest.text import (CODED_CATEGORY, belongs_together, clean_cell, normalize_label, short_hash, slugify,
                                     split_outside_parentheses)

__all__ = ["ACRONYMS", "DIRECTIONS", "REVIEW_LIMIT", "OrgName", "OrgResolution", "address_tail", "compare_names",
           "one_name", "resolve_organisations", "name_key", "legal_forms", "split_org_list", "merge_reasons"]

ACRONYMS = {
    "awo": "arbeiterwohlfahrt", "drk": "deutsches rotes kreuz", "vhs": "volkshochschule",
    "ib": "internationaler bund", "mgh": "mehrgenerationenhaus", "jmd": "jugendmigrationsdienst",
    "mbe": "migrationsberatung fuer erwachsene zugewanderte", "kv": "kreisverband", "ov": "ortsverband",
    "bamf": "bundesamt fuer migration und fluechtlinge", "ba": "bundesagentur fuer arbeit",
    "ihk": "industrie und handelskammer", "hwk": "handwerkskammer", "dw": "diakonisches werk",
    "diakonie": "diakonisches werk", "kath": "katholische", "skf": "sozialdienst katholischer frauen",
    "skm": "sozialdienst katholischer maenner", "asb": "arbeiter samariter bund", "esf": "europaeischer sozialfonds",
    "bmfsfj": "bundesministerium fuer familie senioren frauen und jugend", "dpwv": "paritaetischer wohlfahrtsverband",
    "paritaet": "paritaetischer wohlfahrtsverband", "paritaetische": "paritaetischer wohlfahrtsverband",
    "str": "strasse", "dt": "deutsches", "int": "internationaler", "lk": "landkreis",
    "cjd": "christliches jugenddorfwerk deutschlands", "tafel": "tafel", "ekhn": "evangelische kirche in hessen und nassau",
    "agentur fuer arbeit": "bundesagentur fuer arbeit", "arbeitsagentur": "agentur fuer arbeit", "jc": "jobcenter",
    "fbs": "familienbildungsstaette", "qm": "quartiersmanagement", "stadtteilbuero": "quartiersmanagement",
    "famz": "familienzentrum", "gs": "grundschule", "igs": "integrierte gesamtschule", "wbg": "wohnungsbaugesellschaft",
    "fd": "fachdienst", "mso": "migrantenselbstorganisation", "ak": "arbeitskreis",
}
_GENERIC = {"kreisverband", "ortsverband", "ortsverein", "bezirksverband", "landesverband", "regionalverband",
            "stadtverband", "der", "die", "das", "des", "dem", "den", "fuer", "und", "in", "im", "am", "an", "von",
            "vom", "zu", "zur", "zum", "e", "v", "region", "regional", "mittelhessen", "hessen", "kreis", "landkreis", "stadt",
            "gemeinde", "kreisstadt",
            "bundesrepublik", "deutschland", "standort", "geschaeftsstelle", "zentrale", "hauptstelle", "team",
            "buero", "dienststelle"}
# Words that name a branch by direction: "ASB OV West" and "ASB Harburg / Nordost" are different branches.
DIRECTIONS = {"nord", "sued", "ost", "west", "nordost", "nordwest", "suedost", "suedwest", "mitte", "zentrum", "nordost"}
# Words after which a name gives its place or branch ("Standort Eppendorf", "OV Harburg").
_PLACE_MARKERS = {"standort", "bezirk", "stadtteil", "ortsverband", "kreisverband", "ortsverein", "bezirksverband",
                  "stadtverband", "regionalverband", "filiale", "zweigstelle", "aussenstelle", "geschaeftsstelle"}
# Words that say which administrative level a body belongs to: "Stadt Kassel" and "Landkreis Kassel" are two
# bodies, and so are "Gemeinde X" and "Amt X".
_LEVELS = {"stadt": "Stadt", "kreisstadt": "Stadt", "hansestadt": "Stadt", "landeshauptstadt": "Stadt",
           "stadtverwaltung": "Stadt", "magistrat": "Stadt", "landkreis": "Kreis", "kreis": "Kreis",
           "kreisverwaltung": "Kreis", "kreisausschuss": "Kreis", "gemeinde": "Gemeinde", "samtgemeinde": "Gemeinde",
           "verbandsgemeinde": "Gemeinde", "ortsgemeinde": "Gemeinde", "gemeindeverwaltung": "Gemeinde",
           "land": "Land", "freistaat": "Land", "bundesland": "Land", "bezirk": "Bezirk", "bezirksamt": "Bezirk"}
# Words that say which tier of an association a name is: a local branch is not its state association.
_TIERS = {"bundesverband": "Bundesverband", "landesverband": "Landesverband", "lv": "Landesverband",
          "landesgruppe": "Landesverband", "bezirksverband": "Bezirksverband", "regionalverband": "Regionalverband",
          "kreisverband": "Kreisverband", "stadtverband": "Stadtverband", "ortsverband": "Ortsverband",
          "ortsverein": "Ortsverband", "ortsgruppe": "Ortsverband"}
_UPPER_TIERS = {"Bundesverband", "Landesverband"}
# Words of the labels for "the whole municipality" ("für alle Stadtteile", "gesamte Gemeinde"): no region words,
# though the territory gives them to the municipality ("Kunst und Kultur für alle" names no place).
_CITYWIDE_WORDS = {w for label in CITYWIDE_LABELS for w in normalize_label(label).split()} - _GENERIC
REVIEW_LIMIT = 100  # proposals shown for review; the rest wait behind "mehr"
_PROPOSAL_MIN_SCORE = 50
_SMALL_BLOCK = 40  # blocks up to this size are compared pair by pair
_LARGEST_BLOCK = 3000
_PAREN = re.compile(r"\(([^)]*)\)")


# An organisation word run into the next capitalised word ("StadtverwaltungBautzen", "LandratsamtGörlitz")
_JOINED_AFTER_HEAD = re.compile(r"((?:verwaltung|amt|verein|verband|kammer|schule|zentrum|stiftung|gesellschaft)"
                                r"(?=[A-ZÄÖÜ][a-zäöüß]{2}))")


def name_key(name):
    """Normalised, expanded word list of an organisation name (legal forms dropped).

    Examples
    --------
    >>> name_key("AWO KV Lahn-Dill e.V.")
    ['arbeiterwohlfahrt', 'kreisverband', 'lahn', 'dill']
    >>> name_key("Ev. Kirchengemeinde Niedergirmes")
    ['evangelische', 'kirchengemeinde', 'niedergirmes']

    Brackets are left out unless they hold the river or landscape of a place ("Frankfurt (Oder)"):

    >>> name_key("Frauenhaus Frankfurt (Oder)"), name_key("Internationaler Bund (IB)")
    (['frauenhaus', 'frankfurt', 'oder'], ['internationaler', 'bund'])
    """
    key = normalize_label(_JOINED_AFTER_HEAD.sub(r"\1 ", _PAREN.sub(_place_qualifier, name)))
    for legal in ("e v", "ggmbh co kg", "e k", "e kfm", "e kfr"):
        key = re.sub(rf"\b{legal}\b", " ", key)
    words = key.split()
    if words and words[0] == "ev":
        words[0] = "evangelische"
    church = bool(words) and words[0] in ("evangelische", "kath", "katholische")
    out = []
    for word in words:
        if word == "kg" and church:
            out.append("kirchengemeinde")
            continue
        if word in _LEGAL:
            continue
        out.extend(ACRONYMS.get(word, word).split())
    key = " ".join(out)
    for phrase, expansion in ACRONYMS.items():
        if " " in phrase and phrase in key:
            key = key.replace(phrase, expansion)
    return key.split()


def _place_qualifier(bracket):
    """A bracket of a name as it counts in `name_key`: a place's river or landscape stays ("(Oder)"), the rest goes."""
    return f" {bracket[1]} " if normalize_label(bracket[1]) in PLACE_QUALIFIERS else " "


def _place_words(name, region, places):
    """Words of hyphenated region compounds ("Lahn-Dill-Eder"), except district names in them."""
    found = set()
    for compound in re.findall(r"\w+(?:-\w+)+", clean_cell(name)):
        parts = normalize_label(compound).split()
        if any(p in region for p in parts):
            found.update(p for p in parts if p not in places)
    return found


# ---- splitting a cell into organisation names -------------------------------------------------------------------
#
# A weak separator (",", "/", "und", "&", "+") occurs inside many names: "Frauen in Arbeit und Wirtschaft e.V.",
# "Elektro Henne GmbH & Co. KG", "Actemium H&F GmbH", "Landkreis X, Der Landrat, Fachdienst Jugend". A cell is read
# as a list only when every piece is a complete organisation name of its own.

# Legal forms, folded (`normalize_label`, "e v" written "ev"). "AG", "KG", "eG", "SE", "e.K." name a legal form only
# at the end of a name ("AG Migration" is an Arbeitsgemeinschaft, "Ev. KG" a Kirchengemeinde).
_LEGAL_ANYWHERE = {"ev", "gmbh", "ggmbh", "mbh", "ug", "gug", "gbr", "ohg", "kgaa", "ekfm", "ekfr", "aoer", "kdoer",
                   "partg", "partgmbb", "aktiengesellschaft", "kommanditgesellschaft", "ltd", "inc",
                   "haftungsbeschraenkt"}
_LEGAL_AT_END = {"ag", "kg", "eg", "se", "ek"}
_LEGAL_GLUE = {"co", "cie", "und", "gemeinnuetzige", "gemeinnuetziger", "eingetragener", "verein"}  # in "GmbH & Co. KG"
_LEGAL_WORDS = _LEGAL_ANYWHERE | _LEGAL_AT_END | _LEGAL_GLUE  # a piece of only these is no name ("Co. KG")
# The legal-form words `name_key` sets aside: "und", "SE" and "e.K." stay words of the key.
_LEGAL = _LEGAL_WORDS - {"und", "se", "ek"} | {"e v", "ggmbh co kg"}
# The family of each legal form: "e.V.", "eV", "e. V." are one form; "e.V." and "gGmbH" are two legal entities.
_LEGAL_FAMILY = {"ev": "e.V.", "gmbh": "GmbH", "ggmbh": "GmbH", "mbh": "GmbH", "ug": "UG", "gug": "UG",
                 "gbr": "GbR", "ohg": "OHG", "kgaa": "KGaA", "kg": "KG", "kommanditgesellschaft": "KG",
                 "ag": "AG", "aktiengesellschaft": "AG", "eg": "eG", "se": "SE", "ek": "e.K.", "ekfm": "e.K.",
                 "ekfr": "e.K.", "aoer": "AöR", "kdoer": "KdöR", "partg": "PartG", "partgmbb": "PartG", "ltd": "Ltd.",
                 "inc": "Inc."}
_FOLDED_LEGAL = [(re.compile(r"\be v\b"), "ev"), (re.compile(r"\be k(fm|fr)?\b"), r"ek\1"),
                 (re.compile(r"\beingetragener verein\b"), "ev"),
                 (re.compile(r"\bgesellschaft mit beschraenkter haftung\b"), "gmbh")]
# Words that open the name of a part of an organisation, its office holder or owner, or its branch: after a comma
# or slash they continue the name before them ("Universität Rostock, Institut für …", "Trolli GmbH,
# Betriebsstätte Boizenburg", "DRK, Kreisverband Rostock e.V.", "Bäckerei X, Inh. Sandra Y e.K.").
_UNIT_WORDS = {"fachdienst", "fachbereich", "fachgebiet", "fachabteilung", "amt", "abteilung", "abt", "referat",
               "dezernat", "ref", "sachgebiet", "stabsstelle", "geschaeftsbereich", "gb", "bereich", "arbeitsbereich",
               "team",
               "institut", "lehrstuhl", "fakultaet", "professur", "klinik", "landesverband", "kreisverband",
               "ortsverband", "ortsverein", "ortsgruppe", "bezirksverband", "regionalverband", "stadtverband",
               "bezirk", "bezirksstelle", "lv", "kv", "ov", "zweigniederlassung", "niederlassung", "zweigstelle",
               "aussenstelle", "nebenstelle", "geschaeftsstelle", "betriebsstaette", "betriebsteil", "werk",
               "einrichtung", "standort", "filiale", "verbund", "inh", "inhaber", "inhaberin", "vertreten", "vertr",
               "lokalgruppe", "regionalgruppe", "landesgruppe", "beratungsstelle", "haus", "projekt",
               "landrat", "landraetin", "oberbuergermeister", "oberbuergermeisterin", "buergermeister",
               "buergermeisterin", "praesident", "praesidentin", "senator", "senatorin", "magistrat", "kreisausschuss",
               "gemeindevorstand", "vorstand", "rektor", "rektorin", "kanzler", "kanzlerin", "leitung"}
_UNIT_ENDINGS = ("standort", "niederlassung", "geschaeftsstelle", "aussenstelle", "zweigstelle", "nebenstelle",
                 "landesverband", "kreisverband", "ortsverband", "bezirksverband", "regionalverband", "ortsgruppe")
_OWNER_WORDS = {"inh", "inhaber", "inhaberin"}
_OFFICE_CODE = re.compile(r"^[IVX]{1,4}\s?[A-Z]?\s?\d{0,2}$")  # a unit's code in an administration: "III A", "II 3", "IV"
# Single words that name an office of an administration ("Jugendamt", "Ausländerbehörde"): a part of the name before.
_OFFICE_ENDINGS = ("amt", "behoerde", "abteilung", "referat", "dezernat", "fachdienst", "fachbereich")
# Head words of organisation names, as a word or the end of a compound: "Landkreis …", "Caritasverband …".
_ORG_HEADS = ("verein", "verband", "bund", "gesellschaft", "genossenschaft", "gemeinschaft", "stiftung", "kreis",
              "gemeinde", "ministerium", "verwaltung", "kammer", "agentur", "jobcenter", "schule", "schulen",
              "universitaet", "akademie", "institut", "zentrum", "werk", "kirche", "diakonie", "caritas", "club",
              "klub", "initiative", "forum", "netzwerk", "kita", "kindergarten", "museum", "archiv", "bibliothek",
              "theater", "klinik", "klinikum", "krankenhaus", "foundation", "university", "college", "amt", "behoerde",
              "dienst", "buero", "beirat", "holding", "senat", "jugendhilfe", "lebenshilfe", "hilfswerk")
# heads only as a word of their own: "Land Hessen", "Stadt Seestadt" (a place may end in "-stadt")
_ORG_HEAD_WORDS = {"land", "rat", "firma", "betrieb", "partei", "stadt", "hansestadt", "landeshauptstadt", "kreisstadt"}
# Kinds of facility: a word any two of them share ("Museum", "Theater"), no sign of one organisation
_FACILITY_KINDS = {"museum", "theater", "bibliothek", "archiv", "klinik", "klinikum", "krankenhaus", "schule", "kita",
                   "kindergarten", "frauenhaus", "jugendhaus", "jugendzentrum", "familienzentrum", "club", "klub"}
_NOT_HEADS = ("ehrenamt", "hauptamt", "handwerk", "gottesdienst", "freundeskreis", "umkreis", "bereich")
_DOTTED_LEGAL = re.compile(r"(?<!\w)(?:e\.\s?V\.?|e\.\s?K(?:fm|fr)?\.?)(?!\w)", re.IGNORECASE)  # "e. V.", "e. Kfm."
_CONJUNCTIONS = {"und", "sowie", "oder", "bzw", "bzw.", "&", "+"}
_LITTLE_WORDS = {"der", "die", "das", "des", "fuer", "und", "in", "im", "am", "von", "zu", "zur", "zum", "f", "u"}
_MAX_NAME_WORDS = 12  # a piece longer than this is a sentence, not a listed name


def _folded(text):
    """Folded words of a name with legal forms written as one word ("e.V." → "ev")."""
    key = normalize_label(_PAREN.sub(" ", text))
    for pattern, repl in _FOLDED_LEGAL:
        key = pattern.sub(repl, key)
    return key.split()


def _legal_words(words):
    """The legal-form words among folded `words`."""
    found = [w for w in words if w in _LEGAL_ANYWHERE]
    if words and words[-1] in _LEGAL_AT_END:
        found.append(words[-1])
    return found


def legal_forms(name):
    """The legal forms a name gives, one per family ("e.V."/"eV"/"e. V." are one; "GmbH & Co. KG" is a KG), also in
    brackets ("Theater Muster (GbR)"); a foundation ("…stiftung", "Stiftung …") without another form is a
    "Stiftung".

    Examples
    --------
    >>> sorted(legal_forms("Bildungswerk der Wirtschaft gGmbH")), sorted(legal_forms("Muster e. V."))
    (['GmbH'], ['e.V.'])
    >>> sorted(legal_forms("Elektro Muster GmbH & Co. KG")), sorted(legal_forms("Theater Muster (GbR)"))
    (['KG'], ['GbR'])
    >>> sorted(legal_forms("Innovationsstiftung Seestadt")), sorted(legal_forms("Stiftung Muster gGmbH"))
    (['Stiftung'], ['GmbH'])
    """
    words = _folded(name)
    for bracket in _PAREN.findall(name):
        if _only_legal(bracket):
            words += _folded(bracket)
    forms = {_LEGAL_FAMILY[w] for w in _legal_words(words) if w in _LEGAL_FAMILY}
    if "KG" in forms or "co" in words and ("kg" in words or "kommanditgesellschaft" in words):
        forms = {"KG"} | (forms - {"GmbH", "UG", "AG"})
    if not forms and any(w.endswith("stiftung") for w in normalize_label(name).split()):
        forms = {"Stiftung"}
    return forms


def _name_words(piece):
    """The words of a piece as written, without parentheses, legal forms and little function words."""
    out = []
    for token in _DOTTED_LEGAL.sub(" ", _PAREN.sub(" ", piece)).split():
        folded = _folded(token)
        if not folded or all(f in _LEGAL_WORDS for f in folded):
            continue
        if len(folded) == 1 and folded[0] in _LITTLE_WORDS:
            continue
        out.append(token)
    return out


def _only_legal(piece):
    """A piece that is only a legal form or its continuation: "Co. KG", "e.V.", "GmbH", "Co.KG Deutschland"."""
    words = _folded(piece)
    if not words:
        return True
    if words[0] in ("co", "cie"):
        return True
    return all(w in _LEGAL_WORDS for w in words)


def _has_legal(piece):
    return bool(_legal_words(_folded(piece)))


def _unit(piece):
    """A piece that names a part, office holder, owner or branch of the organisation before it: "Der Landrat",
    "Fachdienst Jugend", "Kreisverband Rostock e.V.", "Regionalstandort X", "Jugendamt", "Bistro Inh. Y". One that
    names its own parent ("Fachdienst Migration Lahn-Dill-Kreis") is a name of its own."""
    words = _folded(piece)
    if not words:
        return False
    if any(w in _OWNER_WORDS for w in words) or _OFFICE_CODE.match(piece.strip()):
        return True
    at = 1 if words[0] in ("der", "die", "das") and len(words) > 1 else 0
    first = words[at]
    if len(words) == 1 and first.endswith(_OFFICE_ENDINGS):
        return True
    if not (first in _UNIT_WORDS or first.endswith(_UNIT_ENDINGS)):
        return False
    rest = words[at + 1:]
    names_parent = any(w in _ORG_HEADS or w in _ORG_HEAD_WORDS for w in rest) and not _has_legal(piece)
    return not names_parent


def _place(piece):
    """A piece that gives an address, not an organisation ("HG Muster-Straße", "Am Markt 3")."""
    words = _folded(piece)
    return bool(words) and (words[-1].endswith(("strasse", "str", "weg", "platz", "allee", "damm", "gasse", "ufer"))
                            or words[-1].isdigit() and len(words) > 1)


def _abbreviates(short, name):
    """True when `short` is the initials of `name` ("ITS AG" after "Interact Tele Service Aktiengesellschaft")."""
    words = [w for w in _name_words(short)]
    if len(words) != 1 or not words[0].isupper():
        return False
    initials = "".join(w[0] for w in _name_words(name) if w[:1].isupper())
    return len(initials) >= 2 and words[0].lower() == initials.lower()


def _acronym(piece):
    """An abbreviation standing alone ("DRK", "IB", "WZB") or leading a short name ("ESF Plus", "IHK Lahn-Dill")."""
    words = _name_words(piece)
    if not words or len(words) > 3:
        return False
    first = words[0]
    return (2 <= len(first) <= 8 and first.replace("-", "").isalnum() and sum(c.isupper() for c in first) >= 2
            and first.upper() == first and not _only_legal(first) and (len(words) == 1 or len(first) <= 6))


def _has_head(piece):
    """The piece names an organisation by its kind: "Landkreis …", "Caritasverband …", "Land Hessen"; a single
    office word ("Jugendamt") is a part of an administration, not an organisation of its own."""
    words = _folded(piece)
    for word in words:
        if word.endswith(_NOT_HEADS):
            continue
        if word in _ORG_HEAD_WORDS or word in _ORG_HEADS:
            if len(_name_words(piece)) >= 2:
                return True
        elif word.endswith(_ORG_HEADS) and not (len(words) == 1 and word.endswith(_OFFICE_ENDINGS)):
            return True
    return False


def _complete(piece, is_known, *, loose):
    """True when a piece is an organisation name of its own: known, an abbreviation, a name with its own legal form
    and at least two words, or one with an organisation-type word; `loose` (a plain comma list) also takes a
    name of two or more words ("Code for Germany, OK Lab Berlin") and one unusual word with a legal form
    ("Nucleon e.V.", not "Wirtschaft e.V.")."""
    if is_known(piece) or _acronym(piece):
        return True
    words = _name_words(piece)
    if len(words) > _MAX_NAME_WORDS:
        return False
    if _has_legal(piece) and len(words) >= 2:
        return True
    if _has_head(piece):
        return True
    if not loose or not words or any(w.endswith("-") for w in words) or not (words[0][:1].isupper()
                                                                            or words[0][:1].isdigit()):
        return False
    return len(words) >= 2 or (_has_legal(piece) and _unusual(words[0]))


def _unusual(word):
    """A word that is no German word ("Nucleon", "CorrelAid"), unlike "Wirtschaft" or "Holzindustrie"."""
    from wordfreq import zipf_frequency

    return any(c.isupper() for c in word[1:]) or zipf_frequency(word.lower(), "de") < 1.5


@lru_cache(maxsize=1 << 16)  # a spelling recurs on many rows
def _tidy(name):
    """A name on one line (`one_name`) without stray punctuation at its ends: "Universität Rostock," →
    "Universität Rostock", "Muster GmbH." → "Muster GmbH", "Muster e.V:" → "Muster e.V.", and its legal form once:
    "Muster e.V. (e.V.)" → "Muster e.V."."""
    text = clean_cell(name)
    if "\n" in text:
        text = ", ".join(_strong_parts(text, _LINE_BREAK))
    text = re.sub(r"^[\s,;:/&+\-–—·•]+|[\s,;:/&+\-–—·•]+$", "", text)
    if re.search(r"\b(?:GmbH|gGmbH|mbH|KG|AG|UG|OHG|GbR|eG|SE)\.$", text, re.IGNORECASE):
        text = text[:-1]
    if re.search(r"\be\.\s?V$", text):
        text += "."
    if (doubled := _LAST_BRACKET.search(text)) and _only_legal(doubled[1]) and _folded(doubled[1]) \
            and legal_forms(doubled[1]) <= legal_forms(text[:doubled.start()]):
        text = text[:doubled.start()]
    return text


_LAST_BRACKET = re.compile(r"\s*\(([^()]*)\)$")


_POSTCODE_PLACE = re.compile(r"^(?:D\s?-\s?)?\d{5}\s+[A-ZÄÖÜ]")  # "66123 Saarbrücken", "D-35578 Wetzlar"
_POSTBOX = re.compile(r"^(?:Postfach|PF)\s*\d", re.IGNORECASE)
# A person's name: two or three capitalised words, a title or "Frau"/"Herr" before them ("Monika Steffen-Rettenmaier")
_PERSON = re.compile(r"(?:(?:Frau|Herr|Dr\.|Prof\.)\s+)*[A-ZÄÖÜ][a-zäöüßéè]+(?:-[A-ZÄÖÜ][a-zäöüßéè]+)?"
                     r"(?:\s+(?:von\s+|van\s+|de\s+)?[A-ZÄÖÜ][a-zäöüßéè]+(?:-[A-ZÄÖÜ][a-zäöüßéè]+)?){1,2}")


@lru_cache(maxsize=1 << 14)  # a provider cell recurs on many rows
def address_tail(text):
    """Split an organisation cell into its name and the contact details written after it: a person's name just
    before the address (personal data), and a street and house number, a postcode with its town or a post box.
    Returns ``(name, person, address)``; "" for what the cell does not have.

    Examples
    --------
    >>> address_tail("Neue Arbeit Saar gGmbH, Monika Muster, Bertha-von-Suttner-Straße 1, 66123 Saarbrücken")
    ('Neue Arbeit Saar gGmbH', 'Monika Muster', 'Bertha-von-Suttner-Straße 1, 66123 Saarbrücken')
    >>> address_tail("Landkreis Musterland, Der Landrat, Fachdienst Jugend")
    ('Landkreis Musterland, Der Landrat, Fachdienst Jugend', '', '')
    """
    pieces = [p.strip() for p in re.split(r",(?![^()]*\))", clean_cell(text))]
    for i, piece in enumerate(pieces[1:], start=1):
        if _POSTCODE_PLACE.match(piece) or _POSTBOX.match(piece) or ends_with_street_address(piece):
            first = i
            while first > 1 and _PERSON.fullmatch(pieces[first - 1]) and not (_has_head(pieces[first - 1])
                                                                                or _has_legal(pieces[first - 1])):
                first -= 1
            return ", ".join(pieces[:first]), ", ".join(pieces[first:i]), ", ".join(pieces[i:])
    return text, "", ""


def one_name(text):
    r"""A cell that names one organisation on one line: a name broken over lines is put together again, other lines
    are joined by ", " (a list of operations names one beneficiary per row, an organisation list one organisation).

    Examples
    --------
    >>> one_name("Albatros gemeinnützige Gesellschaft f. soz. u. ges.\nDienstleistungen mbH")
    'Albatros gemeinnützige Gesellschaft f. soz. u. ges. Dienstleistungen mbH'
    >>> one_name("Dr. med. Anna Muster\nDr. med. Berta Beispiel")
    'Dr. med. Anna Muster, Dr. med. Berta Beispiel'
    """
    return _tidy(text)


_STRONG_SEPARATOR = re.compile(r"(\s*(?:;|\n|\u2022|•)\s*)")
_LINE_BREAK = re.compile(r"(\s*\n\s*)")


def _strong_parts(text, separator=_STRONG_SEPARATOR):
    """Parts of a cell between ";", line breaks and bullets (or the `separator` given), with a name broken over
    lines put together again ("Muster-\nDarlehensfonds", "Muster Pflegedienste\nGmbH", a line that starts in
    lower case)."""
    pieces = separator.split(clean_cell(text))
    parts = []
    for i in range(0, len(pieces), 2):
        piece = pieces[i]
        sep = pieces[i - 1] if i else ""
        if parts and piece and parts[-1]:
            if "\n" in sep and parts[-1].endswith(("-", "–")):  # "Muster-\nFonds", "Stadt X –\nJugendamt"
                parts[-1] += (" " if parts[-1][-2:-1].isspace() else "") + piece.lstrip(" -–")
                continue
            last = parts[-1].split()[-1]
            # a line that ends in a little word, a comma or an abbreviation goes on in the next one:
            # "Senatsverwaltung für Wirtschaft, Technologie und\nFrauen", "… f. soz. u. ges.\nDienstleistungen mbH"
            broken = piece[:1] == "(" or piece[:1].islower() and last[:1].islower() or last.endswith(",") \
                or _folded(last)[-1:] in ([w] for w in _LITTLE_WORDS) \
                or last.endswith(".") and last[:1].islower() and not _only_legal(last)
            if "\n" in sep and broken or _only_legal(piece):
                parts[-1] += (" " if "\n" in sep else "; ") + piece
                continue
        parts.append(piece)
    return [p.strip(" -–") for p in parts if p.strip(" -–")]


def _split_part(part, is_known):
    """Split one part (no ";" or line break in it) at commas, "/", "und" … where each piece is a name of its own."""
    if is_known(part) or CODED_CATEGORY.match(part):
        return [part]
    pieces, seps = split_outside_parentheses(part)
    if not seps:
        return [part]
    groups = [[i, i] for i in range(len(pieces))]  # runs of pieces that form one name
    text = lambda g: "".join(p + s for p, s in zip(pieces[g[0]:g[1]], seps[g[0]:g[1]])) + pieces[g[1]]  # noqa: E731
    org_glued = {}  # separator -> True when an organisation rule kept the name whole at it after a piece that is
    # no name of its own, False for another organisation rule (a word rule is not counted)

    i = 0  # a run of pieces that is a known name stays whole, longest first
    while i < len(groups):
        for j in range(len(groups) - 1, i, -1):
            if is_known(text([groups[i][0], groups[j][1]]).strip()):
                groups[i:j + 1] = [[groups[i][0], groups[j][1]]]
                break
        i += 1

    def glue(left, sep, right, tail):
        """0: a separator; 1: inside one name (a word rule); 2: inside one name (an organisation rule);
        3: inside one name, and the left piece is no name of its own (so is a comma list it closes)."""
        left, right, kind = left.strip(), right.strip(), sep.strip().lower()
        # a legal form written in lower case ("Muster gGmbH") does not end a phrase the way a lower-case word does
        masked = re.sub(r"\S+$", "GmbH", left) if _legal_words(_folded(left.split()[-1] if left else "")) else left
        if belongs_together(masked, sep, right):
            return 1
        if is_known(left) and is_known(right):
            return 0
        if kind in ("&", "+") or _only_legal(right) or (not is_known(right) and (_unit(right) or _place(right))) \
                or _abbreviates(right, left) or _abbreviates(left, right) \
                or right[:1].islower() and not _acronym(right):
            return 2
        if kind != ",":
            if tail is not None and _unit(tail):
                return 2  # "…, Ref. 3 Verwaltungsbehörde und Bescheinigungsbehörde": both are the unit's
            if not _complete(left, is_known, loose=False):
                return 3
            if _has_legal(right) and not _has_legal(left) and not is_known(left):
                return 2  # "Frauen in Arbeit und Wirtschaft e.V.", "Anna Muster und Ben Muster GbR"
            if not _complete(right, is_known, loose=False):
                return 2
        return 0

    i = 0
    while i < len(groups) - 1:
        at = groups[i][1]
        tail = pieces[at] if groups[i][0] != at else None  # the last piece of a name put together already
        how = glue(text(groups[i]), seps[at], text(groups[i + 1]), tail)
        if how:
            if how >= 2:
                org_glued[at] = how == 3
            groups[i:i + 2] = [[groups[i][0], groups[i + 1][1]]]
            i = max(i - 1, 0)
        else:
            i += 1
    # "A, B und C GmbH", "Ministerium für A, B und C": an "und" inside the name that closes an enumeration, or
    # follows a piece that is no name of its own, takes the commas of that enumeration into the name.
    real = {g[1] for g in groups[:-1]}
    for at, incomplete_left in sorted(org_glued.items()):
        closing = not any(r > at and seps[r].strip() == "," for r in real)
        if seps[at].strip().lower() not in _CONJUNCTIONS or not (closing or incomplete_left):
            continue
        k = at - 1
        while k >= 0 and seps[k].strip() == ",":
            real.discard(k)
            k -= 1
    cuts = sorted(real)
    bounds = [-1] + cuts + [len(pieces) - 1]
    names = [text([bounds[n] + 1, bounds[n + 1]]).strip(" -–") for n in range(len(bounds) - 1)]
    if len(names) < 2:
        return [part]
    loose = all(seps[c].strip() == "," for c in cuts)
    if all(_complete(n, is_known, loose=loose) for n in names):
        return names
    return [part]


def split_org_list(text, is_known):
    """Split a cell that lists organisations.

    ``;`` and line breaks separate (a name broken over two lines, or a legal form on a line of its own, is put
    together again). Commas, "/", "und", "&" and "+" occur inside names ("Frauen in Arbeit und Wirtschaft e.V.",
    "Muster GmbH & Co. KG", "Landkreis X, Der Landrat, Fachdienst Jugend", "Hessisches Ministerium für Arbeit,
    Integration, Jugend und Soziales"); they separate only when every piece is a complete organisation name:
    known (from the providers sheet or other rows), an abbreviation, a name with its own legal form, or one with an
    organisation-type word ("Stadt …", "…verband"); in a plain comma list also a name of several words. A piece
    that is only a legal form ("Co. KG"), a department, office holder, owner or branch ("Der Landrat", "Fachdienst
    Jugend", "Inh. …", "Kreisverband …") or the initials of the name before it belongs to that name; "&" and "+"
    join two names only when both are known. Stray punctuation at the ends of a name is removed.

    Examples
    --------
    >>> known = {"Caritas", "AWO"}.__contains__
    >>> split_org_list("AWO, Caritas und DRK", known)
    ['AWO', 'Caritas', 'DRK']
    >>> split_org_list("Koordinationsbüro für Jugend und Soziales", known)
    ['Koordinationsbüro für Jugend und Soziales']
    >>> split_org_list("Frauen in Arbeit und Wirtschaft e.V.", known)
    ['Frauen in Arbeit und Wirtschaft e.V.']
    >>> split_org_list("Muster Holzbau GmbH & Co. KG", known)
    ['Muster Holzbau GmbH & Co. KG']
    >>> split_org_list("Landkreis Musterland, Der Landrat, Fachdienst Jugend", known)
    ['Landkreis Musterland, Der Landrat, Fachdienst Jugend']
    >>> split_org_list("Stadt Musterstadt und Landkreis Musterland", known)
    ['Stadt Musterstadt', 'Landkreis Musterland']
    """
    out = []
    for part in _strong_parts(text):
        out.extend(_split_part(part, is_known))
    return [name for name in (_tidy(n) for n in out) if name]


@dataclass
class OrgName:
    """One spelling of an organisation as it occurs in the data."""

    text: str
    official: bool = False  # a row of the providers sheet
    aliases: tuple = ()  # short names given for it in the providers sheet
    words: list = field(default_factory=list)
    content: set = field(default_factory=set)
    places: set = field(default_factory=set)  # district names in the name
    qualifiers: set = field(default_factory=set)  # place or branch words: districts, their adjectives, directions
    forms: frozenset = frozenset()  # legal forms ("e.V.", "GmbH"): two forms, two legal entities
    levels: frozenset = frozenset()  # administrative levels ("Stadt", "Kreis")
    tiers: frozenset = frozenset()  # tiers of an association ("Landesverband", "Kreisverband")
    regional: frozenset = frozenset()  # region words set aside as place ("strelitz" in "Mecklenburg-Strelitz")
    initials: frozenset = frozenset()  # single letters ("N+P", "c-"): left out of `words`, but they tell names apart


_SEEN_WORDS = {}  # word -> in how many names it occurs (set per resolve_organisations call)


def _covered(word, others):
    """True when `word` is one of `others`, a prefix of one ("caritas" in "caritasverband") or a typo of one.

    A typo is a near spelling (rapidfuzz ratio ≥ 88, at most two letters apart: "Präzisionsdrehteile" is no
    typo of "Präzisionsteile") of which one side occurs in a single name only: "Harburger" and "Hamburger" each
    occur in several names, so neither is a typo of the other.
    """
    for other in others:
        short, long_ = sorted((word, other), key=len)
        if word == other or (len(short) >= 4 and long_.startswith(short) and len(short) * 2 >= len(long_)
                             and short not in _LEVELS and _only_an_ending(long_[len(short):])):
            return True
        if (len(word) >= 6 and len(other) >= 6 and fuzz.ratio(word, other) >= 88
                and Levenshtein.distance(word, other) <= 2
                and min(_SEEN_WORDS.get(word, 1), _SEEN_WORDS.get(other, 1)) <= 1):
            return True
    return False


# What a word may add to another and still be the same name: an inflection ("Türkisch|er") or the kind of
# organisation ("Caritas|verband", "Diakonie|werk"); "Pflege|sonne" or "Land|rat" is another name.
_INFLECTIONS = {"e", "en", "er", "es", "em", "ern", "r", "s", "n", "in", "innen", "ische", "ischer", "isches",
                "ischen", "isch"}
_KIND_SUFFIXES = ("verband", "verbund", "verein", "werk", "werke", "dienst", "dienste", "zentrum", "centrum",
                  "center", "gesellschaft", "stiftung", "stift", "bund", "gemeinde", "haus", "heim", "stelle",
                  "staette", "buero", "hilfe", "einrichtung", "institut", "schule", "akademie", "kreis", "initiative",
                  "netzwerk", "gruppe", "kammer", "agentur", "projekt", "forum", "treff", "club")


def _only_an_ending(rest):
    """True when `rest`, what a longer word adds to a shorter one, is an inflection or a kind of organisation."""
    if rest in _INFLECTIONS:
        return True
    for link in ("", "s", "es", "n", "e"):
        if rest.startswith(link) and rest[len(link):] in _KIND_SUFFIXES:
            return True
    return False


def _compound_part(word, words, others):
    """True when `word` and a neighbour in `words` are written as one word in `others` ("Kinder-Hospiz" /
    "Kinderhospiz"), or `word` is two neighbours of `others` written as one."""
    for i, w in enumerate(words):
        if w == word and (i + 1 < len(words) and w + words[i + 1] in others or i and words[i - 1] + w in others):
            return True
    return any(a + b == word for a, b in zip(others, others[1:]))


def _conflict(a, b):
    """Why two names with the same words may still be two organisations, or None: different administrative
    levels ("Stadt" / "Landkreis"), different legal forms ("e.V." / "gGmbH"), different tiers of an association,
    different regional qualifiers ("Landesverband" / "Mecklenburg-Strelitz") or letters only one name gives
    ("Theater N.N. Hamburg" / "Hamburger Theater")."""
    if a.levels and b.levels and a.levels != b.levels:
        return Phrase("row.org.levels", a=" ".join(sorted(a.levels)), b=" ".join(sorted(b.levels)))
    if a.forms and b.forms and not a.forms & b.forms:
        return Phrase("row.org.legal_forms", a=" ".join(sorted(a.forms)), b=" ".join(sorted(b.forms)))
    if a.tiers and b.tiers and a.tiers != b.tiers:
        return Phrase("row.org.branches", a=" ".join(sorted(a.tiers)), b=" ".join(sorted(b.tiers)))
    if a.regional and b.regional and a.regional != b.regional:
        return Phrase("row.org.branches", a=" ".join(sorted(a.regional)), b=" ".join(sorted(b.regional)))
    # "Theater N.N. Hamburg" / "Hamburger Theater"; not "f & w fördern und wohnen" / "fördern und wohnen"
    if letters := {i for x, y in ((a, b), (b, a)) for i in x.initials - y.initials
                   if not any(w.startswith(i) for w in y.words)}:
        return Phrase("row.org.one_extra", extra=" ".join(sorted(letters)).upper())
    for upper, lower in ((a, b), (b, a)):
        if upper.tiers & _UPPER_TIERS and not lower.tiers & _UPPER_TIERS and (lower.regional - upper.regional
                                                                               or lower.tiers):
            return Phrase("row.org.branches", a=" ".join(sorted(upper.tiers)),
                          b=" ".join(sorted(lower.tiers | (lower.regional - upper.regional))))
    return None


def compare_names(a, b):
    """Compare two prepared names.

    Returns
    -------
    tuple of (str, float, graph.texts.Phrase)
        Verdict ``"same"``, ``"proposal"`` or ``"different"``, a score 0–100 and the
        reason (``row.org.*``).
    """
    if not a.words or not b.words:  # only a legal form or a generic word ("Co. KG", "Der Landrat"): no name
        return "different", 0.0, Phrase("row.org.words", a=" ".join(a.words) or a.text, b=" ".join(b.words) or b.text)
    verdict, score, reason = _compare_words(a, b)
    if verdict == "same" and (conflict := _conflict(a, b)) is not None:
        return "proposal", min(score, 75.0), conflict
    return verdict, score, reason


def _compare_words(a, b):
    if a.initials and b.initials and a.initials != b.initials:  # "N+P Informationssysteme" / "c-Informationssysteme"
        return "different", 40.0, Phrase("row.org.words", a=" ".join(sorted(a.initials)), b=" ".join(sorted(b.initials)))
    if a.words == b.words:
        return "same", 100.0, Phrase("row.org.same_name")
    numbers_a = {w for w in a.words if w.isdigit()}
    numbers_b = {w for w in b.words if w.isdigit()}
    if numbers_a and numbers_b and not numbers_a & numbers_b:
        return "different", 40.0, Phrase("row.org.numbers", a=" ".join(sorted(numbers_a)), b=" ".join(sorted(numbers_b)))
    if a.places and b.places and a.places != b.places:
        return "different", 40.0, Phrase("row.org.districts", a=" ".join(sorted(a.places)), b=" ".join(sorted(b.places)))
    if a.qualifiers != b.qualifiers and a.qualifiers and b.qualifiers:
        return "different", 40.0, Phrase("row.org.branches", a=" ".join(sorted(a.qualifiers)),
                                          b=" ".join(sorted(b.qualifiers)))
    ca = a.content or set(a.words)
    cb = b.content or set(b.words)
    only_a = sorted(w for w in ca if not _covered(w, b.words))
    only_b = sorted(w for w in cb if not _covered(w, a.words))
    if only_a and only_b and not ([w for w in only_a if not _compound_part(w, a.words, b.words)]
                                  and [w for w in only_b if not _compound_part(w, b.words, a.words)]):
        # one compound written as one word or two ("Kinder-Hospiz" / "Kinderhospiz"): for the user to judge
        score = round(fuzz.token_set_ratio(" ".join(sorted(ca)), " ".join(sorted(cb))), 1)
        return "proposal", min(score, 80.0), Phrase("row.org.one_extra", extra=" ".join(only_a + only_b))
    score = round(fuzz.token_set_ratio(" ".join(sorted(ca)), " ".join(sorted(cb))), 1)
    if only_a and only_b:
        return "different", min(score, 60.0), Phrase("row.org.words", a=" ".join(only_a), b=" ".join(only_b))
    # one name has words of its own, the other a region of its own ("Landkreis A-Stadt, Fachdienst Jugend" /
    # "Landkreis Vorpommern-Rügen Fachdienst Jugend"): two bodies
    extra_region = sorted((b.regional if only_a else a.regional) - set(a.words if only_a else b.words))
    if (only_a or only_b) and extra_region:
        return "different", min(score, 60.0), Phrase("row.org.words", a=" ".join(only_a or extra_region),
                                                     b=" ".join(only_b or extra_region))
    qualified = a if a.qualifiers else b
    bare = b if qualified is a else a
    elsewhere = set(only_b if bare is b else only_a) | (bare.regional - set(qualified.words))
    if a.qualifiers != b.qualifiers and len(elsewhere) == 1 == len(qualified.qualifiers):
        # the other name has one word of its own where one names its place: another place ("… Aachen" / "… Merseburg")
        return "different", min(score, 60.0), Phrase("row.org.districts", a=" ".join(sorted(qualified.qualifiers)),
                                                     b=" ".join(sorted(elsewhere)))
    if a.qualifiers != b.qualifiers and not (qualified.official and not bare.official):
        # the providers sheet names the branch; a short form without place refers to it ("IB" → "IB Südwest")
        extra = " ".join(sorted(a.qualifiers | b.qualifiers))
        return "proposal", min(score, 75.0), Phrase("row.org.one_branch", extra=extra)
    if only_a or only_b:
        extra = " ".join(only_a or only_b)
        return "proposal", min(score, 80.0), Phrase("row.org.one_extra", extra=extra)
    if a.places != b.places:
        return "proposal", 80.0, Phrase("row.org.one_district", district=" ".join(sorted(a.places | b.places)))
    extras = [w for w in b.words if not _covered(w, a.words)] + [w for w in a.words if not _covered(w, b.words)]
    if len(a.words) == len(b.words) <= 3 and set(a.words) != set(b.words) and _swapped(a.words, b.words) \
            and not (_has_head(a.text) or _has_head(b.text)):
        # a short name's words only alike and in another order: "André Schulz" / "Schulze André" are two people
        return "proposal", min(score, 75.0), Phrase("row.org.words", a=" ".join(a.words), b=" ".join(b.words))
    if extras:
        return "same", 95.0, Phrase("row.org.same_words_extra", extra=" ".join(extras))
    return "same", 98.0, Phrase("row.org.same_words")


def _swapped(words, others):
    """True when the words of one name that the other covers stand there in another order."""
    at = [next((j for j, other in enumerate(others) if _covered(word, [other])), None) for word in words]
    at = [j for j in at if j is not None]
    return at != sorted(at)


@dataclass
class OrgResolution:
    """Clusters of names that denote one organisation."""

    canonical: dict  # name text -> canonical name text
    variants: dict  # canonical -> sorted list of other names
    merges: list  # dicts: canonical, variant, score, reason (a graph.texts.Phrase)
    proposals: list  # dicts: a, b, score, reason (a Phrase; pending a user decision), most useful first, at most REVIEW_LIMIT
    iris: dict  # canonical -> IRI local name
    more_proposals: list = field(default_factory=list)  # the rest, behind "mehr"

    def resolve(self, text):
        """Canonical name of a spelling (itself when unknown)."""
        key = _tidy(text)
        return self.canonical.get(key, key)


def _qualifiers(words, places, region):
    """Place and branch words of a name: districts and their adjective forms ("harburger"), directions, and the
    word after a marker ("Standort Eppendorf"); the municipality itself (`region`) is not a qualifier."""
    found = set()
    for i, word in enumerate(words):
        base = word[:-2] if word.endswith("er") and word[:-2] in places else word
        if base in region:
            continue
        if base in places or word in DIRECTIONS:
            found.add(base)
        elif i > 0 and words[i - 1] in _PLACE_MARKERS and not word.isdigit() and word not in _GENERIC:
            found.add(word)
    return found


def _prepare(names, region, places):
    prepared = {}
    for entry in names:
        key = name_key(entry.text)
        entry.words = [w for w in key if len(w) > 1 or w.isdigit()]  # "f & w": initials
        entry.initials = frozenset(w for w in key if len(w) == 1 and not w.isdigit())
        generic = _GENERIC | region | _place_words(entry.text, region, places)
        entry.places = {w for w in entry.words if w in places and w not in generic}
        entry.qualifiers = _qualifiers(entry.words, places, region)
        entry.content = {w for w in entry.words if w not in generic and w not in places and not w.isdigit()
                         and w not in entry.qualifiers and w not in DIRECTIONS}
        entry.forms = frozenset(legal_forms(entry.text))
        entry.levels = frozenset(_LEVELS[w] for w in entry.words if w in _LEVELS)
        entry.tiers = frozenset(_TIERS[w] for w in entry.words if w in _TIERS)
        entry.regional = frozenset(_place_words(entry.text, region, places) - region)
        prepared[entry.text] = entry
    return prepared


def _candidate_pairs(prepared):
    """Pairs worth comparing: they share a content-word prefix, and in a large block their
    content words are nearly a subset of each other (rapidfuzz ``token_set_ratio`` ≥ 90 in a
    vectorised ``cdist``). Two names that both name a place or branch, different ones, are
    never compared: they are different organisations (`compare_names`), and a chain with a
    branch in every town ("Caritasverband Auhabur", "Caritasverband Bachmerha", …) would
    otherwise make pairs quadratic in the number of towns.
    """
    blocks = defaultdict(set)
    for text, entry in prepared.items():
        for word in entry.content or set(entry.words):
            blocks[word[:4]].add(text)
        for alias in entry.aliases:
            blocks["alias:" + normalize_label(alias)].add(text)
    keys = {text: " ".join(sorted(entry.content or entry.words)) for text, entry in prepared.items()}
    pairs = set()
    for members in blocks.values():
        if len(members) > _LARGEST_BLOCK:  # a word in thousands of names says nothing about identity
            continue
        by_qualifiers = defaultdict(list)
        for text in sorted(members):
            by_qualifiers[frozenset(prepared[text].qualifiers)].append(text)
        bare = by_qualifiers.pop(frozenset(), [])
        compare = _all_pairs if len(members) <= _SMALL_BLOCK else partial(_similar_pairs, keys)
        pairs |= compare(bare, bare)
        for qualified in by_qualifiers.values():
            pairs |= compare(qualified, qualified) | compare(bare, qualified)
    return sorted(pairs)


def _all_pairs(rows, columns):
    return {tuple(sorted((a, b))) for a in rows for b in columns if a != b}


def _similar_pairs(keys, rows, columns):
    """The pairs of `rows` × `columns` whose content words (`keys`: name → its sorted words) nearly contain
    each other."""
    if not rows or not columns:
        return set()
    workers = -1 if len(rows) * len(columns) > 100_000 else 1  # threads only pay off on large ones
    scores = process.cdist([keys[t] for t in rows], [keys[t] for t in columns], scorer=fuzz.token_set_ratio,
                           score_cutoff=90, workers=workers)
    return {tuple(sorted((rows[i], columns[j]))) for i, j in zip(*scores.nonzero()) if rows[i] != columns[j]}


def resolve_organisations(names, *, region=(), places=(), decisions=None, threshold=90):
    """Cluster organisation names.

    Parameters
    ----------
    names : list of OrgName
        Every distinct spelling, the providers sheet's rows marked `official`.
    region : iterable of str
        Normalised words of the municipality's and its county's names (set aside).
    places : iterable of str
        Normalised words of its district names: two names with different districts are
        different organisations.
    decisions : dict, optional
        ``{"same": [[a, b], …], "different": [[a, b], …]}`` from the user.
    threshold : float
        Lowest score at which a "same" verdict merges automatically.

    Returns
    -------
    OrgResolution

    Examples
    --------
    >>> r = resolve_organisations([OrgName("Arbeiterwohlfahrt KV Lahn-Dill e.V.", official=True),
    ...                            OrgName("AWO"), OrgName("Stadt Wetzlar – Jugendamt"),
    ...                            OrgName("Stadt Wetzlar – Sozialamt")], region={"wetzlar", "lahn", "dill"})
    >>> r.resolve("AWO")
    'Arbeiterwohlfahrt KV Lahn-Dill e.V.'
    >>> r.resolve("Stadt Wetzlar – Jugendamt") == r.resolve("Stadt Wetzlar – Sozialamt")
    False
    """
    decisions = decisions or {}
    region = set(region) - _CITYWIDE_WORDS
    same_pairs = {frozenset(normalize_label(x) for x in pair) for pair in decisions.get("same", [])}
    different_pairs = {frozenset(normalize_label(x) for x in pair) for pair in decisions.get("different", [])}
    unique = {}
    for entry in names:
        text = _tidy(entry.text)
        if not text:
            continue
        known = unique.setdefault(text, OrgName(text))
        known.official |= entry.official
        known.aliases = tuple(dict.fromkeys(known.aliases + tuple(clean_cell(a) for a in entry.aliases if clean_cell(a))))
    prepared = _prepare(unique.values(), set(region), set(places))
    parent = {text: text for text in prepared}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    has_official = {text: entry.official for text, entry in prepared.items()}  # per cluster root
    key_of = {text: normalize_label(text) for text in prepared}
    by_key = defaultdict(list)
    for text, key in key_of.items():
        by_key[key].append(text)
    cannot = []  # pairs of spellings the user said are different organisations
    for pair in different_pairs:
        if len(pair) == 2:
            key_a, key_b = tuple(pair)
            cannot.extend((x, y) for x in by_key.get(key_a, []) for y in by_key.get(key_b, []))

    qualifiers = {text: ({frozenset(e.qualifiers)} if e.qualifiers else set()) for text, e in prepared.items()}
    # per cluster root: the legal forms, administrative levels, association tiers and regional words its names give
    kinds = {text: {k: ({getattr(e, k)} if getattr(e, k) else set()) for k in ("forms", "levels", "tiers", "regional")}
             for text, e in prepared.items()}

    def join(a, b, *, user=False):
        """Union the clusters of a and b unless the user said two of their names differ, or (without the user)
        the clusters name different places or branches (no chain "West" – "ASB" – "Nordost")."""
        ra, rb = find(a), find(b)
        if ra == rb or any({find(x), find(y)} == {ra, rb} for x, y in cannot):
            return False
        if not user and qualifiers[ra] and qualifiers[rb] and qualifiers[ra] != qualifiers[rb]:
            return False
        if not user and any(kinds[ra][k] and kinds[rb][k] and kinds[ra][k] != kinds[rb][k] for k in kinds[ra]):
            return False  # no chain "X e.V." – "X" – "X gGmbH", "Stadt X" – "X" – "Landkreis X"
        parent[rb] = ra
        has_official[ra] = has_official[ra] or has_official[rb]
        qualifiers[ra] = qualifiers[ra] | qualifiers[rb]
        for k in kinds[ra]:
            kinds[ra][k] = kinds[ra][k] | kinds[rb][k]
        return True

    frequency = defaultdict(int)  # in how many names a word occurs
    for entry in prepared.values():
        for word in set(entry.words):
            frequency[word] += 1
    common = max(5, len(prepared) // 50)
    _SEEN_WORDS.clear()
    _SEEN_WORDS.update(frequency)

    def telling(a, b):
        """A proposal needs a shared rare word or several shared words ("Stadt Köln" / "OK Lab Köln" share only
        the city, which many names carry)."""
        shared = [w for w in (prepared[a].content or set(prepared[a].words)) if _covered(w, prepared[b].words)]
        if len(shared) == 1 and shared[0] in _FACILITY_KINDS:
            return False  # "Museum Bautzen" / "Lessing Museum": two museums share only the kind
        rarity = [max([frequency[w]] + [frequency[o] for o in prepared[b].words if _covered(w, [o])]) for w in shared]
        return len(shared) >= 2 or any(f < common for f in rarity)

    merges, proposals = [], []
    # Short names from the providers sheet are certain.
    alias_of = {}
    for text, entry in prepared.items():
        for alias in entry.aliases:
            alias_of[normalize_label(alias)] = text
    for text in sorted(prepared):
        target = alias_of.get(key_of[text])
        if target and target != text and not prepared[text].official and join(target, text):
            merges.append({"canonical": target, "variant": text, "score": 100.0,
                           "reason": Phrase("row.org.short_name")})
    user_pairs = {tuple(sorted((x, y))) for pair in same_pairs if len(pair) == 2
                  for x in by_key.get(min(pair), []) for y in by_key.get(max(pair), [])}  # compared whatever their places
    for a, b in sorted(set(_candidate_pairs(prepared)) | user_pairs):
        pair_key = frozenset((key_of[a], key_of[b]))
        if pair_key in different_pairs or find(a) == find(b):
            continue
        if pair_key in same_pairs:
            verdict, score, reason = "same", 100.0, Phrase("row.org.user")
        else:
            verdict, score, reason = compare_names(prepared[a], prepared[b])
        # Two clusters that each hold a row of the providers sheet stay apart unless the user says otherwise.
        clash = has_official[find(a)] and has_official[find(b)] and pair_key not in same_pairs
        if verdict == "same" and score >= threshold and not clash:
            if join(a, b, user=pair_key in same_pairs):
                merges.append({"pair": (a, b), "score": score, "reason": reason})
        elif verdict != "different" and score >= _PROPOSAL_MIN_SCORE and telling(a, b):
            proposals.append({"a": a, "b": b, "score": score, "reason": reason if verdict == "proposal" else
                              Phrase("row.org.both_listed", reason=reason),
                              "_rank": _usefulness(prepared[a], prepared[b], score, frequency)})
    clusters = defaultdict(list)
    for text in prepared:
        clusters[find(text)].append(text)
    canonical, variants, iris, used = {}, {}, {}, set()
    for members in clusters.values():
        official = [m for m in members if prepared[m].official]
        chosen = max(official or members, key=lambda m: (len(m), m))
        variants[chosen] = sorted(m for m in members if m != chosen)
        for m in members:
            canonical[m] = chosen
        slug = slugify(chosen)
        if slug in used:
            slug = f"{slug}-{short_hash(chosen, length=6)}"
        used.add(slug)
        iris[chosen] = slug
    for merge in merges:
        if "pair" in merge:
            a, b = merge.pop("pair")
            merge["canonical"] = canonical[a]
            merge["variant"] = b if canonical[a] != b else a
        else:
            merge["canonical"] = canonical[merge["canonical"]]
    proposals = sorted((p for p in proposals if canonical[p["a"]] != canonical[p["b"]]),
                       key=lambda p: (-p.pop("_rank"), -p["score"], p["a"], p["b"]))
    _SEEN_WORDS.clear()
    return OrgResolution(canonical, variants, merges, proposals[:REVIEW_LIMIT], iris, proposals[REVIEW_LIMIT:])


def merge_reasons(merges, canonical):
    """Why the variants of `canonical` were merged into it, each reason once, in each language.

    Parameters
    ----------
    merges : list of dict
        `OrgResolution.merges`.
    canonical : str
        A canonical name.

    Returns
    -------
    dict
        ``{"de": …, "en": …}``: the reasons, sorted and joined by "; ".

    Examples
    --------
    >>> merge_reasons([{"canonical": "AWO", "reason": Phrase("row.org.short_name")}], "AWO")["en"]
    'short name given in the providers list'
    """
    reasons = {m["reason"] for m in merges if m["canonical"] == canonical}
    return {lang: "; ".join(sorted({r.message(lang) for r in reasons})) for lang in LANGUAGES}


def _usefulness(a, b, score, frequency):
    """How much a proposal is worth a reviewer's minute: the rarer the shared words and the fewer the words
    that differ, the likelier one organisation; a name that only adds a place or branch ranks too."""
    shared = (a.content or set(a.words)) & (b.content or set(b.words))
    rarity = sum(1.0 / frequency.get(w, 1) for w in shared)
    differing = len(set(a.words) ^ set(b.words))
    return round(score / 100 + 2 * rarity - 0.3 * differing, 3)
