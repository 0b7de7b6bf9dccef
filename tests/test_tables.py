"""Table detection (ingest/tables.py) on small synthetic sheets, one per pattern that real inventories showed:
notes and legends below the table, a header repeated in a second language, snake_case and transliterated
headers, the columns of the EU's lists of operations, places named "Standort", volunteering directories and
directories of services."""

import datetime as dt

import pytest

from knotenpunkt.graph.store import Store
from knotenpunkt.graph.texts import say
from knotenpunkt.ingest.headers import match_role
from knotenpunkt.ingest.importer import import_files
from knotenpunkt.ingest.read import RawSheet
from knotenpunkt.ingest.tables import find_table, header_template

D = dt.datetime


def _columns(table):
    return {role: table.headers[i].replace("\n", " ") for role, i in table.columns.items()}


def _numbers(table):
    return [number for number, _ in table.rows]


def _operations(n=8):
    """A list of funded operations as a state writes it: provider, title, dates, amount, code."""
    header = ["Name des Begünstigten", "Bezeichnung des Vorhabens", "Datum des Beginns", "Datum des Endes",
              "Gesamtbetrag der förderfähigen Ausgaben", "Interventionskategorie"]
    rows = [[f"Träger {i}", f"Vorhaben {i}", D(2024, 1, 1 + i), D(2025, 12, 1 + i), 1000.5 * (i + 1), 109 + i % 3]
            for i in range(n)]
    return header, rows


# --- notes, legends and footers below the table -------------------------------------------------------------


def test_a_footnote_and_a_legend_of_codes_after_blank_rows_are_notes():
    header, rows = _operations()
    legend = [[101, "Zugang zu Beschäftigung"], [102, "Aktive Inklusion"], [103, "Lebenslanges Lernen"]]
    sheet = RawSheet("Liste", [["Liste der Vorhaben"], header, *rows, [], ["* Kategorien gemäß Verordnung"], [],
                               *legend])
    table = find_table(sheet)
    assert table.header_row == 2 and _numbers(table) == list(range(3, 11))
    assert [n["row"] for n in table.note_rows] == [12, 14, 15, 16]
    assert table.note_rows[1]["text"] == "101 | Zugang zu Beschäftigung"


def test_a_legend_right_below_the_records_is_told_by_its_values_not_by_a_blank_row():
    header, rows = _operations()
    sheet = RawSheet("Liste", [header, *rows, [104, "Gleichstellung"], [105, "Bewertung und Studien"]])
    table = find_table(sheet)
    assert len(table.rows) == 8 and [n["row"] for n in table.note_rows] == [10, 11]


def test_rows_of_one_merged_text_and_a_date_stamp_below_the_table_are_notes():
    header, rows = _operations()
    banner = ["Hinweis: Der Kofinanzierungssatz beträgt 50 %."] * len(header)
    section = ["VI Förderung der sozialen Inklusion"] * len(header)
    sheet = RawSheet("Liste", [header, *rows, [], banner, [], section, ["109 Aktive Inklusion"] * len(header), [],
                               ["Datenstand / Date of last update", D(2016, 6, 30, 19, 24)],
                               ["Benutzer / User", "ab12345"]])
    table = find_table(sheet)
    assert len(table.rows) == 8
    assert [n["row"] for n in table.note_rows] == [11, 13, 14, 16, 17]
    assert table.note_rows[0]["text"] == "Hinweis: Der Kofinanzierungssatz beträgt 50 %."
    assert "Zeile 17: Benutzer / User | ab12345" in [say(n, "de") for n in table.notes]


def test_an_address_block_below_the_table_is_a_note():
    header, rows = _operations()
    sheet = RawSheet("Liste", [header, *rows, [], [],
                               ["Ministerium für Soziales", None, "Liste der Vorhaben", "Datenstand (25.08.2016)"],
                               ["Referat Fondsverwaltung"], ["19061 Schwerin"]])
    table = find_table(sheet)
    assert len(table.rows) == 8 and [n["row"] for n in table.note_rows] == [12, 13, 14]


