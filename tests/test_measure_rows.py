"""Rows of measures tables (ingest/rows.py) as real directories and lists write them: the venue's street address
is the measure's public address, and a list with no provider column says so once instead of on every row."""

from knotenpunkt.graph.store import Store
from knotenpunkt.graph.texts import say
from knotenpunkt.ingest.importer import import_files, plan_import

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


def _codes(plan):
    return {row["row"]: [m["code"] for m in row["messages"]] for row in plan.report["rows"]}


def test_rows_alike_under_different_identifiers_are_two_measures(tmp_path):
    """A grants register gives one firm the same grant several times, each under its own number: two grants,
    not one entered twice (an info says they are alike). The same number again is still a duplicate."""
    plan = _plan(tmp_path, "INEZ-Nummer;Zuwendung für;Zuwendungsempfänger;Beginn\n"
                           "54979;Einzelmaßnahme für benachteiligte Jugendliche;adP GmbH;01.08.2012\n"
                           "55657;Einzelmaßnahme für benachteiligte Jugendliche;adP GmbH;01.08.2012\n"
                           "52672;Sprachkurs;AWO;01.09.2012\n"
                           "52672;Sprachkurs;AWO;01.09.2012\n")
    measures = {row["row"]: row["measure"] for row in plan.report["rows"]}
    assert measures[2] != measures[3] and measures[4] == measures[5]
    assert measures[3].endswith("/massnahme/55657")
    codes = _codes(plan)
    assert codes[3] == ["alike_other_id"] and codes[5] == ["duplicate_row"]
    assert plan.counts == {"rows": 4, "imported": 3, "warning": 1, "rejected": 0}


def test_a_row_repeated_under_the_next_running_number_is_a_duplicate(tmp_path):
    """A running number ("lfd. Nr.") says where a row stands, not which record it is."""
    plan = _plan(tmp_path, "lfd. Nr.;Angebot;Träger;Beginn\n"
                           "1;Sprachcafé;AWO;01.02.2024\n2;Lernhilfe;Caritas;01.03.2024\n"
                           "3;Elterncafé;Diakonie;01.04.2024\n4;Sprachcafé;AWO;01.02.2024\n")
    measures = {row["row"]: row["measure"] for row in plan.report["rows"]}
    assert measures[5] == measures[2] and _codes(plan)[5] == ["duplicate_row"]


def test_a_private_person_as_provider_keeps_the_measure_under_a_neutral_name(tmp_path):
    """A grants register names private persons as recipients ("Abramsen, Ilse"), a directory doctors' practices
    ("Dr. med. Dieter Breyer"): the measure keeps its provider, shown publicly as "Privatperson …", and the name
    goes into the personal-data graph only. Two organisations in one cell and a firm stay organisations."""
    path = tmp_path / "zuwendungen.csv"
    path.write_text("Zuwendung für;Zuwendungsempfänger;Zielgruppe\n"
                    "Selbsthilfegruppe;Abramsen, Ilse;Senioren\n"
                    "Sprechstunde;Dr. med. Dieter Breyer;Geflüchtete\n"
                    "Lesepaten;Abramsen, Ilse;Kinder\n"
                    "Beratung;Schulze & Partner;Geflüchtete\n", encoding="utf-8")
    store = Store(tmp_path / "store")
    plan = import_files([path], store, city="Berlin")
    store.close()
    providers = [row["mapped"]["provider"]["text"] for row in plan.report["rows"]]
    assert providers[0] == providers[2] != providers[1] and providers[0].startswith("Privatperson ")
    assert providers[3] == "Schulze & Partner"
    assert plan.report["organisations"]["count"] == 1  # the firm; persons are not merged or proposed as organisations
    assert [m["code"] for m in plan.report["rows"][0]["messages"]] == ["private_person"]
    hidden = "".join(str(q) for q in Store.reader(tmp_path / "store", personal_data=False).quads())
    shown = "".join(str(q) for q in Store.reader(tmp_path / "store", personal_data=True).quads())
    assert "Abramsen" not in hidden and "Breyer" not in hidden and providers[0] in hidden
    assert "Abramsen, Ilse" in shown and "Dr. med. Dieter Breyer" in shown
    query = f"SELECT (COUNT(?m) AS ?n) WHERE {{ ?m <{KP}provider> ?p }}"
    assert Store.reader(tmp_path / "store", personal_data=False).select(query)[0]["n"] == 4
