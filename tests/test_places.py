"""Place cells as official lists and directories write them: one place per official name ("Potsdam, Stadt",
"Brandenburg an der Havel"), matched exactly (a near spelling is another town), the same outcome in every row,
the territory's own name as the whole territory, and a city-state's places as its Bezirke."""

import pytest

from knotenpunkt.graph.store import Store
from knotenpunkt.ingest import mapping as mapping_file
from knotenpunkt.ingest.concepts import Concept
from knotenpunkt.ingest.places import PlaceIndex, is_one_place, place_key
from knotenpunkt.ingest.importer import import_files
from knotenpunkt.ingest.territory import City, Territory, detect_city

SKOS = "http://www.w3.org/2004/02/skos/core#"
KP = "https://w3id.org/knotenpunkt/def#"


def _import(tmp_path, header, rows, city=None, dry_run=True, store=None):
    path = tmp_path / "liste.csv"
    path.write_text(";".join(header) + "\n" + "\n".join(";".join(r) for r in rows) + "\n", encoding="utf-8")
    return import_files([path], store or Store(), city=city, dry_run=dry_run)


def _districts(plan):
    return [[(e["text"], e["iri"].rsplit("/", 1)[-1] if e["iri"] else None) for e in r["mapped"]["districts"]]
            for r in plan.report["rows"]]


def _codes(plan, row):
    return [m["code"] for m in plan.report["rows"][row]["messages"] if "district" in m["code"]]


@pytest.mark.parametrize("text", ["Potsdam, Stadt", "Freiberg, Stadt, Universitätsstadt", "Hannover, Landeshauptstadt",
                                  "Fürstenwalde/Spree, Stadt", "Neuhausen/Spree", "Frankfurt (Oder), Stadt",
                                  "Görlitz, Landkreis"])
def test_an_official_name_with_its_kind_is_one_place(text):
    assert is_one_place(text)


@pytest.mark.parametrize("text", ["Mitte, Pankow", "Simmern/Ohlweiler", "Cottbus, Eisenhüttenstadt", "Stadt, Land"])
def test_a_list_of_places_is_no_official_name(text):
    assert not is_one_place(text)


@pytest.mark.parametrize("a, b", [("Potsdam, Stadt", "Stadt Potsdam"), ("14467 Potsdam", "potsdam"),
                                  ("St. Wendel", "Sankt Wendel"), ("Groß-Gerau", "Gross Gerau"),
                                  ("Neustadt a.d. Aisch", "Neustadt an der Aisch"),
                                  ("Hansestadt Rostock", "Rostock")])
def test_spellings_of_one_place_share_a_key(a, b):
    assert place_key(a) == place_key(b)


@pytest.mark.parametrize("a, b", [("Kamenz", "Kamen"), ("Döbeln", "Döbern"), ("Laußnitz", "Lausitz"),
                                  ("Landkreis Görlitz", "Görlitz")])
def test_near_spellings_are_other_places(a, b):
    index = PlaceIndex([(Concept("urn:a", b, b), [(b, "pref")])])
    match = index.match(a)
    assert match.concept is None and match.how == "unmapped"


def test_official_names_give_places_without_kind_words_or_fragments(tmp_path):
    rows = [("Kurs A", "Träger A", "Potsdam, Stadt"), ("Kurs B", "Träger B", "Brandenburg an der Havel, Stadt"),
            ("Kurs C", "Träger C", "Freiberg, Stadt, Universitätsstadt"), ("Kurs D", "Träger D", "Stadt Potsdam"),
            ("Kurs E", "Träger E", "Fürstenwalde/Spree, Stadt"), ("Kurs F", "Träger F", "Cottbus, Wildau")]
    plan = _import(tmp_path, ("Bezeichnung des Vorhabens", "Begünstigter", "Ort des Vorhabens"), rows,
                   city="Land Musterland")
    areas = _districts(plan)
    assert areas == [[("Potsdam, Stadt", "potsdam")], [("Brandenburg an der Havel, Stadt", "brandenburg-an-der-havel")],
                     [("Freiberg, Stadt, Universitätsstadt", "freiberg")], [("Stadt Potsdam", "potsdam")],
                     [("Fürstenwalde/Spree, Stadt", "fuerstenwalde-spree")], [("Cottbus", "cottbus"), ("Wildau", "wildau")]]


