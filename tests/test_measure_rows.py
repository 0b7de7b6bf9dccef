"""Rows of measures tables (ingest/rows.py) as real directories and lists write them: the venue's street address
is the measure's public address, and a list with no provider column says so once instead of on every row."""

from knotenpunkt.graph.store import Store
from knotenpunkt.graph.texts import say
from knotenpunkt.ingest.importer import plan_import

SCHEMA = "https://schema.org/"
KP = "https://w3id.org/knotenpunkt/def#"


def _plan(tmp_path, text, name="angebote.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return plan_import([path], Store(), city="Berlin")


def _addresses(plan):
    store = plan.loaded.loaded()
    query = (f"SELECT ?street ?postcode WHERE {{ ?m a <{KP}Measure> ; <{SCHEMA}address> ?a . "
             f"OPTIONAL {{ ?a <{SCHEMA}streetAddress> "
             f"?street }} OPTIONAL {{ ?a <{SCHEMA}postalCode> ?postcode }} }}")
    rows = store.query(query, use_default_graph_as_union=True)
    return sorted((r["street"].value if r["street"] else None, r["postcode"].value if r["postcode"] else None)
                  for r in rows)


def test_the_venue_address_of_an_offer_is_its_public_street_address(tmp_path):
    plan = _plan(tmp_path, "Anbieter;Angebot;Straße + Hausnummer des Angebotorts;PLZ des Angebotorts;Kategorie\n"
                           "Stars in Concert;Ermäßigter Eintritt;Sonnenallee 225;12057;Kultur\n"
                           "1. FC Union Berlin e.V.;Ermäßigung bei Heimspielen;An der Wuhlheide 263;12555;Sport\n"
                           "Stadtbibliothek;Freier Eintritt;;;Bildung\n")
    assert plan.counts["rejected"] == 0
    assert _addresses(plan) == [("An der Wuhlheide 263", "12555"), ("Sonnenallee 225", "12057")]
    assert plan.report["personal"]["redacted"] == 0  # a venue is no one's home
    sheet = plan.report["files"][0]["sheets"][0]
    assert sheet["columns"]["street"] == "Straße + Hausnummer des Angebotorts"


def test_street_and_house_number_columns_make_one_street_address(tmp_path):
    plan = _plan(tmp_path, "Angebot;Träger;Zielgruppe;Beginn;Straße;Hausnummer;PLZ\n"
                           "Sprachcafé;AWO;Frauen;01.02.2024;Goethestraße;5;35578\n"
                           "Lernhilfe;Caritas;Kinder;01.03.2024;Lahnstraße;12a;35578\n")
    assert _addresses(plan) == [("Goethestraße 5", "35578"), ("Lahnstraße 12a", "35578")]
    assert plan.report["personal"]["redacted"] == 0


def test_a_measures_list_without_a_provider_column_says_so_once(tmp_path):
    plan = _plan(tmp_path, "Bezeichnung des Vorhabens;Datum des Beginns;Land\n"
                           "Sprachkurs;01.02.2024;DE\nElterncafé;01.03.2024;DE\nLernhilfe;01.04.2024;DE\n")
    assert plan.counts == {**plan.counts, "rows": 3, "imported": 3, "warning": 0, "rejected": 0}
    assert not [m for row in plan.report["rows"] for m in row["messages"] if m["code"] == "unknown_provider"]
    notes = [say(n, "de") for n in plan.report["files"][0]["sheets"][0]["notes"]]
    assert [n for n in notes if n.startswith("Keine Spalte nennt den Träger") and "Land" in n]


def test_an_empty_provider_cell_is_still_a_warning_on_its_row(tmp_path):
    plan = _plan(tmp_path, "Angebot;Träger\nSprachcafé;AWO\nLernhilfe;\n")
    codes = {row["row"]: [m["code"] for m in row["messages"]] for row in plan.report["rows"]}
    assert codes[3] == ["unknown_provider"] and codes[2] == []


def test_a_name_column_beside_the_title_gives_each_measure_its_beneficiary(tmp_path):
    plan = _plan(tmp_path, "Name,Bezeichnung des Vorhabens,Datum des Beginns des Vorhabens,PLZ\n"
                           "ARGE der VHSn im Landkreis Hof e. V.,AKTIV - Grundqualifizierung,14.09.2015,95028\n"
                           "Bildungswerk gGmbH,AKTIVA I,21.09.2015,86199\n", name="esf.csv")
    assert plan.counts["warning"] == 0 and plan.counts["imported"] == 2
    assert sorted(row["mapped"]["provider"]["text"] for row in plan.report["rows"]) == [
        "ARGE der VHSn im Landkreis Hof e. V.", "Bildungswerk gGmbH"]