def test_a_record_with_a_bad_date_and_a_title_only_record_stay_records():
    header, rows = _operations()
    rows[-1][2] = "Anfang 2024"  # a data defect the row report names, not a note
    sheet = RawSheet("Liste", [header, *rows, [None, "Vorhaben ohne Angaben"]])
    table = find_table(sheet)
    assert len(table.rows) == 9 and table.note_rows == []


def test_rows_of_excel_errors_are_notes_and_a_zero_for_not_given_is_read_as_empty():
    header = ["Einrichtung", "Träger", "Zielgruppe", "Website", "Plätze"]
    rows = [[f"Stelle {i}", f"Verein {i}", "Familien" if i % 2 else "0", "0" if i % 3 else f"https://s{i}.de",
             str(i % 3 * 5)] for i in range(8)]
    sheet = RawSheet("Verzeichnis", [header, *rows, ["#WERT!"] * 5, ["#WERT!"] * 5])
    table = find_table(sheet)
    assert [n["row"] for n in table.note_rows] == [10, 11]
    cells = dict(table.rows)
    assert cells[2][2] is None and cells[3][2] == "Familien" and cells[3][3] is None
    assert cells[2][4] == "0"  # a column of numbers keeps its zeros
    assert any("„0“ steht für „keine Angabe“" in say(n, "de") for n in table.notes)


def test_an_imported_footer_is_neither_imported_nor_rejected(tmp_path):
    path = tmp_path / "liste.csv"
    path.write_text("Angebot;Träger;Zielgruppe;Beginn;Ende\n"
                    "Sprachcafé;AWO;Frauen;01.01.2024;31.12.2024\n"
                    "Lernhilfe;Caritas;Kinder;01.02.2024;31.12.2024\n"
                    "Nähcafé;Diakonie;Familien;01.03.2024;31.12.2024\n"
                    "\n"
                    "Stand;Juni 2024;;;\n"
                    "Bearbeitung;Amt für Soziales;;;\n", encoding="utf-8")
    plan = import_files([path], Store(), dry_run=True)
    assert plan.counts["rows"] == 3 and plan.counts["rejected"] == 0
    assert [n["row"] for n in plan.report["files"][0]["sheets"][0]["note_rows"]] == [6, 7]


# --- a header repeated in a second language -----------------------------------------------------------------


def test_an_english_header_line_under_the_german_one_is_a_header_not_a_record():
    sheet = RawSheet("Vorhaben", [
        ["LISTE DER VORHABEN"], [],
        ["ANTRAGSNUMMER", "Name des Begünstigten", "BEZEICHNUNG", "BEGINN", "ENDE"],
        ["application number", "beneficiary name", "operation name", "start date", "end date"],
        ["A-1", "Verein A", "Sprachkurs", D(2024, 1, 1), D(2024, 12, 31)],
        ["A-2", "Verein B", "Elterncafé", D(2024, 2, 1), D(2024, 12, 31)],
    ])
    table = find_table(sheet)
    assert table.header_row == 3 and _numbers(table) == [5, 6]
    assert table.note_rows == [{"row": 4, "text": "application number | beneficiary name | operation name | "
                                                  "start date | end date"}]
    assert _columns(table)["id"] == "ANTRAGSNUMMER"  # the header row names the column
    assert set(table.columns) == {"id", "provider", "title", "start", "end"}


def test_a_first_record_of_label_like_texts_is_not_a_second_header_line():
    sheet = RawSheet("Angebote", [["Titel", "Anbieter", "Ort"], ["Sprachcafé", "Verein A", "Nordstadt"],
                                  ["Lernhilfe", "Verein B", "Südstadt"]])
    table = find_table(sheet)
    assert _numbers(table) == [2, 3] and table.note_rows == []