def test_a_near_spelling_becomes_a_place_of_its_own_without_a_fuzzy_match(tmp_path):
    rows = [("Kurs A", "Träger A", "Kamen"), ("Kurs B", "Träger B", "Kamenz"), ("Kurs C", "Träger C", "Kamenz")]
    plan = _import(tmp_path, ("Maßnahme", "Träger", "Ort"), rows, city="Land Musterland")
    assert [a for row in _districts(plan) for a in row] == [("Kamen", "kamen"), ("Kamenz", "kamenz"),
                                                             ("Kamenz", "kamenz")]
    assert not [m for r in plan.report["rows"] for m in r["messages"] if m["code"] == "fuzzy_match"]


def test_a_name_without_its_river_is_the_one_place_of_that_name(tmp_path):
    rows = [("Kurs A", "Träger A", "Ludwigshafen am Rhein"), ("Kurs B", "Träger B", "Ludwigshafen"),
            ("Kurs C", "Träger C", "Halle"), ("Kurs D", "Träger D", "Halle (Saale)"),
            ("Kurs E", "Träger E", "Frankfurt am Main"), ("Kurs F", "Träger F", "Frankfurt (Oder)"),
            ("Kurs G", "Träger G", "Frankfurt")]
    areas = [a for row in _districts(_import(tmp_path, ("Maßnahme", "Träger", "Ort"), rows, city="Land Musterland"))
             for a in row]
    assert [iri for _, iri in areas] == ["ludwigshafen-am-rhein", "ludwigshafen-am-rhein", "halle", "halle",
                                         "frankfurt-am-main", "frankfurt-oder", "frankfurt"]


def test_words_for_several_places_are_the_whole_territory_and_outside_is_no_area(tmp_path):
    rows = [("Kurs A", "Träger A", "Berlin mehrere Orte"), ("Kurs B", "Träger B", "berlinweit"),
            ("Kurs C", "Träger C", "verschiedene Orte"), ("Kurs D", "Träger D", "außerhalb"),
            ("Kurs E", "Träger E", "Brandenburg"), ("Kurs F", "Träger F", "Pankow")]
    plan = _import(tmp_path, ("Angebot", "Anbieter", "Bezirk"), rows, city="Berlin")
    areas = [[(e["how"], e["iri"] and e["iri"].rsplit("/", 1)[-1]) for e in r["mapped"]["districts"]]
             for r in plan.report["rows"]]
    assert areas == [[("exact", "berlin")]] * 3 + [[("outside", None)]] * 2 + [[("exact", "pankow")]]
    assert plan.report["rows"][3]["status"] == "imported"


def test_the_places_of_an_organisation_list_are_areas_of_the_data_too(tmp_path):
    rows = [("Frauenhaus Nord", "Städteregion Aachen"), ("Frauenhaus Süd", "Saalekreis")]
    plan = _import(tmp_path, ("Name", "GEN"), rows, city="Deutschland")
    assert [[(e["how"], e["iri"].rsplit("/", 1)[-1]) for e in r["mapped"]["districts"]] for r in plan.report["rows"]] \
        == [[("new", "staedteregion-aachen")], [("new", "saalekreis")]]
    assert [[m["code"] for m in r["messages"]] for r in plan.report["rows"]] == [["district_from_data"]] * 2


