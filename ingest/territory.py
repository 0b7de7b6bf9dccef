"""Which municipality a workbook describes, and its areas (districts).

Areas come from, in this order: the workbook's districts sheet; the territory scheme
bundled in ``ontology/territories`` when the municipality is known there (Wetzlar),
written into the store by the import that names it, so a store holds only its own
territory; the areas earlier imports of the same municipality took from their data; the
place values of the data themselves, each with a warning. A workbook of any city, county
or state works without code changes: for a state (an ESF "Liste der Vorhaben" of a Land)
the places are its municipalities.
"""

import csv
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from rdflib import Namespace, URIRef
from rdflib.namespace import SKOS

from knotenpunkt.graph.texts import Phrase
from knotenpunkt.ingest.concepts import Concept
from knotenpunkt.ingest.places import PlaceIndex, place_key, place_name
from knotenpunkt.ingest.text import clean_cell, normalize_label, slugify
from knotenpunkt.ontology import TERRITORIES_DIR, territory_files, territory_graph
from knotenpunkt.ontology.namespace import ID, KP

__all__ = ["City", "CITYWIDE_LABELS", "KINDS", "kind_of", "known_cities", "detect_city", "stored_territories",
           "Territory"]

# Words coordinators write for "the whole municipality"; every city concept gets them.
CITYWIDE_LABELS = ("stadtweit", "gesamtstädtisch", "Gesamtstadt", "ganze Stadt", "alle Stadtteile", "Stadtgebiet",
                   "gesamtes Stadtgebiet", "alle Sozialräume", "gemeindeweit", "gesamte Gemeinde", "überall",
                   "stadtteilübergreifend", "sozialraumübergreifend", "quartiersübergreifend", "bezirksübergreifend",
                   "alle Bezirke", "alle Ortsteile", "alle Quartiere", "gesamtes Gebiet", "landesweit", "kreisweit",
                   "flächendeckend", "citywide", "city-wide", "mehrere Orte", "verschiedene Orte", "diverse Orte",
                   "wechselnde Orte", "mehrere Standorte", "verschiedene Standorte", "alle Stadtbezirke", "überregional",
                   "bundesweit", "deutschlandweit")
_CITYWIDE_KEYS = frozenset(normalize_label(label) for label in CITYWIDE_LABELS)
# Kinds of territory an import can be about (`City.kind`, written as the city concept's kp:areaType); "Gebiet" when
# it is not known. The word in front of a name says the kind ("Landkreis Gießen"), else the places file, else Stadt.
# A city-state (Berlin, Hamburg) is a Land and one municipality at once: its places are Bezirke and Stadtteile.
# A nationwide list is about the federation ("Bund": Deutschland), its places Länder and towns.
KINDS = ("Stadt", "Gemeinde", "Kreis", "Land", "Region", "Stadtstaat", "Bund")
_UNKNOWN_KIND = "Gebiet"
_KIND_WORDS = {"stadt": "Stadt", "kreisstadt": "Stadt", "grosse kreisstadt": "Stadt", "hansestadt": "Stadt",
               "universitaetsstadt": "Stadt", "landeshauptstadt": "Stadt", "kreisfreie stadt": "Stadt",
               "gemeinde": "Gemeinde", "markt": "Gemeinde", "marktgemeinde": "Gemeinde",
               "landkreis": "Kreis", "kreis": "Kreis", "land": "Land", "bundesland": "Land", "freistaat": "Land",
               "region": "Region", "staedteregion": "Region", "regionalverband": "Region", "stadtstaat": "Stadtstaat"}