# --- header spellings -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("header, role", [
    ("programm_name", "title"), ("traeger", "provider"), ("zielgruppe", "target_groups"),
    ("foerderbetrag", "amount"), ("themen_schwerpunkt", "fields"), ("programm_id", "id"),
    ("angebotsName", "title"), ("ZIELGRUPPE", "target_groups"), ("Strasse_und_Hausnummer", "street"),
    ("Zuwendungs-empfänger", "provider"), ("Projekt-\nbeginn", "start"), ("foerdersatz", "cofinancing_rate"),
    ("richtlinie_url", "website"), ("link_klasse", None), ("TeilnehmerInnen", None),
])
def test_headers_match_whatever_their_case_underscores_hyphens_camel_case_or_transliteration(header, role):
    assert match_role("measures", header)[0] == role


def test_a_snake_case_export_with_transliterated_umlauts_is_a_measures_table():
    sheet = RawSheet("foerderprogramme", [
        ["programm_id", "programm_name", "traeger", "zielgruppe", "thema", "foerderbetrag", "quelle_url"],
        ["P1", "Starthilfe", "Landesbank", "Gruender", "Wirtschaft", "bis 5.000 EUR", "https://a.de"],
        ["P2", "Sprachbruecke", "Stiftung B", "Gefluechtete", "Sprache", "bis 2.000 EUR", "https://b.de"],
    ])
    table = find_table(sheet)
    assert table.kind == "measures"
    assert _columns(table) == {"id": "programm_id", "title": "programm_name", "provider": "traeger",
                               "target_groups": "zielgruppe", "fields": "thema", "amount": "foerderbetrag",
                               "website": "quelle_url"}


def test_institution_names_an_organisation():
    sheet = RawSheet("Kultur", [["ID", "Typ", "Institution", "Adresse", "PLZ", "Ort", "Webseite"],
                                [1, "Verein", "Theater am Platz", "Platzstr. 1", "10115", "Berlin", "www.t.de"],
                                [2, "Verein", "Kunsthaus", "Hofweg 2", "10117", "Berlin", "www.k.de"]])
    table = find_table(sheet)
    assert table.kind == "providers" and _columns(table)["name"] == "Institution"


# --- the columns of the EU's lists of operations ------------------------------------------------------------


def test_the_eu_amount_category_and_file_number_columns_have_their_roles():
    legal = ("Bezeichnung der Interventionskategorie für das Vorhaben gemäß Artikel 96 Absatz 2 Unterabsatz 1 "
             "Buchstabe b Ziffer vi\n\nName of category of intervention for the operation in accordance with "
             "point (b) (vi) of the first subparagraph of Article 96 (2)")
    amount = "Gesamtbeitrag der förderfähigen Ausgaben des Vorhabens\n\nTotal eligible expenditure allocated to " \
             "the operation"
    sheet = RawSheet("Liste", [["Aktenzeichen", "Name des Begünstigten", "Bezeichnung des Vorhabens", amount, legal],
                               ["AZ 1", "Verein A", "Sprachkurs", 1000, "109 Aktive Inklusion"],
                               ["AZ 2", "Verein B", "Elterncafé", 2000, "118 Arbeitsmarktrelevanz"]])
    table = find_table(sheet)
    assert {role: table.headers[i] for role, i in table.columns.items()} == {
        "id": "Aktenzeichen", "provider": "Name des Begünstigten", "title": "Bezeichnung des Vorhabens",
        "amount": amount, "fields": legal}
    assert table.notes == []  # no column is a second title


@pytest.mark.parametrize("header, role", [
    ("Bezeichnung der Interventionskategorie", "fields"), ("EU-Betrag", "amount"),
    ("Gesamtbeitrag der förderfähigen Ausgaben", "amount"), ("ANTRAGSNUMMER", "id"), ("Antragsnummer", "id"),
    ("Förderkennzeichen", "id"), ("Aktenzeichen", "id"),
])
def test_eu_list_headers(header, role):
    assert match_role("measures", header)[0] == role


def test_the_total_wins_over_the_eu_share_and_the_share_is_kept_as_detail():
    sheet = RawSheet("LPNA", [["Projekt", "Zuwendungs-empfänger", "gesamte Fördersumme", "EU-Betrag"],
                              ["Startbahn", "Verein A", 2000, 1000], ["Gründercamp", "Verein B", 4000, 2000]])
    table = find_table(sheet)
    assert _columns(table)["amount"] == "gesamte Fördersumme"
    assert list(table.extra_columns.values()) == ["EU-Betrag"]


