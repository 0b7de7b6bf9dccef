"""Row-level report messages: stable codes with German and English texts."""

__all__ = ["MESSAGES", "message"]

# code -> (level, German, English); level "error" rejects the row, "warning" flags it,
# "info" only informs.
MESSAGES = {
    "missing_title": ("error", "Der Titel fehlt.", "The title is missing."),
    "missing_provider": ("error", "Der Träger fehlt.", "The provider is missing."),
    "unknown_provider": ("warning", "Der Träger fehlt; die Maßnahme wird mit unbekanntem Träger übernommen (zählt für "
                         "Lücken, nicht für Überschneidungen). Bitte den Träger nachtragen.",
                         "The provider is missing; the measure is imported with an unknown provider (it counts for "
                         "gaps, not for overlaps). Please add the provider."),
    "placeholder": ("warning", "„{value}“ ist ein Platzhalter, kein Wert; als leer behandelt.",
                    "\"{value}\" is a placeholder, not a value; treated as empty."),
    "unbalanced_quote": ("warning", "In dieser Zeile steht ein Anführungszeichen ohne Gegenstück; die Zeile wurde ohne "
                         "Anführungszeichen gelesen. Bitte prüfen.",
                         "This row has a quotation mark without its pair; the row was read without quoting. "
                         "Please check."),
    "postcode_in_place": ("info", "„{value}“ ist eine Postleitzahl, kein Gebiet; als Postleitzahl der Maßnahme erfasst.",
                          "\"{value}\" is a postcode, not an area; recorded as the measure's postcode."),
    "provider_list": ("info", "Die Trägerzelle nennt mehrere Organisationen; die erste gilt als Träger, die "
                      "weiteren ({value}) als Kooperationspartner.",
                      "The provider cell names several organisations; the first is the provider, the others "
                      "({value}) partners."),
    "mojibake_repaired": ("warning", "Falsch kodierter Text repariert: „{value}“ → „{label}“.",
                          "Mis-encoded text repaired: \"{value}\" → \"{label}\"."),
    "missing_name": ("error", "Der Name fehlt.", "The name is missing."),
    "missing_partner": ("error", "Ein Kooperationspartner fehlt.", "A cooperation partner is missing."),
    "missing_members": ("error", "Das Netzwerk hat keine Mitglieder.", "The network has no members."),
    "self_cooperation": ("error", "„{value}“ kann nicht mit sich selbst kooperieren.", "\"{value}\" cannot cooperate with itself."),
    "impossible_date": ("error", "Das Datum „{value}“ gibt es nicht.", "The date \"{value}\" does not exist."),
    "not_a_date": ("error", "„{value}“ ist kein Datum.", "\"{value}\" is not a date."),
    "end_before_start": ("error", "Das Ende ({value}) liegt vor dem Beginn.", "The end ({value}) lies before the start."),
    "extra_cells": ("error", "Die Zeile hat mehr Zellen ({value}) als Überschriften.", "The row has more cells ({value}) than headers."),
    "short_row": ("warning", "Die Zeile hat weniger Zellen ({value}) als Überschriften; der Rest gilt als leer.",
                  "The row has fewer cells ({value}) than headers; the rest counts as empty."),
    "duplicate_row": ("warning", "Doppelter Eintrag: gleicher Inhalt wie Zeile {value}; einmal übernommen.",
                      "Duplicate entry: same content as row {value}; imported once."),
    "duplicate_id": ("warning", "Die Nummer „{value}“ kommt mehrfach vor; diese Zeile erhält eine eigene Kennung.",
                     "The id \"{value}\" occurs more than once; this row gets an identifier of its own."),
    "fuzzy_match": ("warning", "„{value}“ ähnlich zugeordnet zu „{label}“ (Ähnlichkeit {score}). Bitte prüfen.",
                    "\"{value}\" mapped by similarity to \"{label}\" (score {score}). Please check."),
    "explained_match": ("info", "„{value}“ zugeordnet zu „{label}“ ({score}).",
                        "\"{value}\" mapped to \"{label}\" ({score})."),
    "unmapped_value": ("warning", "„{value}“ passt zu keinem Begriff; als Text behalten. Vorschläge: {suggestions}.",
                       "\"{value}\" matches no concept; kept as text. Suggestions: {suggestions}."),
    "unknown_district": ("warning", "Das Gebiet „{value}“ gehört nicht zur Gebietsliste; als Text behalten. Vorschläge: {suggestions}.",
                         "The area \"{value}\" is not in the list of areas; kept as text. Suggestions: {suggestions}."),
    "district_from_data": ("warning", "Das Gebiet „{value}“ steht in keiner Gebietsliste und wurde aus den Daten übernommen.",
                           "The area \"{value}\" is in no list of areas and was taken from the data."),
    "district_added": ("warning", "Das Gebiet „{value}“ fehlt im mitgelieferten Gebietsschema und wurde ergänzt.",
                       "The area \"{value}\" is missing from the bundled territory and was added."),
    "formula_not_calculated": ("warning", "Die Formel in dieser Zelle wurde nie berechnet; es gibt keinen Wert. "
                               "Bitte die Datei in Excel oder LibreOffice öffnen und speichern.",
                               "The formula in this cell was never calculated; there is no value. "
                               "Please open and save the file in Excel or LibreOffice."),
    "bad_number": ("warning", "„{value}“ ist keine Zahl; ignoriert.", "\"{value}\" is not a number; ignored."),
    "date_year_only": ("info", "Nur ein Jahr angegeben („{value}“); gelesen als {label}.",
                       "Only a year given (\"{value}\"); read as {label}."),
    "open_end": ("info", "Kein Ende angegeben („{value}“): läuft weiter.", "No end given (\"{value}\"): ongoing."),
    "own_funds": ("info", "„{value}“: eigene Mittel des Trägers, als Finanzierung durch den Träger erfasst.",
                  "\"{value}\": the provider's own means, recorded as funding by the provider."),
}


def _one_line(value, limit=120):
    """A cell value for a message: one line, at most `limit` characters (a paragraph never fills a report).

    Examples
    --------
    >>> _one_line("Zeile eins\\nZeile zwei"), len(_one_line("x" * 500))
    ('Zeile eins Zeile zwei', 120)
    """
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def message(code, column=None, **values):
    """Build a report message.

    Parameters
    ----------
    code : str
        A key of `MESSAGES`.
    column : str, optional
        The column header the message is about.
    **values
        Filled into the texts (``value``, ``label``, ``score``, ``suggestions``).

    Returns
    -------
    dict
        ``column``, ``code``, ``level``, ``de``, ``en``.

    Examples
    --------
    >>> message("impossible_date", "Beginn", value="31.02.2024")["de"]
    'Das Datum „31.02.2024“ gibt es nicht.'
    """
    level, de, en = MESSAGES[code]
    fill = {"value": "", "label": "", "score": "", "suggestions": "–",
            **{k: _one_line(v) for k, v in values.items() if v is not None}}
    return {"column": column, "code": code, "level": level, "de": de.format(**fill), "en": en.format(**fill)}