_NAME = r"([A-ZÄÖÜ][\w\-äöüß]+(?:\s+(?:an der|am|im|ob der)\s+[A-ZÄÖÜ][\w\-äöüß]+)?)"
# "Stadt X", "Landkreis X" in organisation names: a municipality's own offices
_TITLE_CITY = re.compile(r"\b(Stadt|Gemeinde|Landkreis|Kreis|Markt|Kreisstadt|Hansestadt|Universitätsstadt)\s+" + _NAME)
# in title lines also "Land X", "Freistaat X", "Region X" and a county's own name ("Main-Kinzig-Kreis")
_TITLE_TERRITORY = re.compile(r"\b(Stadt|Gemeinde|Landkreis|Kreis|Markt|Kreisstadt|Hansestadt|Universitätsstadt|"
                              r"Landeshauptstadt|Bundesland|Land|Freistaat|Städteregion|Region)\s+" + _NAME +
                              r"|\b([A-ZÄÖÜ][\w\-äöüß]*-Kreis)\b")
# kind of territory -> kind of its places
_AREA_TYPE = {"Bund": "Ort", "Land": "Gemeinde", "Kreis": "Gemeinde", "Region": "Ort", "Gemeinde": "Ortsteil",
              "Stadtstaat": "Stadtteil", _UNKNOWN_KIND: "Ort"}


@dataclass(frozen=True)
class City:
    """The municipality (or county, or state) of an import: name, IRI slug, kind, and its bundled scheme and
    concept if any."""

    name: str
    slug: str
    scheme: str | None = None  # bundled territory scheme IRI
    concept: str | None = None  # the city's own area concept
    kind: str = "Stadt"  # one of KINDS, or "Gebiet" when the territory is not known

    @property
    def base(self):
        """Namespace of this municipality's instance data."""
        return Namespace(f"{ID}{self.slug}/")

    @property
    def known(self):
        """False for the stand-in of an import whose territory was not recognised."""
        return self.slug != _UNKNOWN.slug

    @property
    def kind_key(self):
        """The kind as the texts name it: "stadt", "gemeinde", "kreis", "land", "region"; "other" for a kind of its
        own, "unknown" for the stand-in of a territory not recognised."""
        return "unknown" if not self.known else self.kind.lower() if self.kind in KINDS else "other"

    @property
    def designation(self):
        """The name as a user gives it (``--city``, a mapping file's ``city``), with its kind when the name alone
        would read as another: `detect_city` reads it back as this territory.

        Examples
        --------
        >>> [City(n, "x", kind=k).designation for n, k in (("Gießen", "Kreis"), ("Hessen", "Land"), ("Bremen", "Stadt"))]
        ['Landkreis Gießen', 'Hessen', 'Stadt Bremen']
        """
        land = _gazetteer().get(normalize_label(self.name))
        if (_split_designation(self.name)[1] or (land[1] if land else "Stadt")) == self.kind or not self.known:
            return self.name
        return f"{'Landkreis' if self.kind == 'Kreis' else self.kind} {self.name}"

    def phrase(self):
        """The territory as a user reads it, "Land: Hessen" (``label.territory.<kind_key>``), as a `Phrase`.

        Examples
        --------
        >>> City("Hessen", "hessen", kind="Land").phrase().message("de")
        'Land: Hessen'
        >>> City("Gießen", "giessen", kind="Kreis").phrase().message("en")
        'District: Gießen'
        """
        return Phrase("label.territory." + self.kind_key, name=self.name)

    def whole_labels(self):
        """Words for the whole territory that name it: "berlinweit", "ganz Berlin"."""
        return [f"{self.name}weit", f"ganz {self.name}"] if self.known else []


_UNKNOWN = City("Kommune", "kommune", kind=_UNKNOWN_KIND)


