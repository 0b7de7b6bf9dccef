"""The territory of an import and its kind: recognised from the user's answer, titles and names (`detect_city`),
read back from the store (`stored_territories`, older stores included), and said as a coordinator reads it."""

import pytest

from knotenpunkt.graph.store import Store
from knotenpunkt.graph.texts import say
from knotenpunkt.ingest.territory import City, Territory, detect_city, kind_of, stored_territories

ID = "https://w3id.org/knotenpunkt/id/"
KP = "https://w3id.org/knotenpunkt/def#"
SKOS = "http://www.w3.org/2004/02/skos/core#"


@pytest.mark.parametrize("given, name, kind", [
    ("Hessen", "Hessen", "Land"),  # a Land of the places file
    ("Land Bremen", "Bremen", "Land"),
    ("Stadt Bremen", "Bremen", "Stadt"),  # the city, not the Land of the same name
    ("Landkreis Gießen", "Gießen", "Kreis"),  # not the city of Gießen
    ("Kreis Offenbach", "Offenbach", "Kreis"),
    ("Main-Kinzig-Kreis", "Main-Kinzig-Kreis", "Kreis"),
    ("Region Hannover", "Hannover", "Region"),
    ("Gemeinde Lahnau", "Lahnau", "Gemeinde"),
    ("Lahnau", "Lahnau", "Stadt"),  # a name without designation: a city
    ("Wetzlar", "Wetzlar", "Stadt"),  # the bundled city
])
def test_the_users_answer_gives_name_and_kind(given, name, kind):
    city, how = detect_city(Store(), explicit=given)
    assert (city.name, city.kind, city.known) == (name, kind, True)
    assert how.key == "row.city.given"


@pytest.mark.parametrize("name, kind", [("Gießen", "Kreis"), ("Main-Kinzig-Kreis", "Kreis"), ("Hessen", "Land"),
                                        ("Bremen", "Land"), ("Bremen", "Stadt"), ("Hannover", "Region"),
                                        ("Lahnau", "Gemeinde"), ("Lahnau", "Stadt"), ("Wetzlar", "Stadt")])
def test_the_designation_reads_back_as_the_same_territory(name, kind):
    city, _ = detect_city(Store(), explicit=City(name, "x", kind=kind).designation)
    assert (city.name, city.kind) == (name, kind)


def test_a_county_beside_a_bundled_city_of_the_same_name_gets_iris_of_its_own():
    city, _ = detect_city(Store(), explicit="Landkreis Wetzlar")
    assert (city.kind, city.scheme) == ("Kreis", None) and city.slug != "wetzlar"


@pytest.mark.parametrize("titles, name, kind", [
    (["Liste der Vorhaben", "für die Region Schleswig-Holstein (DE)"], "Schleswig-Holstein", "Land"),  # EU: NUTS
    (["ESF im Land Bremen Liste der Vorhaben Stand der Daten 28.xlsx"], "Bremen", "Land"),
    (["2016-07-01_Liste_der_Vorhaben_Hessen.xlsx"], "Hessen", "Land"),
    (["angebote_landkreis_giessen.xlsx"], "Gießen", "Kreis"),  # the word in front of a known city's name
    (["angebote_giessen.xlsx"], "Gießen", "Stadt"),
    (["Integrationsangebote Landkreis Gießen – Stand 2025"], "Gießen", "Kreis"),
    (["Maßnahmen im Main-Kinzig-Kreis"], "Main-Kinzig-Kreis", "Kreis"),
    (["Bestandsaufnahme Stadt Lahnau 2025"], "Lahnau", "Stadt"),
    (["angebote_wetzlar.xlsx"], "Wetzlar", "Stadt"),
])
def test_titles_and_file_names_give_name_and_kind(titles, name, kind):
    city, _ = detect_city(Store(), titles=titles)
    assert (city.name, city.kind) == (name, kind)


def test_a_working_group_in_the_title_is_no_county():
    city, how = detect_city(Store(), titles=["Arbeitskreis Integration – Angebote"])
    assert not city.known and how.key == "row.city.unknown"


def test_a_countys_own_offices_name_the_county():
    names = ["Landkreis Gießen – Jugendamt", "Landkreis Gießen – Fachdienst Migration", "Landkreis Gießen", "Caritas"]
    city, how = detect_city(Store(), org_names=names)
    assert (city.name, city.kind, how.key) == ("Gießen", "Kreis", "row.city.organisations")


