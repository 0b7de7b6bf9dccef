"""Places: a territory's areas are proper names, matched exactly (`PlaceIndex`), and a place cell keeps an official
name whole ("Potsdam, Stadt", "Fürstenwalde/Spree")."""

import re

from knotenpunkt.graph.texts import Phrase
from knotenpunkt.ingest.concepts import ConceptIndex, Match
from knotenpunkt.ingest.text import normalize_label

__all__ = ["PlaceIndex", "PLACE_KIND_WORDS", "PLACE_QUALIFIERS", "is_one_place", "place_key", "place_name"]

# Kind words official municipality names carry after a comma ("Potsdam, Stadt", "Freiberg, Stadt,
# Universitätsstadt", "Hannover, Landeshauptstadt") or in front ("Hansestadt Rostock", "Markt Erlbach"):
# part of the place, never a place. A county ("Landkreis Görlitz", "Görlitz, Landkreis") is another territory
# than its town: its kind word keeps the place whole but is not dropped for matching.
PLACE_KIND_WORDS = frozenset({
    "stadt", "kreisfreie stadt", "kreisangehoerige stadt", "grosse kreisstadt", "grosse kreisangehoerige stadt",
    "mittlere kreisstadt", "kreisstadt", "landeshauptstadt", "hansestadt", "freie hansestadt", "universitaetsstadt",
    "hochschulstadt", "bergstadt", "kurort", "stadt und kurort", "gemeinde", "markt", "marktgemeinde", "flecken",
    "ortsgemeinde", "verbandsgemeinde", "samtgemeinde", "amt", "land", "bundesland", "freistaat"})
_COUNTY_WORDS = frozenset({"landkreis", "kreis", "stadtkreis", "regionalverband", "region", "staedteregion"})
_ALL_KIND_WORDS = PLACE_KIND_WORDS | _COUNTY_WORDS
# Rivers and landscapes official names carry after a slash ("Fürstenwalde/Spree", "Neukirch/Lausitz"); an
# abbreviation with a dot ("Jahnsdorf/Erzgeb.") is kept whole by the splitter already. Any other slash lists
# two places ("Simmern/Ohlweiler").
PLACE_QUALIFIERS = frozenset({
    "oder", "spree", "havel", "elbe", "elster", "saale", "main", "rhein", "mosel", "lahn", "dill", "donau", "neisse",
    "pleisse", "mulde", "dosse", "ruhr", "weser", "fulda", "werra", "ilm", "inn", "isar", "lech", "ems", "leine",
    "aller", "eider", "peene", "nahe", "sieg", "tauber", "neckar", "mark", "lausitz", "oberlausitz", "spreewald",
    "erzgebirge", "vogtland", "sachsen", "harz", "eifel", "westerwald", "rhoen", "altmark", "prignitz", "uckermark",
    "holstein", "anhalt", "taunus", "odenwald", "schwarzwald", "allgaeu", "pfalz", "hunsrueck", "ostsee", "nordsee",
    "ruegen", "usedom", "dithmarschen", "westfalen", "thueringen", "oberpfalz", "nordbahn"})
_POSTCODE_IN_FRONT = re.compile(r"^\s*(?:D-)?\d{5}\s+(?=\D)")
# What an official name adds to tell a place from others of its name: a river or landscape ("Ludwigshafen am
# Rhein", "Mülheim an der Ruhr", "Halle (Saale)", "Neumarkt i.d.OPf.", "Fürstenwalde/Spree"), on a `place_key`.
_QUALIFIER = re.compile(r"\s+(?:am|an der|an|auf der|in der|im|in|i|a)\s+\S.*$")
_IN_BRACKETS = re.compile(r"\s*\([^()]*\)\s*$")
# Words for a place outside the territory ("außerhalb", "außerhalb Berlins", "Umland").
_OUTSIDE = re.compile(r"^(?:au(?:ß|ss)erhalb|umland|outside)\b", re.IGNORECASE)
_SAINT = re.compile(r"\bst\b")