# --- places ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("header", ["Projekt-standort", "Projektstandort", "Standort", "Projekt-\nstandort",
                                    "Einsatzgebiet", "Bezirk"])
def test_a_location_column_is_a_place_not_a_second_title(header):
    sheet = RawSheet("Liste", [["Projekt", "Träger", header], ["Startbahn", "Verein A", "25541 Brunsbüttel"],
                               ["Gründercamp", "Verein B", "23554 Lübeck"]])
    table = find_table(sheet)
    assert _columns(table)["title"] == "Projekt"
    assert table.headers[table.columns["districts"]] == header and table.notes == []


# --- volunteering and service directories -------------------------------------------------------------------


def test_a_volunteering_list_maps_time_needed_and_area():
    sheet = RawSheet("ehrenamt", [["titel", "link", "organisation", "zeitaufwand", "einsatzgebiet", "beschreibung"],
                                  ["Lesepatin", "https://x.de/1", "Zentrum A", "1-2 Std. pro Woche", "Süd", "Lesen"],
                                  ["Mentor", "https://x.de/2", "Zentrum A", "2 Std. pro Woche", "Nord", "Begleiten"]])
    table = find_table(sheet)
    assert table.kind == "measures"
    assert _columns(table) == {"title": "titel", "website": "link", "provider": "organisation",
                               "schedule": "zeitaufwand", "districts": "einsatzgebiet", "description": "beschreibung"}


def test_a_directory_of_services_lists_each_facility_as_an_offer_of_its_traeger():
    sheet = RawSheet("beratung", [
        ["Einrichtung", "Träger", "Zielgruppe", "Sprachen", "Schlagworte", "Strasse", "PLZ", "Bezirk", "Website"],
        ["Suchtberatung Nord", "Verein A", "Erwachsene", "Deutsch", "Sucht", "Weg 1", "10115", "Mitte", "a.de"],
        ["Suchtberatung Süd", "Verein A", "Erwachsene", "Deutsch, Türkisch", "Sucht", "Weg 2", "12043", "Neukölln",
         "a.de/sued"],
        ["Familienberatung", "Verein B", "Familien", "Deutsch", "Familie", "Weg 3", "10997", "Kreuzberg", "b.de"],
    ])
    table = find_table(sheet)
    assert table.kind == "measures"
    columns = _columns(table)
    assert columns["title"] == "Einrichtung" and columns["provider"] == "Träger"
    assert columns["target_groups"] == "Zielgruppe" and columns["districts"] == "Bezirk"


def test_a_list_of_facilities_as_organisations_keeps_each_facility_under_its_traeger():
    sheet = RawSheet("stellen", [["Einrichtung", "Träger", "Straße", "PLZ", "Telefon"],
                                 ["Beratungsstelle Nord", "Verein A", "Weg 1", "35390", "0641 1"],
                                 ["Beratungsstelle Süd", "Verein A", "Weg 2", "35392", "0641 2"]])
    table = find_table(sheet)
    assert table.kind == "providers"
    assert _columns(table)["name"] == "Einrichtung" and _columns(table)["parent"] == "Träger"


def test_cells_that_repeat_their_column_header_keep_only_the_value():
    sheet = RawSheet("ehrenamt", [["titel", "organisation", "zeitaufwand", "einsatzgebiet"],
                                  ["Lesepatin", "Zentrum A", "Zeitaufwand: 1-2 Std. pro Woche", "Einsatzgebiet: Süd"],
                                  ["Mentor", "Zentrum A", "Zeitaufwand: 2 Std.", ""],
                                  ["Begleitung", "Zentrum B", "flexibel", "Einsatzgebiet: Nord"]])
    table = find_table(sheet)
    assert [cells[2:] for _, cells in table.rows] == [["1-2 Std. pro Woche", "Süd"], ["2 Std.", ""],
                                                       ["flexibel", "Nord"]]
    assert sheet.rows[1][3] == "Einsatzgebiet: Süd"  # the sheet as read stays as it was