def test_every_place_of_a_cell_named_first_has_one_message_and_the_same_area_later(tmp_path):
    rows = [("Kurs A", "Träger A", "55469 Simmern/Ohlweiler"), ("Kurs B", "Träger B", "55469 Simmern"),
            ("Kurs C", "Träger C", "Mitte, Mitte"), ("Kurs D", "Träger D", "Mitte")]
    plan = _import(tmp_path, ("Maßnahme", "Träger", "Postleitzahl und Ort"), rows, city="Land Musterland")
    areas = _districts(plan)
    assert areas[0] == [("Simmern", "simmern"), ("Ohlweiler", "ohlweiler")] and areas[1] == [("Simmern", "simmern")]
    assert areas[2] == areas[3] == [("Mitte", "mitte")]
    assert _codes(plan, 0) == ["district_from_data", "district_from_data"]
    assert _codes(plan, 2) == ["district_from_data"] and _codes(plan, 1) == _codes(plan, 3) == []


def test_a_place_column_naming_one_city_in_nearly_every_row_names_the_territory(tmp_path):
    bezirke = ["Mitte", "Neukölln", "Pankow", "Wedding"]
    rows = [(f"Angebot {i}", f"Anbieter {i}", bezirke[i % 4], "Berlin") for i in range(20)] + \
           [("Angebot X", "Anbieter X", "Potsdam", "Potsdam")]
    plan = _import(tmp_path, ("Angebot", "Anbieter", "Bezirk", "Ort"), rows)
    city = plan.report["city"]
    assert (city["name"], city["how"].key) == ("Berlin", "row.city.places")
    assert all(iri != "berlin" for row in _districts(plan) for _, iri in row)
    assert _districts(plan)[0] == [("Mitte", "mitte")]


def test_the_territorys_own_name_alone_is_the_whole_territory(tmp_path):
    rows = [("Kurs A", "Träger A", "Musterstadt"), ("Kurs B", "Träger B", "Nordviertel")]
    plan = _import(tmp_path, ("Maßnahme", "Träger", "Stadtteil"), rows, city="Musterstadt")
    assert _districts(plan) == [[("Musterstadt", "musterstadt")], [("Nordviertel", "nordviertel")]]
    assert _codes(plan, 0) == []


@pytest.mark.parametrize("given", ["Berlin", "Land Berlin", "Stadt Berlin"])
def test_a_city_state_is_one_territory_however_it_is_named(given):
    city, _ = detect_city(Store(), explicit=given)
    assert (city.name, city.kind, city.slug, city.designation) == ("Berlin", "Stadtstaat", "berlin", "Berlin")


def test_a_city_states_places_are_its_bezirke_and_stadtteile(tmp_path):
    store = Store()
    rows = [("Angebot A", "Anbieter A", "Neukölln"), ("Angebot B", "Anbieter B", "Wedding")]
    _import(tmp_path, ("Angebot", "Anbieter", "Bezirk"), rows, city="Berlin", dry_run=False, store=store)
    types = {str(r["label"]): str(r["type"]) for r in store.select(
        "SELECT ?label ?type WHERE { ?a skos:prefLabel ?label ; kp:areaType ?type }")}
    assert types == {"Berlin": "Stadtstaat", "Neukölln": "Bezirk", "Wedding": "Stadtteil"}


def test_a_bundled_territory_suggests_a_near_spelling_and_never_maps_it(tmp_path):
    rows = [("Kurs A", "Träger A", "Niedergirms"), ("Kurs B", "Träger B", "Niedergirmes")]
    plan = _import(tmp_path, ("Maßnahme", "Träger", "Stadtteil"), rows, city="Wetzlar")
    assert _districts(plan) == [[("Niedergirms", None)], [("Niedergirmes", "niedergirmes")]]
    message = next(m for m in plan.report["rows"][0]["messages"] if m["code"] == "unknown_district")
    assert "Niedergirmes" in message["de"]


def test_the_mapping_file_names_a_county_as_a_county():
    county = City("Gießen", "landkreis-giessen", kind="Kreis")
    written = mapping_file.detected({}, {"files": []}, {}, county)
    assert written["city"] == "Landkreis Gießen"
    assert detect_city(Store(), explicit=written["city"])[0].kind == "Kreis"


def test_the_places_of_a_data_territory_need_no_fuzzy_threshold():
    territory = Territory(Store(), City("Musterland", "musterland", kind="Land"), threshold=50)
    territory.add_area("Kamen")
    assert territory.index.match("Kamenz").concept is None
