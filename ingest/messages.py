"""Row-level report messages: stable codes with a level; their German and English texts are in `graph.texts`."""

from knotenpunkt.graph.texts import LANGUAGES, say, text

__all__ = ["LEVELS", "MESSAGES", "message"]

# code -> level; "error" rejects the row, "warning" flags it, "info" only informs. The texts are
# ``row.<code>`` in the catalogue (graph/texts.toml).
LEVELS = {
    "missing_title": "error",
    "missing_provider": "error",
    "unknown_provider": "warning",
    "placeholder": "warning",
    "unbalanced_quote": "warning",
    "postcode_in_place": "info",
    "postcode_zero_restored": "info",
    "provider_list": "info",
    "provider_address": "info",
    "provider_person": "info",
    "org_kept_apart": "info",
    "mojibake_repaired": "warning",
    "mojibake_repaired_personal": "warning",  # the same, in personal data: the value is not shown
    "missing_name": "error",
    "missing_partner": "error",
    "missing_members": "error",
    "self_cooperation": "error",
    "impossible_date": "error",
    "not_a_date": "error",
    "end_before_start": "error",
    "extra_cells": "error",
    "short_row": "warning",
    "duplicate_row": "warning",
    "duplicate_id": "warning",
    "alike_other_id": "info",  # two records alike under two identifiers: two measures (two grants of one kind)
    "private_person": "info",  # a natural person named as an organisation: a neutral label, the name kept apart
    "fuzzy_match": "warning",
    "explained_match": "info",
    "other_scheme_value": "info",
    "user_no_concept": "info",
    "unmapped_value": "warning",
    "unknown_district": "warning",
    "district_from_data": "info",  # the territory has no list of areas: its areas come from the data
    "district_added": "warning",
    "formula_not_calculated": "warning",
    "excel_error": "warning",
    "bad_number": "warning",
    "date_year_only": "info",
    "open_end": "info",
    "own_funds": "info",
}

# code -> (level, German, English): the same table as one tuple per code, for callers that want all three
MESSAGES = {code: (level, text("row." + code, "de"), text("row." + code, "en")) for code, level in LEVELS.items()}


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
        Filled into the texts (``value``, ``label``, ``score``, ``suggestions``); a `graph.texts.Phrase` or a
        ``{"de": …, "en": …}`` value is written in each text's own language.

    Returns
    -------
    dict
        ``column``, ``code``, ``level``, ``de``, ``en``.

    Examples
    --------
    >>> message("impossible_date", "Beginn", value="31.02.2024")["de"]
    'Das Datum „31.02.2024“ gibt es nicht.'
    >>> from knotenpunkt.graph.texts import Phrase
    >>> message("explained_match", value="Kita", label="Kinder", score=Phrase("row.match.vocabulary"))["en"]
    '"Kita" mapped to "Kinder" (a label of the vocabulary).'
    """
    out = {"column": column, "code": code, "level": LEVELS[code]}
    for lang in LANGUAGES:
        fill = {"value": "", "label": "", "score": "", "suggestions": "–",
                **{k: _one_line(say(v, lang)) for k, v in values.items() if v is not None}}
        out[lang] = text("row." + code, lang, **fill)
    return out