# --- a header in several languages, continued on a second line ----------------------------------------------


def _coded_operations(n=6):
    """Records of a list of operations whose header is given in several languages above them."""
    return [[f"Träger {i}", f"Vorhaben {i}", D(2024, 1, 1 + i), D(2025, 6, 1 + i), 1000.0 * (i + 1), "49751",
             "Emsland", str(109 + i % 3)] for i in range(n)]


def test_a_german_header_over_an_english_one_is_one_header_even_when_the_english_matches_better():
    german = ["Name des Begünstigten", "Bezeichnung \ndes Vorhabens", "Datum des \nBeginns des \nVorhabens",
              "Datum des \nEndes des \nVorhabens", "Gesamtbetrag der \nförderfähigen Ausgaben", "PLZ", "Landkreis",
              "Interven-tionsbe-reich"]
    english = ["beneficiary name", "operation name", "operation start date", "operation end date",
               "total eligible expenditure", "operation postcode", "county", "Intervention field"]
    sheet = RawSheet("Tabelle1", [["Liste der Vorhaben (List of operation)"] * 8, ["(Datenstand: 31.03.2016)"] * 8,
                                  [], german, english, *_coded_operations()])
    table = find_table(sheet)
    assert table.header_row == 4 and _numbers(table) == list(range(6, 12))
    assert [n["row"] for n in table.note_rows] == [5]
    assert len(table.title_lines) == 2 and table.title_lines[1].startswith("(Datenstand")
    assert not any("Begünstigten" in line or "Interven" in line for line in table.title_lines)
    columns = _columns(table)
    assert columns["districts"] == "Landkreis" and columns["fields"] == "Interven-tionsbe-reich"
    assert {"provider", "title", "start", "end", "amount", "postcode"} <= set(columns)


def test_a_mapping_and_its_template_name_the_columns_of_a_header_in_two_languages_by_the_first_row():
    german = ["Name des Begünstigten", "Bezeichnung \ndes Vorhabens", "Datum des Beginns", "Landkreis", "Land"]
    english = ["beneficiary name", "operation name", "operation start date", "county", "country"]
    rows = [[f"Träger {i}", f"Vorhaben {i}", D(2024, 1, 1 + i), "Emsland", "DE"] for i in range(5)]
    sheet = RawSheet("Tabelle1", [german, english, *rows])
    kind, template = header_template(sheet)
    assert kind == "measures" and template == {"Name des Begünstigten": "provider", "Bezeichnung des Vorhabens": "title",
                                               "Datum des Beginns": "start", "Landkreis": "districts", "Land": None}
    table = find_table(sheet, overrides={"Landkreis": None, "Land": "districts"})
    assert _columns(table)["districts"] == "Land" and list(table.extra_columns.values()) == ["Landkreis"]


def test_a_header_in_three_languages_with_rows_naming_the_language_is_one_header():
    german = ["Name des Begünstigten\n(Nennung ausschließlich von juristischen Personen)", "Bezeichnung\ndes Vorhabens",
              "Datum des Beginns des Vorhabens", "Datum des Endes des Vorhabens",
              "Gesamtbetrag der förderfähigen Ausgaben des Vorhabens", "Postleitzahl des Vorhabens",
              "Ort\ndes Vorhabens", "Interventionskategorie"]
    english = ["Beneficiary name\n(only of legal entities)", "Operation name", "Operation start date",
               "Operation end date", "Total eligible expenditure allocated to the operation", "Operation postcode",
               "Operation city", "Category of intervention"]
    french = ["Nom du bénéficiaire", "Nom de l'opération", "Date de début de l'opération",
              "Date de fin de l'opération", "Total des dépenses éligibles", "Code postal de l'opération",
              "Ville de l'opération", "Catégorie d'intervention"]
    sheet = RawSheet("Tabelle1", [["Bewilligungsstand:", D(2016, 6, 30)], ["Liste der Vorhaben gem. Artikel 115"],
                                  german, ["English"], english, ["Français"], french, [], *_coded_operations()])
    table = find_table(sheet)
    assert table.header_row == 3 and _numbers(table) == list(range(9, 15))
    assert [n["row"] for n in table.note_rows] == [4, 5, 6, 7]
    assert table.title_lines == ["Bewilligungsstand: 30.06.2016", "Liste der Vorhaben gem. Artikel 115"]
    assert _columns(table)["districts"] == "Ort des Vorhabens"