def _kind_tail(text):
    """The place of an official name with its kind words after commas ("Potsdam, Stadt" → ("Potsdam", True)),
    or (text, False) when a piece after a comma is no kind word."""
    pieces = [p.strip() for p in text.split(",")]
    kinds = [normalize_label(p) for p in pieces]
    if len(pieces) > 1 and kinds[0] not in _ALL_KIND_WORDS | {""} and all(k in _ALL_KIND_WORDS for k in kinds[1:]):
        county = any(k in _COUNTY_WORDS for k in kinds[1:])
        return (text if county else pieces[0]), True
    return text, False


def place_name(text):
    """A place value as a place is named: without a postcode in front and kind words after a comma.

    Examples
    --------
    >>> place_name("Potsdam, Stadt"), place_name("Freiberg, Stadt, Universitätsstadt"), place_name("55469 Simmern")
    ('Potsdam', 'Freiberg', 'Simmern')
    >>> place_name("Görlitz, Landkreis"), place_name("Frankfurt (Oder), Stadt")
    ('Görlitz, Landkreis', 'Frankfurt (Oder)')
    """
    text = _POSTCODE_IN_FRONT.sub("", " ".join(str(text).split()))
    return _kind_tail(text)[0]


def place_key(text):
    """The key two spellings of one place share: case, ß/ss, umlauts, hyphens and spaces, "St."/"Sankt",
    "a.d."/"an der", a postcode in front and a kind word ("Stadt", "Hansestadt", "Markt") in front or behind.

    A county keeps its kind word: "Landkreis Görlitz" is not the town of Görlitz.

    Examples
    --------
    >>> place_key("Potsdam, Stadt") == place_key("Stadt Potsdam") == place_key("14467 potsdam")
    True
    >>> place_key("St. Wendel") == place_key("Sankt-Wendel"), place_key("Neustadt a.d. Aisch")
    (True, 'neustadt an der aisch')
    >>> place_key("Landkreis Görlitz") == place_key("Görlitz")
    False
    """
    key = normalize_label(place_name(text))
    words = key.split()
    for n in (3, 2, 1):  # a kind word in front: "Stadt Wetzlar", "Freie Hansestadt Bremen"
        if len(words) > n and " ".join(words[:n]) in PLACE_KIND_WORDS:
            words = words[n:]
            break
    key = " ".join(words)
    key = re.sub(r"\ba d\b", "an der", key)
    return _SAINT.sub("sankt", key)


def _short_key(text):
    """The `place_key` of a place name without the qualifier of an official name ("Ludwigshafen am Rhein",
    "Halle (Saale)", "Fürstenwalde/Spree" → "ludwigshafen", "halle", "fuerstenwalde"), or None when it has none."""
    name = place_name(text)
    bare = _IN_BRACKETS.sub("", name)
    if bare == name and "/" in name and normalize_label(name.rsplit("/", 1)[1]) in PLACE_QUALIFIERS:
        bare = name.rsplit("/", 1)[0]
    key = place_key(text)
    short = place_key(bare) if bare != name else _QUALIFIER.sub("", key)
    return short if short and short != key else None


def is_one_place(text):
    """True when a place cell's text names one place in an official form a splitter would cut: kind words after
    a comma ("Potsdam, Stadt", "Fürstenwalde/Spree, Stadt"), a river or landscape after a slash
    ("Neuhausen/Spree").

    Examples
    --------
    >>> is_one_place("Freiberg, Stadt, Universitätsstadt"), is_one_place("Neuhausen/Spree")
    (True, True)
    >>> is_one_place("Mitte, Pankow"), is_one_place("Simmern/Ohlweiler"), is_one_place("Eisenhüttenstadt, Cottbus")
    (False, False, False)
    """
    name, tail = _kind_tail(_POSTCODE_IN_FRONT.sub("", " ".join(str(text).split())))
    if tail:
        return "," not in name or bool(re.search(r",\s*(?:Landkreis|Kreis)\b", name)) or name == text
    parts = name.split("/")
    return len(parts) == 2 and all(p.strip() for p in parts) and normalize_label(parts[1]) in PLACE_QUALIFIERS