@pytest.mark.parametrize("area_type, kind", [
    ("Land", "Land"), ("Landkreis", "Kreis"), ("Kreis", "Kreis"), ("Stadt", "Stadt"), ("Kreisfreie Stadt", "Stadt"),
    ("Sonderstatusstadt", "Stadt"), ("Gemeinde", "Gemeinde"), ("Region", "Region"), ("Städteregion", "Region"),
    ("Stadtteil", None), ("Ortsteil", None), (None, None),
])
def test_kind_of_reads_a_territorys_area_type(area_type, kind):
    assert kind_of(area_type) == kind


@pytest.mark.parametrize("kind, de, en", [
    ("Land", "Land: Hessen", "State: Hessen"),
    ("Kreis", "Landkreis: Hessen", "District: Hessen"),
    ("Stadt", "Stadt: Hessen", "City: Hessen"),
    ("Gemeinde", "Gemeinde: Hessen", "Municipality: Hessen"),
    ("Region", "Region: Hessen", "Region: Hessen"),
    ("Gebiet", "Gebiet: Hessen", "Territory: Hessen"),  # a kind of its own
])
def test_the_territory_is_said_with_its_kind(kind, de, en):
    phrase = City("Hessen", "hessen", kind=kind).phrase()
    assert (say(phrase, "de"), say(phrase, "en")) == (de, en)


def test_a_territory_not_recognised_says_so_instead_of_a_name():
    city, _ = detect_city(Store())
    assert (say(city.phrase(), "de"), say(city.phrase(), "en")) == ("Gebiet: nicht erkannt", "Territory: not recognised")


@pytest.mark.parametrize("kind, place", [("Land", "Gemeinde"), ("Kreis", "Gemeinde"), ("Stadt", "Stadtteil"),
                                         ("Gemeinde", "Ortsteil"), ("Region", "Ort")])
def test_the_places_of_a_territory_are_of_its_kind(kind, place):
    territory = Territory(Store(), City("Musterland", "musterland", kind=kind))
    iri = territory.add_area("Bergheim")
    assert territory.new_concepts[iri]["area_type"] == place
    assert territory.new_concepts[territory.city_concept]["area_type"] == kind


def _store_with_territory(name, slug, area_type=None):
    """A store holding a territory scheme as an import writes it; without kp:areaType as older stores may."""
    city, scheme = f"{ID}{slug}/gebiet/{slug}", f"{ID}{slug}/gebiet"
    lines = [f'<{scheme}> <{KP}municipality> <{city}> .',
             f'<{city}> <{SKOS}inScheme> <{scheme}> .',
             f'<{city}> <{SKOS}prefLabel> "{name}"@de .']
    if area_type:
        lines.append(f'<{city}> <{KP}areaType> "{area_type}" .')
    store = Store()
    store.replace_graphs({f"{ID}{slug}/test": "\n".join(lines) + "\n"})
    return store


@pytest.mark.parametrize("name, slug, area_type, kind", [
    ("Gießen", "giessen", "Kreis", "Kreis"),
    ("Lahn-Dill-Kreis", "lahn-dill-kreis", "Landkreis", "Kreis"),  # a type in the municipality's own words
    ("Hessen", "hessen", "Land", "Land"),
    ("Lahnau", "lahnau", "Stadt", "Stadt"),
    ("Hessen", "hessen", None, "Land"),  # an older store without the type: the places file
    ("Lahnau", "lahnau", None, "Gebiet"),  # nothing known: a territory, no claim to be a city
    ("Lahnau", "lahnau", "Verbandsgemeinde", "Gemeinde"),
    ("Lahnau", "lahnau", "Amt", "Gebiet"),  # a type of its own
])
def test_the_store_gives_the_territory_with_its_kind(name, slug, area_type, kind):
    [city] = stored_territories(_store_with_territory(name, slug, area_type))
    assert (city.name, city.slug, city.kind) == (name, slug, kind)


def test_a_store_without_data_holds_no_territory():
    assert stored_territories(Store()) == []


def test_the_stand_in_of_an_unknown_territory_reads_back_as_unknown():
    [city] = stored_territories(_store_with_territory("Kommune", "kommune", "Stadt"))  # as older imports wrote it
    assert not city.known and say(city.phrase(), "de") == "Gebiet: nicht erkannt"
