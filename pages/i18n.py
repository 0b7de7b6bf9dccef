"""Every UI text in one table, German first; the language lives in the URL (``?lang=en``)."""

import re

import streamlit as st

from ingest.tables import ROLE_LABELS

__all__ = ["TEXTS", "LANGUAGES", "LANGUAGE_KEY", "current_language", "t", "plain", "column_labels", "format_number", "role_label",
           "ROLE_LABELS"]

LANGUAGES = ("de", "en")
LANGUAGE_KEY = "lang"  # session-state entry that keeps the language across pages

TEXTS = {
    "app_title": {"de": "Knotenpunkt", "en": "Knotenpunkt"},
    "tagline": {"de": "Wer macht was, für wen, wo – und mit wem?", "en": "Who does what, for whom, where – and with whom?"},
    "page_overview": {"de": "Übersicht", "en": "Overview"},
    "language": {"de": "Sprache", "en": "Language"},
    "store_label": {"de": "Datenbestand", "en": "Data store"},
    "no_data": {"de": "Noch keine Daten im Bestand. Laden Sie Ihre Bestandsaufnahme auf der Seite „Import“ hoch.",
                "en": "No data in the store yet. Upload your inventory on the “Import” page."},
    "error_title": {"de": "Diese Seite konnte nicht vollständig angezeigt werden.",
                    "en": "This page could not be shown completely."},
    "error_what_to_do": {"de": "Ihre Daten sind unverändert. Laden Sie die Seite neu oder wählen Sie links eine andere "
                               "Seite. Tritt der Fehler wieder auf, geben Sie der technischen Betreuung Bescheid: "
                               "die Einzelheiten stehen im Protokoll des Servers.",
                         "en": "Your data is unchanged. Reload the page or choose another page on the left. If it "
                               "happens again, tell your technical support: the details are in the server's log."},
    "key_figures": {"de": "Kennzahlen", "en": "Key figures"},
    "measures": {"de": "Angebote und Maßnahmen", "en": "Measures"},
    "organisations": {"de": "Organisationen", "en": "Organisations"},
    "target_groups": {"de": "Zielgruppen erreicht", "en": "Target groups served"},
    "districts": {"de": "Stadtteile", "en": "Districts"},
    "cooperations": {"de": "Kooperationen", "en": "Cooperations"},
    "networks": {"de": "Netzwerke", "en": "Networks"},
    "top_findings": {"de": "Wichtigste Befunde", "en": "Key findings"},
    "suggested_action": {"de": "Vorschlag", "en": "Suggestion"},
    "page_export": {"de": "Export", "en": "Export"},
    "sparql_intro": {"de": "Eigene Fragen an den Bestand: eine fertige Abfrage mit Parametern oder eine eigene "
                           "SPARQL-Abfrage. Nur lesend, mit Zeitlimit; der Link in der Adresszeile teilt die Abfrage.",
                     "en": "Your own questions to the inventory: a canned query with parameters or your own SPARQL "
                           "query. Read-only, with a time limit; the link in the address bar shares the query."},
    "sparql_choose": {"de": "Abfrage", "en": "Query"},
    "sparql_custom": {"de": "Eigene Abfrage (SPARQL)", "en": "Own query (SPARQL)"},
    "sparql_editor": {"de": "SPARQL (kp:, skos:, dct:, org: … sind vordefiniert)",
                      "en": "SPARQL (kp:, skos:, dct:, org: … are predefined)"},
    "sparql_optional": {"de": "optional", "en": "optional"},
    "sparql_run": {"de": "Abfrage ausführen", "en": "Run query"},
    "sparql_answer": {"de": "Antwort", "en": "Answer"},
    "yes": {"de": "ja", "en": "yes"},
    "no": {"de": "nein", "en": "no"},
    "sparql_rows": {"de": "{rows} Zeilen", "en": "{rows} rows"},
    "sparql_truncated": {"de": "Gekürzt: nur die ersten {rows} Zeilen (Einstellung max_returned_rows).",
                         "en": "Truncated: only the first {rows} rows (setting max_returned_rows)."},
    "download_csv": {"de": "Als CSV herunterladen", "en": "Download CSV"},
    "download_json": {"de": "Als JSON herunterladen", "en": "Download JSON"},
    "download_turtle": {"de": "Als Turtle herunterladen", "en": "Download Turtle"},
    "export_personal_on": {"de": "Personenbezogene Daten (Ansprechpersonen, E-Mail, Telefon) sind enthalten "
                                 "(Einstellung `include_personal_data`).",
                           "en": "Personal data (contact persons, e-mail, phone) is included "
                                 "(setting `include_personal_data`)."},
    "export_personal_off": {"de": "Ohne personenbezogene Daten (Ansprechpersonen, E-Mail, Telefon); einschalten "
                                  "mit der Einstellung `include_personal_data`.",
                            "en": "Without personal data (contact persons, e-mail, phone); switch it on with the "
                                  "setting `include_personal_data`."},
    "export_since": {"de": "Vergleichen mit Version", "en": "Compare with version"},
    "export_previous": {"de": "der vorigen Version", "en": "the previous version"},
    "export_building": {"de": "Folien, Handout und Bilder werden erstellt …", "en": "Building slides, handout and pictures …"},
    "export_documents": {"de": "Für die Lenkungsgruppe", "en": "For the steering group"},
    "export_deck": {"de": "Foliensatz herunterladen (PPTX)", "en": "Download the deck (PPTX)"},
    "export_handout": {"de": "Handout herunterladen (PDF)", "en": "Download the handout (PDF)"},
    "export_data": {"de": "Daten", "en": "Data"},
    "export_ttl": {"de": "Graph (Turtle)", "en": "Graph (Turtle)"},
    "export_csv": {"de": "Angebote (CSV)", "en": "Measures (CSV)"},
    "export_xlsx": {"de": "Angebote (Excel)", "en": "Measures (Excel)"},
    "export_safe": {"de": "Zellen, die mit =, +, - oder @ beginnen, werden nie zu Formeln: in Excel als Text, in "
                          "CSV mit vorangestelltem Apostroph (Telefonnummern wie +49 6441 … bleiben lesbar).",
                    "en": "Cells starting with =, +, - or @ never become formulas: text cells in Excel, a leading "
                          "apostrophe in CSV (phone numbers like +49 6441 … stay readable)."},
    "export_preview": {"de": "Vorschau der Bilder auf den Folien", "en": "Preview of the pictures on the slides"},
    "export_picture_netzwerk": {"de": "Netzwerk der Träger", "en": "Network of providers"},
    "export_picture_luecken": {"de": "Lückenmatrix Zielgruppe × Handlungsfeld", "en": "Gap matrix target group × field"},
    "export_picture_stadtteile": {"de": "Bedarf und Angebot nach Stadtteil", "en": "Need and supply by district"},
    # the app's pages (issue 7)
    "page_import": {"de": "Import", "en": "Import"},
    "page_measures": {"de": "Angebote", "en": "Measures"},
    "page_organisations": {"de": "Organisationen", "en": "Organisations"},
    "page_network": {"de": "Netzwerk", "en": "Network"},
    "page_gaps": {"de": "Lücken", "en": "Gaps"},
    "page_duplicates": {"de": "Dubletten", "en": "Duplicates"},
    "page_sparql": {"de": "SPARQL", "en": "SPARQL"},
    "at_day": {"de": "Stichtag", "en": "Reference day"},
    "since_last": {"de": "Seit der letzten Sitzung", "en": "Since the last meeting"},
    "since_version": {"de": "Verglichen mit: {label}", "en": "Compared with: {label}"},
    "no_changes": {"de": "Keine Änderungen seit dem vorigen Import.", "en": "No changes since the previous import."},
    "no_previous": {"de": "Noch kein früherer Import zum Vergleichen.", "en": "No earlier import to compare with yet."},
    "diff_new_measures": {"de": "neue Angebote", "en": "new measures"},
    "diff_ended_measures": {"de": "beendete Angebote", "en": "ended measures"},
    "diff_new_organisations": {"de": "neue Organisationen", "en": "new organisations"},
    "diff_lost_organisations": {"de": "entfallene Organisationen", "en": "organisations gone"},
    "diff_new_cooperations": {"de": "neue Kooperationen", "en": "new cooperations"},
    "diff_lost_cooperations": {"de": "beendete Kooperationen", "en": "cooperations gone"},
    "diff_cells_gained": {"de": "geschlossene Lücken", "en": "gaps closed"},
    "diff_cells_lost": {"de": "neue Lücken", "en": "new gaps"},
    "filters": {"de": "Filter", "en": "Filters"},
    "choose": {"de": "Bitte wählen", "en": "Choose"},
    "filter_target_group": {"de": "Zielgruppe", "en": "Target group"},
    "filter_field": {"de": "Handlungsfeld", "en": "Field of action"},
    "filter_district": {"de": "Stadtteil", "en": "District"},
    "filter_provider": {"de": "Träger", "en": "Provider"},
    "filter_funder": {"de": "Fördermittelgeber", "en": "Funder"},
    "filter_type": {"de": "Trägertyp", "en": "Organisation type"},
    "period": {"de": "Zeitraum", "en": "Period"},
    "period_from": {"de": "aktiv von", "en": "active from"},
    "period_until": {"de": "aktiv bis", "en": "active until"},
    "text_search": {"de": "Suche in Titel, Nummer, Träger", "en": "Search title, number, provider"},
    "measures_shown": {"de": "{shown} von {total} Angeboten", "en": "{shown} of {total} measures"},
    "measure_detail": {"de": "Angebot im Detail", "en": "Measure in detail"},
    "provenance": {"de": "Herkunft: Datei, Blatt, Zeile", "en": "Provenance: file, sheet, row"},
    "col_id": {"de": "Nr.", "en": "No."},
    "col_title": {"de": "Angebot", "en": "Measure"},
    "col_provider": {"de": "Träger", "en": "Provider"},
    "col_partner": {"de": "Partner", "en": "Partners"},
    "col_target_group": {"de": "Zielgruppe", "en": "Target group"},
    "col_field": {"de": "Handlungsfeld", "en": "Field of action"},
    "col_district": {"de": "Stadtteil", "en": "District"},
    "col_funder": {"de": "Förderung", "en": "Funding"},
    "col_start": {"de": "Beginn", "en": "Start"},
    "col_end": {"de": "Ende", "en": "End"},
    "col_file": {"de": "Datei", "en": "File"},
    "col_rank": {"de": "Rang", "en": "Rank"},
    "col_need": {"de": "Bedarf: Menschen mit Migrationsgeschichte ohne Angebot vor Ort",
                 "en": "Need: residents with a migration background without a local measure"},
    "col_districts_without": {"de": "Stadtteile ohne Angebot vor Ort", "en": "Districts without a local measure"},
    "col_description": {"de": "Beschreibung", "en": "Description"},
    "col_languages": {"de": "Sprachen", "en": "Languages"},
    "col_schedule": {"de": "Turnus", "en": "Schedule"},
    "col_notes": {"de": "Weitere Angaben (als Text)", "en": "Further details (as text)"},
    "col_sheet": {"de": "Blatt", "en": "Sheet"},
    "col_row": {"de": "Zeile", "en": "Row"},
    "col_role": {"de": "Rolle", "en": "Role"},
    "col_label": {"de": "Organisation", "en": "Organisation"},
    "col_cooperation": {"de": "Kooperation", "en": "Cooperation"},
    "col_joint_measure": {"de": "gemeinsame Angebote", "en": "joint measures"},
    "col_network": {"de": "gemeinsame Netzwerke", "en": "common networks"},
    "col_weight": {"de": "Gewicht", "en": "Weight"},
    "col_kind": {"de": "Art", "en": "Kind"},
    "col_status": {"de": "Status", "en": "Status"},
    "col_header_row": {"de": "Kopfzeile", "en": "Header row"},
    "col_rows": {"de": "Zeilen", "en": "Rows"},
    "col_measures": {"de": "Angebote", "en": "Measures"},
    "col_inhabitants": {"de": "Einwohner", "en": "Inhabitants"},
    "col_migration_share": {"de": "Anteil mit Migrationshintergrund", "en": "Share with migration background"},
    "col_per_1000": {"de": "Angebote je 1.000 Menschen mit Migrationshintergrund",
                     "en": "Measures per 1,000 residents with a migration background"},
    "col_local_gaps": {"de": "Lücken vor Ort", "en": "Local gaps"},
    "col_reason": {"de": "Grund", "en": "Reason"},
    "col_last_end": {"de": "letztes Ende", "en": "Last end"},
    "col_messages": {"de": "Meldungen", "en": "Messages"},
    "col_header": {"de": "Spaltenüberschrift", "en": "Column header"},
    "col_how": {"de": "Zuordnung", "en": "Match"},
    "col_suggestions": {"de": "Vorschläge", "en": "Suggestions"},
    "col_text": {"de": "Text in der Tabelle", "en": "Text in the sheet"},
    "col_name_a": {"de": "Name A", "en": "Name A"},
    "col_name_b": {"de": "Name B", "en": "Name B"},
    "col_decision": {"de": "Entscheidung", "en": "Decision"},
    "organisation": {"de": "Organisation", "en": "Organisation"},
    "other_names": {"de": "Weitere Schreibweisen", "en": "Other names"},
    "partners": {"de": "Partner", "en": "Partners"},
    "ego_network": {"de": "Ego-Netzwerk", "en": "Ego network"},
    "no_networks": {"de": "In keinem Netzwerk oder Arbeitskreis eingetragen.", "en": "Not listed in any network or working group."},
    "not_in_network": {"de": "Diese Organisation hat keine Verbindungen im Netzwerk.", "en": "This organisation has no links in the network."},
    "role_provider": {"de": "Träger", "en": "Provider"},
    "role_partner": {"de": "Partner", "en": "Partner"},
    "metric_degree": {"de": "Verbindungen", "en": "Links"},
    "metric_betweenness": {"de": "Vermittler", "en": "Broker"},
    "metric_closeness": {"de": "Reichweite", "en": "Reach"},
    "metric_eigenvector": {"de": "Einfluss", "en": "Influence"},
    "metric_help_degree": {"de": "Mit wie vielen anderen die Organisation direkt verbunden ist (Anteil an allen).",
                           "en": "How many others the organisation is directly linked with (share of all)."},
    "metric_help_betweenness": {"de": "Wie oft sie auf dem kürzesten Weg zwischen zwei anderen liegt: wer Gruppen "
                                      "verbindet, die sonst getrennt wären.",
                                "en": "How often it lies on the shortest path between two others: who connects "
                                      "groups that would otherwise be apart."},
    "metric_help_closeness": {"de": "Wie schnell sie alle anderen über Partner erreicht (1 = alle direkt).",
                              "en": "How quickly it reaches everyone else through partners (1 = all directly)."},
    "metric_help_eigenvector": {"de": "Verbunden mit Organisationen, die selbst gut verbunden sind.",
                                "en": "Linked with organisations that are well linked themselves."},
    "metric_bridge": {"de": "Brücke", "en": "Bridge"},
    "metric_help_bridge": {"de": "Ohne diese Organisation zerfällt das Netzwerk in getrennte Teile.",
                           "en": "Without this organisation the network falls apart."},
    "size_links": {"de": "Zahl der Verbindungen", "en": "Number of links"},
    "community_of": {"de": "Umfeld {name}", "en": "Around {name}"},
    "community_rest": {"de": "kleinere Gruppen und Einzelne", "en": "smaller groups and singles"},
    "and_more": {"de": "… und {count} weitere", "en": "… and {count} more"},
    "network_click_hint": {"de": "Klicken Sie auf eine Organisation: hier erscheinen ihre Angebote, ihre Partner und "
                                 "ein Link zu ihrem Profil. Ein Klick auf einen Eintrag der Legende blendet diese "
                                 "Gruppe aus oder ein.",
                           "en": "Click an organisation: its measures, partners and a link to its profile appear "
                                 "here. Clicking a legend entry hides or shows that group."},
    "open_profile": {"de": "Profil öffnen", "en": "Open profile"},
    "legend_click_hint": {"de": "Klicken: aus- oder einblenden", "en": "Click: hide or show"},
    "groups_hint": {"de": "Jeder Kreis ist eine Gruppe von Organisationen; gezeigt sind die stärksten Verbindungen "
                          "jeder Gruppe. Öffnen Sie eine Gruppe oben, um ihre Organisationen zu sehen.",
                    "en": "Each circle is a group of organisations; the strongest links of each group are shown. "
                          "Open a group above to see its organisations."},
    "network_outside": {"de": "{count} weitere Organisationen im Bestand fördern nur und haben keine Kooperation, "
                              "kein Angebot und kein Netzwerk: sie erscheinen nicht im Netzwerk.",
                        "en": "{count} more organisations in the store only fund and have no cooperation, measure or "
                              "network: they are not in the network."},
    "color_by": {"de": "Farbe nach", "en": "Colour by"},
    "size_by": {"de": "Größe nach", "en": "Size by"},
    "size_equal": {"de": "alle gleich", "en": "all equal"},
    "legend_type": {"de": "Trägertyp", "en": "Organisation type"},
    "legend_community": {"de": "Gemeinschaft", "en": "Community"},
    "legend_district": {"de": "Stadtteil", "en": "District"},
    "community": {"de": "Gemeinschaft", "en": "Community"},
    "not_given": {"de": "ohne Angabe", "en": "not given"},
    "links": {"de": "Verbindungen", "en": "Links"},
    "search_in_picture": {"de": "Im Bild suchen …", "en": "Search the picture …"},
    "search_organisation": {"de": "Organisation suchen (zeigt ihr Ego-Netzwerk)", "en": "Find an organisation (shows its ego network)"},
    "hops": {"de": "Abstand (1 = direkte Partner)", "en": "Distance (1 = direct partners)"},
    "ego_of": {"de": "Ego-Netzwerk von {name}: alle Organisationen im Abstand bis {hops} (1 = direkte Partner).",
               "en": "Ego network of {name}: every organisation at a distance up to {hops} (1 = direct partners)."},
    "aggregate_by": {"de": "Zusammenfassen nach", "en": "Group by"},
    "aggregated": {"de": "{nodes} Organisationen sind zu viele für ein Bild: zusammengefasst zu {groups} Gruppen. "
                         "Wählen Sie eine Gruppe, um ihre Organisationen zu sehen.",
                   "en": "{nodes} organisations are too many for one picture: grouped into {groups} groups. "
                         "Choose a group to see its organisations."},
    "drill_down": {"de": "Gruppe öffnen", "en": "Open a group"},
    "network_size": {"de": "{nodes} Organisationen, {edges} Verbindungen", "en": "{nodes} organisations, {edges} links"},
    "network_empty": {"de": "Keine Organisation passt zu diesen Filtern.", "en": "No organisation matches these filters."},
    "gaps_at": {"de": "Stand: aktive Angebote am {day} (Stichtag in der Seitenleiste)",
                "en": "Measures active on {day} (reference day in the sidebar)"},
    "whole_city": {"de": "ganze Stadt", "en": "whole city"},
    "coverage": {"de": "Abdeckung Zielgruppe × Handlungsfeld", "en": "Coverage target group × field of action"},
    "coverage_help": {"de": "Zahl der aktiven Angebote je Zelle; ✕ markiert Zellen ohne Angebot. Angebote für eine "
                            "engere Zielgruppe zählen für die weitere mit.",
                      "en": "Active measures per cell; ✕ marks cells without any measure. Measures for a narrower "
                            "target group count for the broader one."},
    "correct_measure": {"de": "Angebot korrigieren", "en": "Correct this measure"},
    "correction_save": {"de": "Korrektur speichern", "en": "Save correction"},
    "correction_undo": {"de": "Korrektur zurücknehmen", "en": "Undo correction"},
    "correction_saved": {"de": "Korrektur gespeichert; sie gilt sofort. Die Importdatei bleibt unverändert.",
                         "en": "Correction saved; it applies at once. The imported file stays unchanged."},
    "correction_undone": {"de": "Korrektur zurückgenommen; es gelten wieder die importierten Angaben.",
                          "en": "Correction undone; the imported values apply again."},
    "corrected_fields": {"de": "In der App korrigiert: {fields}.", "en": "Corrected in the app: {fields}."},
    "gaps_first": {"de": "Zuerst angehen", "en": "Tackle first"},
    "gaps_first_help": {"de": "Leere und dünn besetzte Kombinationen (höchstens 1 Angebot), nach Bedarf geordnet: wie "
                              "viele Menschen mit Migrationsgeschichte in Stadtteilen ohne ein solches Angebot vor Ort "
                              "leben (aus dem Stadtteil-Blatt).",
                        "en": "Empty and thin cells (at most 1 measure), ordered by need: how many residents with a "
                              "migration background live in districts without such a measure (from the district "
                              "sheet)."},
    "gaps_all": {"de": "Alle leeren und dünnen Kombinationen ({count})", "en": "All empty and thin cells ({count})"},
    "no_offer": {"de": "kein Angebot", "en": "no measure"},
    "bars_shown": {"de": "Die {shown} am schlechtesten versorgten von {total} Stadtteilen; die Tabelle zeigt alle.",
                   "en": "The {shown} least supplied of {total} districts; the table lists all."},
    "zero_cells": {"de": "Zellen ohne Angebot ({count})", "en": "Cells without a measure ({count})"},
    "need_supply": {"de": "Bedarf und Angebot je Stadtteil", "en": "Need and supply per district"},
    "funding_cliff": {"de": "Förderklippe", "en": "Funding cliff"},
    "cliff_ends": {"de": "alle Angebote enden bald", "en": "every measure ends soon"},
    "cliff_one_funder": {"de": "hängt an einem Geldgeber", "en": "depends on one funder"},
    "overlaps": {"de": "Unkoordinierte Überschneidungen ({count})", "en": "Uncoordinated overlaps ({count})"},
    "overlaps_help": {"de": "Angebote verschiedener Träger für dieselbe Zielgruppe, dasselbe Handlungsfeld und denselben "
                            "Stadtteil zur selben Zeit, ohne Kooperation, gemeinsames Angebot oder Netzwerk.",
                      "en": "Measures of different providers for the same target group, field and district at the same "
                            "time, without a cooperation, joint measure or common network."},
    "org_proposals": {"de": "Mögliche Dubletten bei Organisationen ({count})",
                      "en": "Possible duplicate organisations ({count})"},
    "org_proposals_help": {"de": "Eine Entscheidung gilt sofort in allen Auswertungen und beim nächsten Import; "
                                 "„Rückgängig“ setzt sie wieder auf offen.",
                           "en": "A decision applies at once in every analysis and at the next import; “Undo” sets "
                                 "it back to open."},
    "same": {"de": "Dieselbe", "en": "Same"},
    "different": {"de": "Verschieden", "en": "Different"},
    "import_proposals_help": {"de": "Eine Entscheidung gilt sofort für diesen Import; „offen“ nimmt sie zurück.",
                              "en": "A decision applies to this import at once; “open” takes it back."},
    "undo": {"de": "Rückgängig", "en": "Undo"},
    "open": {"de": "offen", "en": "open"},
    "decided_same": {"de": "entschieden: dieselbe Organisation", "en": "decided: the same organisation"},
    "decided_different": {"de": "entschieden: verschiedene Organisationen", "en": "decided: different organisations"},
    "decisions_made": {"de": "Getroffene Entscheidungen ({count})", "en": "Decisions made ({count})"},
    "decision_saved": {"de": "Entscheidung gespeichert; sie gilt ab sofort.",
                       "en": "Decision saved; it applies at once."},
    "decision_undone": {"de": "Entscheidung zurückgenommen; das Paar ist wieder offen.",
                        "en": "Decision undone; the pair is open again."},
    "filter_text": {"de": "Suchen (Name, Zielgruppe, Stadtteil …)", "en": "Search (name, target group, district …)"},
    "page_number": {"de": "Seite", "en": "Page"},
    "showing": {"de": "{first}–{last} von {total}", "en": "{first}–{last} of {total}"},
    "nothing_matches": {"de": "Nichts passt zur Suche.", "en": "Nothing matches the search."},
    "is_org": {"de": "im Bestand: {label}", "en": "in the store: {label}"},
    "score": {"de": "Ähnlichkeit", "en": "Score"},
    "import_help": {"de": "Laden Sie Ihre Bestandsaufnahme hoch (.xlsx, .ods, .csv). Erst mit „In den Bestand "
                          "übernehmen“ wird etwas gespeichert.",
                    "en": "Upload your inventory (.xlsx, .ods, .csv). Nothing is stored until you press "
                          "“Commit to the store”."},
    "import_upload": {"de": "Dateien hochladen", "en": "Upload files"},
    "import_reading": {"de": "Lese die Dateien …", "en": "Reading the files …"},
    "import_validating": {"de": "Prüfe gegen die Regeln des Modells …", "en": "Checking against the model's rules …"},
    "import_city": {"de": "Kommune: {city} · {rows} Zeilen gelesen", "en": "Municipality: {city} · {rows} rows read"},
    "import_sheets": {"de": "Erkannte Blätter", "en": "Detected sheets"},
    "import_columns": {"de": "Spalten", "en": "Columns"},
    "kind_measures": {"de": "Maßnahmen", "en": "measures"},
    "kind_providers": {"de": "Träger", "en": "providers"},
    "kind_districts": {"de": "Gebiete", "en": "districts"},
    "kind_cooperations": {"de": "Kooperationen", "en": "cooperations"},
    "kind_networks": {"de": "Netzwerke", "en": "networks"},
    "import_values": {"de": "Freitexte, die eine Entscheidung brauchen ({count})",
                      "en": "Free-text values that need a decision ({count})"},
    "import_values_help": {"de": "Leer lassen heißt: als Text behalten.", "en": "Leave empty to keep the text as it is."},
    "how_lexical": {"de": "aus dem Wortlaut gelesen", "en": "read from the wording"},
    "how_code": {"de": "über den Code", "en": "by its code"},
    "how_fuzzy": {"de": "ähnlich geschrieben", "en": "similar spelling"},
    "how_unmapped": {"de": "kein Begriff", "en": "no concept"},
    "role_target_groups": {"de": "Zielgruppe", "en": "Target group"},
    "role_fields": {"de": "Handlungsfeld", "en": "Field of action"},
    "role_districts": {"de": "Stadtteil", "en": "District"},
    "role_type": {"de": "Trägertyp", "en": "Organisation type"},
    "import_fix_missing_header": {"de": "Im Blatt „{sheet}“ (Überschriften in Zeile {row}) wurde keine Spalte für "
                                        "„{role}“ erkannt. Ordnen Sie unten jeder Spalte ihre Bedeutung zu und lesen "
                                        "Sie die Datei neu ein; die Zuordnung wird für den nächsten Import gemerkt.",
                                  "en": "In sheet “{sheet}” (headers in row {row}) no column for “{role}” was "
                                        "recognised. Give each column its meaning below and read the file again; the "
                                        "mapping is remembered for the next import."},
    "import_fix_no_table": {"de": "In „{sheet}“ wurde keine bekannte Spalte erkannt. Ordnen Sie unten jeder Spalte ihre "
                                  "Bedeutung zu und lesen Sie die Datei neu ein; die Zuordnung wird für den nächsten "
                                  "Import gemerkt.",
                            "en": "No known column was recognised in “{sheet}”. Give each column its meaning below and "
                                  "read the file again; the mapping is remembered for the next import."},
    "import_fix_duplicate_header": {"de": "Im Blatt „{sheet}“ (Überschriften in Zeile {row}) könnten zwei Spalten "
                                          "„{role}“ sein. Legen Sie unten fest, welche Spalte was bedeutet, und lesen "
                                          "Sie die Datei neu ein.",
                                    "en": "In sheet “{sheet}” (headers in row {row}) two columns could be “{role}”. "
                                          "Decide below which column means what, and read the file again."},
    "import_columns_help": {"de": "Spalten ohne Bedeutung werden als zusätzliche Angaben behalten. Stimmt etwas nicht, "
                                  "wählen Sie oben, was das Blatt enthält, ordnen Sie die Spalten zu und lesen Sie "
                                  "die Datei mit der Schaltfläche unten neu ein.",
                            "en": "Columns without a meaning are kept as additional information. If something is "
                                  "wrong, choose above what the sheet holds, assign the columns and read the file "
                                  "again with the button below."},
    "role_none": {"de": "– keine –", "en": "– none –"},
    "import_fix_kind": {"de": "Was steht in diesem Blatt?", "en": "What does this sheet hold?"},
    "import_fix_help": {"de": "Nötig sind bei Maßnahmen mindestens „Titel des Angebots“ und „Träger“. Spalten ohne "
                              "Bedeutung werden als zusätzliche Angaben behalten.",
                        "en": "Measures need at least “Title of the measure” and “Provider”. Columns without a "
                              "meaning are kept as additional information."},
    "import_replan": {"de": "Mit diesen Angaben neu einlesen", "en": "Read again with these answers"},
    "import_rows": {"de": "Zeilenbericht", "en": "Row report"},
    "status_imported": {"de": "übernommen", "en": "imported"},
    "status_warning": {"de": "mit Hinweis", "en": "with warning"},
    "status_rejected": {"de": "abgelehnt", "en": "rejected"},
    "download_report": {"de": "Zeilenbericht als CSV", "en": "Row report as CSV"},
    "import_not_conform": {"de": "Die Daten verletzen die Regeln des Modells (SHACL); so kann nichts übernommen werden.",
                           "en": "The data violates the model's rules (SHACL); nothing can be committed like this."},
    "version_label": {"de": "Bezeichnung dieses Stands", "en": "Label of this version"},
    "version_label_help": {"de": "z. B. Lenkungsgruppe März", "en": "e.g. steering group March"},
    "import_add": {"de": "Bisherige Dateien behalten (ergänzen statt ersetzen)",
                   "en": "Keep the earlier files (add instead of replace)"},
    "import_add_help": {"de": "Ohne Haken sind diese Dateien der ganze Bestand und ersetzen die des letzten Imports, "
                             "gleich unter welchem Namen. Mit Haken kommen sie dazu (z. B. eine getrennt geführte "
                             "Trägerliste).",
                        "en": "Unticked, these files are the whole inventory and replace those of the last import, "
                              "whatever their names. Ticked, they are added (e.g. a providers list kept apart)."},
    "import_commit": {"de": "In den Bestand übernehmen", "en": "Commit to the store"},
    "import_done": {"de": "Übernommen: {imported} Zeilen, {warning} mit Hinweis, {rejected} abgelehnt.",
                    "en": "Committed: {imported} rows, {warning} with a warning, {rejected} rejected."},
}



