"""Which municipality a workbook describes, and its areas (districts).

Areas come from, in this order: the workbook's districts sheet; the territory scheme
bundled in ``ontology/vocab`` when the municipality is known there (Wetzlar); the
district values of the data themselves, each with a warning. A workbook of any city
works without code changes.
"""

import re
from collections import Counter
from dataclasses import dataclass

from rdflib import Namespace, URIRef

from ingest.concepts import Concept, ConceptIndex
from ingest.text import clean_cell, normalize_label, slugify
from ontology.namespace import ID

__all__ = ["City", "CITYWIDE_LABELS", "known_cities", "detect_city", "Territory"]

# Words coordinators write for "the whole municipality"; every city concept gets them.
CITYWIDE_LABELS = ("stadtweit", "gesamtstädtisch", "Gesamtstadt", "ganze Stadt", "alle Stadtteile", "Stadtgebiet",
                   "gesamtes Stadtgebiet", "alle Sozialräume", "gemeindeweit", "gesamte Gemeinde", "überall",
                   "citywide", "city-wide")
_TITLE_CITY = re.compile(r"\b(?:Stadt|Gemeinde|Landkreis|Kreis|Markt|Kreisstadt|Hansestadt|Universitätsstadt)\s+"
                         r"([A-ZÄÖÜ][\w\-äöüß]+(?:\s+(?:an der|am|im|ob der)\s+[A-ZÄÖÜ][\w\-äöüß]+)?)")


@dataclass(frozen=True)
class City:
    """The municipality of an import: name, IRI slug, and its bundled scheme and concept if any."""

    name: str
    slug: str
    scheme: str | None = None  # bundled territory scheme IRI
    concept: str | None = None  # the city's own area concept

    @property
    def base(self):
        """Namespace of this municipality's instance data."""
        return Namespace(f"{ID}{self.slug}/")


def known_cities(store):
    """Municipalities with a bundled territory scheme: list of (City, labels)."""
    rows = store.select(
        """SELECT ?scheme ?city ?label WHERE {
             ?scheme kp:municipality ?city .
             ?city skos:prefLabel|skos:altLabel ?label .
           }"""
    )
    cities = {}
    for row in rows:
        if row["city"] not in cities:
            slug = row["city"].rstrip("/").rsplit("/", 1)[-1]
            cities[row["city"]] = (row["scheme"], slug, set())
        cities[row["city"]][2].add(row["label"])
    out = []
    for iri, (scheme, slug, labels) in cities.items():
        name = min((label for label in labels if normalize_label(label) == slug), default=slug.title(), key=len)
        out.append((City(name, slug, scheme, iri), labels))
    return out


def detect_city(store, *, explicit=None, titles=(), org_names=()):
    """Find the municipality an import is about.

    In this order: the user's answer; a municipality with a bundled territory named in
    the title lines, sheet or file names; "Stadt X" / "Gemeinde X" in the title lines; the
    same in the organisation names (a city's own offices are "Stadt X – Jugendamt"),
    the most frequent one. Otherwise "Kommune", with the advice to say it with --city.

    Parameters
    ----------
    store : graph.store.Store
    explicit : str, optional
        The user's answer (``--city``); a bundled city's name or any new name.
    titles : iterable of str
        Title lines above the tables, sheet names and file names.
    org_names : iterable of str
        Organisation names from the tables.

    Returns
    -------
    tuple of (City, str)
        The city and how it was found (for the report).
    """
    cities = known_cities(store)
    if explicit:
        key = normalize_label(explicit)
        for city, labels in cities:
            if key in {normalize_label(label) for label in labels} | {city.slug}:
                return city, "angegeben"
        return City(clean_cell(explicit), slugify(explicit)), "angegeben"
    for texts, how in ((titles, "im Titel oder Dateinamen erkannt"), (org_names, "aus den Organisationsnamen")):
        keys = [normalize_label(t) for t in texts]
        for city, _ in cities:
            if any(re.search(rf"\b{re.escape(city.slug)}\b", k) for k in keys):
                return city, how
        found = Counter(m[1] for t in texts if (m := _TITLE_CITY.search(clean_cell(t))))
        if found:
            name = found.most_common(1)[0][0]
            return City(name, slugify(name)), f"{how}: „{name}“"
    return City("Kommune", "kommune"), "nicht erkannt – bitte mit --city angeben"


class Territory:
    """The areas of one municipality and a matcher for district free text.

    ``source`` says where the areas come from: ``"sheet"``, ``"bundled"`` or ``"data"``.
    New area concepts (from a districts sheet or the data) are collected in
    `new_concepts` for the importer to write.
    """

    def __init__(self, store, city, *, threshold=85, user_mapping=None):
        self.city = city
        self.scheme = city.scheme or str(city.base["gebiet"])
        self.new_concepts = {}  # iri -> dict(label, area_type, broader)
        self._ancestors = set()
        if city.scheme:
            self.index = ConceptIndex.from_store(store, city.scheme, threshold=threshold, user_mapping=user_mapping,
                                                 stems=False)
            self.city_concept = city.concept
            self.source = "bundled"
            self._ancestors = {row["a"] for row in store.select(
                "SELECT ?city ?a WHERE { ?city skos:broader+ ?a }", bindings={"city": URIRef(city.concept)})}
        else:
            self.index = ConceptIndex([], threshold=threshold, user_mapping=user_mapping, stems=False)
            self.city_concept = str(city.base["gebiet/" + city.slug])
            self.index.add(Concept(self.city_concept, city.name, city.name), [city.name, *CITYWIDE_LABELS])
            self.new_concepts[self.city_concept] = {"label": city.name, "area_type": "Stadt", "broader": None,
                                                    "alt": list(CITYWIDE_LABELS)}
            self.source = "data"

    def add_area(self, name, area_type=None, broader=None):
        """Add an area from a districts sheet (or the data); return its IRI."""
        iri = str(self.city.base["gebiet/" + slugify(name)])
        if iri not in self.index.by_iri:
            self.index.add(Concept(iri, name, name), [name])
            self.new_concepts[iri] = {"label": name, "area_type": area_type or "Stadtteil",
                                      "broader": broader or self.city_concept, "alt": []}
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