class PlaceIndex(ConceptIndex):
    """A `ConceptIndex` of places (a territory's areas): proper names, matched exactly.

    A place matches by a label or by its `place_key` (case, umlauts, hyphens, "St.", a postcode in front, a kind
    word); a near spelling is almost always another place ("Kamenz" is not "Kamen"), so there is no fuzzy match:
    a text that matches nothing is ``unmapped`` with suggestions by spelling, for the importer to report or to add
    as a place of the data. A cell keeps an official name whole (`is_one_place`).

    A name without its qualifier is the place with that qualifier when the index holds only one such place
    ("Ludwigshafen" and "Ludwigshafen am Rhein"); two qualifiers that differ are two places ("Frankfurt am Main"
    is not "Frankfurt (Oder)").

    A text that says "outside" ("außerhalb") or names a place of `outside` (another Land) is ``outside``: no area.

    Examples
    --------
    >>> from knotenpunkt.ingest.concepts import Concept
    >>> potsdam = Concept("urn:gebiet:potsdam", "Potsdam", "Potsdam")
    >>> kamen = Concept("urn:gebiet:kamen", "Kamen", "Kamen")
    >>> index = PlaceIndex([(potsdam, [("Potsdam", "pref")]), (kamen, [("Kamen", "pref")])])
    >>> index.match("Potsdam, Stadt").concept.label_de, index.match("Kamenz").how
    ('Potsdam', 'unmapped')
    >>> index.add(Concept("urn:gebiet:lu", "Ludwigshafen am Rhein", "Ludwigshafen am Rhein"), ["Ludwigshafen am Rhein"])
    >>> index.match("Ludwigshafen").concept.label_de, index.match("Ludwigshafen (Bodensee)").how
    ('Ludwigshafen am Rhein', 'unmapped')
    """

    def __init__(self, concepts, *, outside=frozenset(), **kwargs):
        self._beyond = outside  # place keys of places outside the territory
        self._places = {}
        self._bare = {}  # a place key without its qualifier -> {the places' keys with one}
        kwargs["stems"] = False
        super().__init__(concepts, **kwargs)

    def _add_label(self, label, concepts, how, **kwargs):
        super()._add_label(label, concepts, how, **kwargs)
        if key := place_key(label):
            self._places.setdefault(key, (concepts, how))
            if short := _short_key(label):
                self._bare.setdefault(short, set()).add(key)

    def _place(self, text):
        """The places of a text: the same place key, or a name and the one place of that name with a qualifier."""
        if not (key := place_key(text)):
            return None
        if (found := self._places.get(key)) is not None:
            return found
        short = _short_key(text)
        if short is None:  # "Ludwigshafen" for the one "Ludwigshafen am Rhein"
            named = self._bare.get(key, ())
            return self._places[next(iter(named))] if len(named) == 1 else None
        if not self._bare.get(short):  # "Ludwigshafen am Rhein" for "Ludwigshafen"
            return self._places.get(short)
        return None

    def is_known(self, text):
        return is_one_place(text) or self._place(text) is not None or super().is_known(text)

    def _match(self, text):
        key = normalize_label(text)
        if key in self.user or self._by_label(text) is not None:
            return super()._match(text)
        if (found := self._place(text)) is not None:
            concepts, how = found
            return Match(text, concepts[0], how, concepts=concepts, explanation=Phrase("row.match.vocabulary"))
        if not key:
            return Match(text, None, "unmapped", 0.0)
        if _OUTSIDE.match(text) or place_key(text) in self._beyond:
            return Match(text, None, "outside", 0.0, explanation=Phrase("row.match.outside_territory"))
        return Match(text, None, "unmapped", 0.0, self.suggestions(key))