def kind_of(area_type):
    """The kind of territory (one of `KINDS`) a territory's own area type or designation names, or None.

    Only for the territory of an import (the scheme's ``kp:municipality``): its parts have types of their own
    ("Kernstadt", "Stadtteil").

    Examples
    --------
    >>> kind_of("Landkreis"), kind_of("Land"), kind_of("Kreisfreie Stadt"), kind_of("Städteregion"), kind_of("Stadtteil")
    ('Kreis', 'Land', 'Stadt', 'Region', None)
    """
    key = normalize_label(area_type or "")
    if key in _KIND_WORDS:
        return _KIND_WORDS[key]
    last = key.rsplit(" ", 1)[-1]
    return next((kind for end, kind in (("kreis", "Kreis"), ("stadt", "Stadt"), ("gemeinde", "Gemeinde"),
                                         ("bundesland", "Land"), ("region", "Region")) if last.endswith(end)), None)


def _split_designation(name):
    """A territory's name and the kind its designation says: "Landkreis Gießen" → ("Gießen", "Kreis"),
    "Main-Kinzig-Kreis" → ("Main-Kinzig-Kreis", "Kreis"), "Wetzlar" → ("Wetzlar", None)."""
    name = clean_cell(name)
    words = name.split()
    for n in (2, 1):
        if len(words) > n and (kind := _KIND_WORDS.get(normalize_label(" ".join(words[:n])))):
            return " ".join(words[n:]), kind
    if len(words[-1:]) and normalize_label(words[-1]).endswith("kreis") and normalize_label(words[-1]) != "kreis":
        return name, "Kreis"
    return name, None


def _scheme_concepts(g, scheme):
    """The concepts of a scheme in an rdflib graph with their labels, for a `ConceptIndex`."""
    out = []
    for c in sorted(set(g.subjects(SKOS.inScheme, URIRef(scheme)))):
        prefs = {(label.language or "de"): str(label) for label in g.objects(c, SKOS.prefLabel)}
        labels = [(str(label), kind) for prop, kind in ((SKOS.prefLabel, "pref"), (SKOS.altLabel, "alt"),
                                                         (SKOS.hiddenLabel, "hidden"))
                  for label in sorted(g.objects(c, prop))]
        out.append((Concept(str(c), prefs.get("de") or prefs.get("en", ""), prefs.get("en") or prefs.get("de", "")),
                    labels))
    return out


@lru_cache(maxsize=1)
def known_cities():
    """Municipalities with a bundled territory scheme (``ontology/territories``): tuple of (City, labels)."""
    out = []
    for slug in territory_files():
        g = territory_graph(slug)
        for scheme, city in g.subject_objects(KP.municipality):
            labels = frozenset(str(label) for prop in (SKOS.prefLabel, SKOS.altLabel) for label in g.objects(city, prop))
            name = min((label for label in labels if normalize_label(label) == slug), default=slug.title(), key=len)
            kind = kind_of(g.value(city, KP.areaType)) or "Stadt"
            out.append((City(name, slug, str(scheme), str(city), kind), labels))
    return tuple(out)


def _places_file():
    with open(TERRITORIES_DIR / "places-de.tsv", encoding="utf-8") as f:
        return [row for row in csv.reader((line for line in f if not line.startswith("#")), delimiter="\t")
                if len(row) >= 2]


@lru_cache(maxsize=1)
def _gazetteer():
    """German Länder, city-states and large cities: normalised name → (name, kind), from places-de.tsv."""
    out = {}
    for row in _places_file():
        for label in _names(row):
            out.setdefault(normalize_label(label), (row[0], row[1]))
    return out


def _names(row):
    """A row of places-de.tsv's names: its name and its other names."""
    return [row[0], *filter(None, (row[2] if len(row) > 2 else "").split(","))]


@lru_cache(maxsize=1)
def _boroughs():
    """The Bezirke of the city-states in places-de.tsv (fourth column): place key → (city name, Bezirk)."""
    return {place_key(part): (row[0], part.strip()) for row in _places_file() if len(row) > 3
            for part in row[3].split(",") if part.strip()}


def _other_lands(city):
    """Place keys of the Länder other than the territory itself (none for the federation). The places file does not
    say which Land a city lies in, so for a city every Land is another."""
    if city.kind == "Bund":
        return frozenset()
    own = place_key(city.name)
    return frozenset(place_key(label) for row in _places_file()
                     if row[1] in ("Land", "Stadtstaat") and place_key(row[0]) != own for label in _names(row))