def test_a_header_continued_on_a_second_line_is_no_record():
    header = ["Name des Begünstigten/ beneficiary name", "Bezeichnung d. Vorhabens/ operation name",
              "Projektbeginn/ operation start date", "Projektende/", "Gesamtbetrag der förderfähigen Ausgaben/",
              "Kofinanzierungssatz in %/", "Gemeindekennziffer (Vorhaben)/", "Land/", "Interventionsbereich"]
    second = [None, None, None, " operation end date", "total eligible expenditure allocated to the operation",
              "Union co-financing rate", "operations regional Code", "country", "intervention field"]
    rows = [[f"Träger {i}", f"Vorhaben {i}", D(2014, 5, 1), D(2015, 4, 30), 17826.0 * (i + 1), 50,
             f"1004311{i} - Gemeinde {i}", "DEC0-Saarland", "109-Aktive Inklusion"] for i in range(6)]
    sheet = RawSheet("Tabelle1", [[], ["Liste der Vorhaben / list of operations"] * 9, [], header, second, [], *rows])
    table = find_table(sheet)
    assert table.header_row == 4 and _numbers(table) == list(range(7, 13))
    assert [n["row"] for n in table.note_rows] == [5]
    assert table.title_lines == ["Liste der Vorhaben / list of operations " * 8 + "Liste der Vorhaben / list of operations"]
    assert _columns(table)["end"] == "Projektende/"
    assert "title" not in {match_role("measures", table.headers[6])[0]}  # a municipality code is no title
    assert table.notes == [n for n in table.notes if "nennt ebenfalls" not in say(n, "de")]


def test_rows_below_a_note_line_are_notes_even_when_they_span_the_table():
    header, rows = _operations()
    explanation = ["Erläuterungen: Interventionsbereiche gem. Verordnung (EU) Nr. 215/2014"] * len(header)
    legend = [[f"{code}    ", *[text] * (len(header) - 1)] for code, text in [
        (104, "Selbstständigkeit, Unternehmergeist und Gründung von Unternehmen"),
        (106, "Anpassung der Arbeitskräfte, Unternehmen und Unternehmer an den Wandel"),
        (122, "Bewertung und Studien")]]
    sheet = RawSheet("30.06.2016", [header, *rows, [], explanation, *legend])
    table = find_table(sheet)
    assert _numbers(table) == list(range(2, 10))
    assert [n["row"] for n in table.note_rows] == [11, 12, 13, 14]


def test_a_row_repeating_one_sentence_over_the_table_beside_a_code_is_a_note():
    header, rows = _operations()
    legend = [[109, *["Aktive Inklusion, Förderung der Chancengleichheit"] * (len(header) - 1)]]
    sheet = RawSheet("Liste", [header, *rows, *legend])
    table = find_table(sheet)
    assert len(table.rows) == 8 and [n["row"] for n in table.note_rows] == [10]


# --- the beneficiary, the place, the title of an offer ------------------------------------------------------


@pytest.mark.parametrize("header, role", [
    ("Landkreis", "districts"), ("county", "districts"), ("Interven-tionsbe-reich", "fields"),
    ("Intervention field", "fields"), ("starting_date", "start"), ("completion_date", "end"),
    ("Jahr der Bewilligung", "start"), ("Jahr der Restzahlung", "end"), ("Kategorie", "fields"),
    ("Straße + Hausnummer des Angebotorts", "street"), ("Adresse", "street"), ("Hausnummer", "house_number"),
    # words in parentheses qualify a header, and a short synonym is no word of a longer header
    ("Gemeindekennziffer (Vorhaben)/", None), ("Kategorie der Region", None), ("beneficiary_address", None),
    ("Anschrift des Trägers", None), ("Arbeitskreis", None), ("Zielgruppe(n)", "target_groups"),
])
def test_headers_of_real_lists_have_their_roles(header, role):
    assert match_role("measures", header)[0] == role