def role_label(role, lang=None):
    """A column role in plain words (the role's own name when it is new)."""
    pair = ROLE_LABELS.get(role)
    return pair[0 if (lang or current_language()) == "de" else 1] if pair else str(role)


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def plain(text):
    """Escape Markdown so that data ("Senior*innen", "<img …>") is shown as the text it is."""
    return _MARKDOWN.sub(r"\\\1", str(text))


def current_language():
    """The language from the URL (``?lang=en``), else the session's (page links drop the URL's parameters),
    German by default."""
    lang = st.query_params.get("lang") or st.session_state.get(LANGUAGE_KEY, "de")
    return lang if lang in LANGUAGES else "de"


def t(key, lang=None):
    """The text for `key` in the current language."""
    return TEXTS[key][lang or current_language()]


def format_number(value, digits=0, lang=None):
    """A number in the current language's format: 1.317 and 0,46 in German, 1,317 and 0.46 in English.

    Examples
    --------
    >>> format_number(1317.5, 1, "de"), format_number(0.459, 2, "de"), format_number(1317, lang="en")
    ('1.317,5', '0,46', '1,317')
    """
    if value is None:
        return "–"
    text = f"{value:,.{digits}f}"
    if (lang or current_language()) == "de":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def column_labels(keys):
    """Column name → its heading in the current language (``col_<name>`` in the table)."""
    return {key: t("col_" + key) for key in keys}