def _words_name(texts):
    """The Land or large city named as a word sequence in file names or titles, the most frequent: (name, kind),
    the kind as the word in front says it ("angebote_landkreis_giessen.csv": the county, not the city); Germany
    ("Frauenhäuser in Deutschland") only when no Land or city is named."""
    found = Counter()
    gazetteer = _gazetteer()
    for text in texts:
        words = normalize_label(text).split()
        for n in (4, 3, 2, 1):
            for i in range(len(words) - n + 1):
                if (hit := gazetteer.get(" ".join(words[i:i + n]))) is not None:
                    said = _KIND_WORDS.get(words[i - 1]) if i else None
                    found[(hit[0], said or hit[1])] += 1
    if len(found) > 1:
        found = Counter({k: n for k, n in found.items() if k[1] != "Bund"})
    return found.most_common(1)[0][0] if found else None


def _dominant(values, *, least=2):
    """The value that most rows name, when it stands out (at least `least` times, twice the next)."""
    counts = Counter(normalize_label(v) for v in values if normalize_label(v))
    if not counts:
        return None
    (top, n), *rest = counts.most_common(2)
    if n < least or (rest and rest[0][1] * 2 > n):
        return None
    return next(clean_cell(v) for v in values if normalize_label(v) == top)


def detect_city(store, *, explicit=None, titles=(), org_names=(), places=()):
    """Find the municipality (or county, or state) an import is about, and its kind.

    In this order: the user's answer; a municipality with a bundled territory named in the
    title lines, sheet or file names; "Stadt X" / "Landkreis X" / "Land X" or a county's own
    name ("Main-Kinzig-Kreis") in the title lines; a Land or large city named in them
    ("ESF-Berlin-2014-2020.csv"); the place most rows of the data name (a "Stadtteil" or
    "Ort" column that says "Hamburg" in most rows); "Stadt X" in the organisation names when
    one city stands out (a city's own offices are "Stadt X – Jugendamt"). Otherwise
    "Kommune", with the advice to say it with --city.

    The kind (`City.kind`) is what the designation says ("Landkreis Gießen", "--city 'Land
    Bremen'"), else what the places file says of the name (a Land, a large city), else
    "Stadt"; "Gebiet" when the territory is not known.

    Parameters
    ----------
    store : graph.store.Store
        Unused; kept for the callers.
    explicit : str, optional
        The user's answer (``--city``); a bundled city's name or any new name, with its
        designation if it is no city ("Landkreis Gießen", "Land Bremen", "Region Hannover").
    titles : iterable of str
        Title lines above the tables, sheet names and file names.
    org_names : iterable of str
        Organisation names from the tables.
    places : iterable of str
        The place values of the data (district, place and city columns).

    Returns
    -------
    tuple of (City, graph.texts.Phrase)
        The city and how it was found (for the report, ``row.city.*``).

    Examples
    --------
    >>> [(c.name, c.kind) for c, _ in (detect_city(None, explicit=e) for e in ("Landkreis Gießen", "Hessen", "Lahnau"))]
    [('Gießen', 'Kreis'), ('Hessen', 'Land'), ('Lahnau', 'Stadt')]
    """
    cities = known_cities()
    titles, org_names, places = list(titles), list(org_names), list(places)

    def named(name, how, kind=None):
        designation = name
        if (land := _gazetteer().get(normalize_label(name))) is None:  # else "Land Hessen", "Freie Hansestadt Bremen"
            name, said = _split_designation(name)
            kind = said or kind
            land = _gazetteer().get(normalize_label(name))
        else:  # "Land Hessen", "Freie und Hansestadt Hamburg": the territory's own name
            name = designation = land[0]
        key = normalize_label(name)
        for city, labels in cities:
            if key in {normalize_label(label) for label in labels} | {city.slug} and kind in (None, city.kind):
                return city, how
        if land and land[1] == "Land" and kind == "Region":  # EU lists name the Land by its NUTS word "Region"
            kind = "Land"
        if land and land[1] == "Stadtstaat" and kind in ("Land", "Stadt", "Region"):  # "Land Berlin", "Stadt Hamburg"
            kind = "Stadtstaat"
        kind = kind or (land[1] if land else "Stadt")
        slug = slugify(name)
        if any(slug == city.slug for city, _ in cities):  # "Landkreis X" beside a bundled city X: IRIs of its own
            slug = slugify(f"{kind} {name}" if designation == name else designation)
        return City(clean_cell(name), slug, kind=kind), how

    if explicit:
        return named(explicit, Phrase("row.city.given"))
    keys = [normalize_label(t) for t in titles]
    for city, _ in cities:
        if any(re.search(rf"\b{re.escape(city.slug)}\b", k) for k in keys):
            return city, Phrase("row.city.title")
    found = Counter((m[2] or m[3], _KIND_WORDS[normalize_label(m[1])] if m[1] else "Kreis")
                    for t in titles if (m := _TITLE_TERRITORY.search(clean_cell(t))))
    if found:
        name, kind = found.most_common(1)[0][0]
        return named(name, Phrase("row.city.title_named", name=name), kind)
    if hit := _words_name(titles):
        return named(hit[0], Phrase("row.city.title_or_file_named", name=hit[0]), hit[1])
    # each value of a place cell ("Mitte; Berlin": a Bezirk column and an Ort column), its town without a postcode
    # and district ("22145 Hamburg-Rahlstedt" → "Hamburg")
    cells = [[re.split(r"\s*[-–,/(]\s*", re.sub(r"^\d{5}\s+", "", v))[0] for v in re.split(r"\s*[;|\n]\s*", p)
              if v.strip()] for p in map(clean_cell, places) if p]
    local = [values[0] for values in cells if values]
    # a Land or large city that half of the rows with a place name at least
    known = [v for values in cells for v in dict.fromkeys(values) if normalize_label(v) in _gazetteer()]
    if (name := _dominant(known, least=max(2, len(cells) // 2))) is not None or \
            (name := _dominant(local, least=max(10, len(local) // 2))):
        return named(name, Phrase("row.city.places", name=name))
    found = [(m[2], m[1]) for t in org_names if (m := _TITLE_CITY.search(clean_cell(t)))]
    mentions = [name for name, _ in found]
    # half of the mentions and one in fifty rows at least: a Land's list names the offices of many towns, one of
    # them a few times more, and a national list names a city's offices in a handful of its thousand rows
    least = max(3, len(mentions) // 2, sum(1 for t in org_names if clean_cell(t)) // 50)
    if (name := _dominant(mentions, least=least)) is not None:
        said = Counter(_KIND_WORDS[normalize_label(word)] for n, word in found if normalize_label(n) == normalize_label(name))
        return named(name, Phrase("row.city.organisations", name=name), said.most_common(1)[0][0])
    return _UNKNOWN, Phrase("row.city.unknown")


def stored_territories(store):
    """The territories whose areas a store holds (the schemes' ``kp:municipality``), as `City` objects.

    The kind is read from the territory's ``kp:areaType`` ("Land", "Landkreis", "Stadt"); a store written
    before it said one, or with a type of its own, gets the kind the places file gives the name, else "Gebiet".

    Parameters
    ----------
    store : graph.store.Store

    Returns
    -------
    list of City
        Sorted by name; empty for a store without data.
    """
    rows = store.select(
        """SELECT ?scheme ?city (SAMPLE(?label) AS ?name) (SAMPLE(?type) AS ?kind) WHERE {
             ?scheme kp:municipality ?city .
             OPTIONAL { ?city skos:prefLabel ?label FILTER(lang(?label) IN ("de", "")) }
             OPTIONAL { ?city kp:areaType ?type }
           } GROUP BY ?scheme ?city""")
    out = []
    for row in rows:
        iri = str(row["city"])
        slug = iri[len(str(ID)):].split("/", 1)[0] if iri.startswith(str(ID)) else slugify(iri.rsplit("/", 1)[-1])
        name = str(row["name"]) if row["name"] else iri.rsplit("/", 1)[-1]
        land = _gazetteer().get(normalize_label(name))
        kind = kind_of(row["kind"]) or (land[1] if land else _UNKNOWN_KIND)
        out.append(City(name, slug, str(row["scheme"]), iri, kind))
    return sorted(out, key=lambda c: normalize_label(c.name))


class Territory:
    """The areas of one municipality and a matcher for district free text.

    ``source`` says where the areas come from: ``"bundled"`` (a scheme shipped in
    ``ontology/territories``, whose triples are in `lines` for the import to write) or
    ``"data"`` (a districts sheet, earlier imports of the same municipality, the place
    values of the data). The areas this import declares (new ones, and stored ones it uses)
    are collected in `new_concepts` for the importer to write.
    """

    def __init__(self, store, city, *, threshold=85, user_mapping=None):
        self.city = city
        self.scheme = city.scheme or str(city.base["gebiet"])
        self.new_concepts = {}  # iri -> dict(label, area_type, broader, alt)
        self.lines = []
        self._known = {}  # areas earlier imports of this municipality took from their data
        self._ancestors = set()
        if city.scheme:
            g = territory_graph(city.slug)
            self.index = PlaceIndex(_scheme_concepts(g, city.scheme), threshold=threshold, user_mapping=user_mapping,
                                    outside=_other_lands(city))
            self.city_concept = city.concept
            self.index.add(self.index.by_iri[city.concept], [*CITYWIDE_LABELS, *city.whole_labels()])
            self.source = "bundled"
            self._ancestors = {str(a) for a in g.transitive_objects(URIRef(city.concept), SKOS.broader)} - {city.concept}
            self.lines = [line for line in g.serialize(format="nt").splitlines() if line.strip()]
        else:
            self.index = PlaceIndex([], threshold=threshold, user_mapping=user_mapping, outside=_other_lands(city))
            self.city_concept = str(city.base["gebiet/" + city.slug])
            self.index.add(Concept(self.city_concept, city.name, city.name),
                           [city.name, *CITYWIDE_LABELS, *city.whole_labels()])
            self.new_concepts[self.city_concept] = {"label": city.name, "area_type": city.kind, "broader": None,
                                                    "alt": list(CITYWIDE_LABELS)}
            self.source = "data"
            known = {str(city.base["gebiet/" + slugify(name)]): {"label": name, "area_type": "Bezirk",
                                                                 "broader": self.city_concept, "alt": []}
                     for owner, name in _boroughs().values() if owner == city.name}  # Berlin's, Hamburg's Bezirke
            known |= _stored_areas(store, self.scheme)
            for iri, facts in known.items():
                if iri != self.city_concept:
                    self.index.add(Concept(iri, facts["label"], facts["label"]), [facts["label"], *facts["alt"]])
                    self._known[iri] = facts

    def local_name(self, text):
        """A place value without a postcode, kind words after a comma and the municipality's name in front:
        "Hamburg-Klein Flottbek" → "Klein Flottbek", "22145 Hamburg" → "Hamburg", "Potsdam, Stadt" → "Potsdam".

        The municipality's name stays when the rest only continues it ("Brandenburg an der Havel",
        "Frankfurt (Oder)"): a lower-case word or a parenthesis after a space, unless the rest is a word for the
        whole territory ("Berlin mehrere Orte").

        Examples
        --------
        >>> t = Territory.__new__(Territory); t.city = City("Hamburg", "hamburg")
        >>> t.local_name("Hamburg-Klein Flottbek"), t.local_name("22145 Hamburg"), t.local_name("Hamburger Straße")
        ('Klein Flottbek', 'Hamburg', 'Hamburger Straße')
        >>> t.local_name("Hamburg mehrere Orte")
        'mehrere Orte'
        >>> t.city = City("Brandenburg", "brandenburg", kind="Land")
        >>> t.local_name("Brandenburg an der Havel, Stadt"), t.local_name("Brandenburg, Stadt")
        ('Brandenburg an der Havel', 'Brandenburg')
        """
        text = place_name(clean_cell(text))
        name = re.escape(self.city.name)
        rest = re.sub(rf"^(?i:{name})(?:\s*[-–,/:]\s*(?=\w)|\s+(?=[A-ZÄÖÜ0-9]))", "", text)
        if rest == text and (whole := re.sub(rf"^(?i:{name})\s+", "", text)) != text \
                and normalize_label(whole) in _CITYWIDE_KEYS:  # "Berlin mehrere Orte"
            return whole
        return rest or text

    def is_itself(self, text):
        """True when a place value names the territory itself ("Berlin", "10115 Berlin", "Potsdam, Stadt" in a
        list of Potsdam), not one of its areas nor a word for all of them ("stadtweit").

        Examples
        --------
        >>> t = Territory.__new__(Territory); t.city = City("Potsdam", "potsdam")
        >>> t.is_itself("14467 Potsdam, Stadt"), t.is_itself("stadtweit"), t.is_itself("Potsdam-Babelsberg")
        (True, False, False)
        """
        return place_key(self.local_name(text)) == place_key(self.city.name)

    def use(self, iri):
        """Note that the import uses an area; a stored area taken from earlier data is declared again."""
        if iri in self._known and iri not in self.new_concepts:
            self.new_concepts[iri] = self._known[iri]

    def add_area(self, name, area_type=None, broader=None):
        """Add an area from a districts sheet (or the data); return its IRI."""
        iri = str(self.city.base["gebiet/" + slugify(name)])
        if iri not in self.index.by_iri:
            self.index.add(Concept(iri, name, name), [name])
            self.new_concepts[iri] = {"label": name, "area_type": area_type or _AREA_TYPE.get(self.city.kind, "Stadtteil"),
                                      "broader": broader or self.city_concept, "alt": []}
        self.use(iri)
        return iri

    def name_words(self):
        """Words of area names, split into (region, places) for organisation matching.

        Region words name the municipality and the areas above it ("wetzlar", "lahn",
        "dill"); place words name its districts ("niedergirmes"). An organisation name
        may add a region word without becoming another organisation; two names with
        different district words are different organisations.
        """
        region_iris = {self.city_concept, *self._ancestors}
        region, places = set(), set()
        for key, iri in self.index.labels():
            (region if iri in region_iris else places).update(key.split())
        return region, places - region

    def scheme_ref(self):
        """The scheme IRI as an rdflib term."""
        return URIRef(self.scheme)


def _stored_areas(store, scheme):
    """Areas of a data territory that earlier imports wrote: IRI → label, alt labels, broader, type."""
    rows = store.select(
        """SELECT ?scheme ?c ?label ?alt ?broader ?type WHERE {
             ?c skos:inScheme ?scheme ; skos:prefLabel ?label .
             OPTIONAL { ?c skos:altLabel ?alt } OPTIONAL { ?c skos:broader ?broader } OPTIONAL { ?c kp:areaType ?type }
           }""", bindings={"scheme": URIRef(scheme)})
    out = {}
    for row in rows:
        facts = out.setdefault(row["c"], {"label": row["label"], "area_type": row["type"] or "Stadtteil",
                                          "broader": row["broader"], "alt": []})
        if row["alt"] and row["alt"] not in facts["alt"]:
            facts["alt"].append(row["alt"])
    return out