@pytest.mark.parametrize("header", ["Name", "Name des Zuwendungsempfängers"])
def test_a_name_column_beside_the_title_names_the_beneficiary(header):
    sheet = RawSheet("ESF", [[header, "Bezeichnung des Vorhabens", "Datum des Beginns des Vorhabens", "PLZ"],
                             ["ARGE der VHSn e. V.", "AKTIV - Grundqualifizierung", "14.09.2015", "95028"],
                             ["Bildungswerk gGmbH", "AKTIVA I", "21.09.2015", "86199"]])
    table = find_table(sheet)
    assert _columns(table)["provider"] == header and _columns(table)["title"] == "Bezeichnung des Vorhabens"


def test_the_name_of_a_contact_person_is_no_beneficiary():
    sheet = RawSheet("ESF", [["Name der Ansprechperson", "Bezeichnung des Vorhabens", "Beginn"],
                             ["Erika Muster", "Sprachkurs", "14.09.2015"], ["Max Muster", "Elterncafé", "21.09.2015"]])
    table = find_table(sheet)
    assert "provider" not in table.columns and _columns(table)["contact"] == "Name der Ansprechperson"
    assert [say(n, "de") for n in table.notes if "Keine Spalte nennt den Träger" in say(n, "de")]


def test_a_county_is_the_place_only_when_no_nearer_place_is_named():
    rows = [["Träger A", "Kurs A", "Dresden, Stadt", "Dresden, Kreisfreie Stadt"],
            ["Träger B", "Kurs B", "Bautzen", "Bautzen, Landkreis"]]
    both = find_table(RawSheet("L", [["Name des Begünstigten", "Bezeichnung des Vorhabens", "Durchführungsort",
                                      "Landkreis"], *rows]))
    assert _columns(both)["districts"] == "Durchführungsort" and "districts" not in both.more_columns
    assert list(both.extra_columns.values()) == ["Landkreis"]
    alone = find_table(RawSheet("L", [["Name des Begünstigten", "Bezeichnung des Vorhabens", "Landkreis"],
                                      *[row[:2] + row[3:] for row in rows]]))
    assert _columns(alone)["districts"] == "Landkreis"


def test_in_a_directory_of_offers_the_short_text_names_the_offer_and_the_long_one_describes_it():
    details = "Freitag bis Sonntag Sonderpreis 23 Euro; der Sonderpreis gilt nicht für Fremdveranstaltungen und " \
              "ist nicht mit anderen Aktionen kombinierbar."
    rows = [[f"Anbieter {i}", f"Ermäßigter Eintritt {i}", details if i % 3 else "", "Kultur"] for i in range(6)]
    sheet = RawSheet("Berlinpass", [["Anbieter", "Kurzbeschreibung des Angebots", "Informationen zum Angebot",
                                     "Kategorie"], *rows])
    table = find_table(sheet)
    columns = _columns(table)
    assert columns["title"] == "Kurzbeschreibung des Angebots"
    assert columns["description"] == "Informationen zum Angebot" and columns["fields"] == "Kategorie"
    assert any("gilt als Titel" in say(n, "de") for n in table.notes)


def test_a_long_title_column_named_by_its_own_synonym_stays_the_title():
    rows = [[f"Träger {i}", "Kompetenzentwicklung von Beschäftigten durch das Bildungsscheckverfahren des Landes "
             f"Nordrhein-Westfalen, Runde {i}", "Bildungsscheck"] for i in range(5)]
    sheet = RawSheet("NRW", [["Name des Begünstigten", "Bezeichnung des Vorhabens", "Zusammenfassung des Vorhabens"],
                             *rows])
    assert _columns(find_table(sheet))["title"] == "Bezeichnung des Vorhabens"
