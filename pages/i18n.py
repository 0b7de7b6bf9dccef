"""Every UI text in one table, German first; the language lives in the URL (``?lang=en``)."""

import streamlit as st

import re

__all__ = ["TEXTS", "LANGUAGES", "current_language", "t", "plain"]

LANGUAGES = ("de", "en")

TEXTS = {
    "app_title": {"de": "Knotenpunkt", "en": "Knotenpunkt"},
    "tagline": {"de": "Wer macht was, für wen, wo – und mit wem?", "en": "Who does what, for whom, where – and with whom?"},
    "page_overview": {"de": "Übersicht", "en": "Overview"},
    "language": {"de": "Sprache", "en": "Language"},
    "store_label": {"de": "Datenbestand", "en": "Data store"},
    "no_data": {"de": "Noch keine Daten im Bestand. Importieren Sie eine Bestandsaufnahme, z. B. mit "
                      "`knotenpunkt import data/sample/wetzlar_integrationsangebote.xlsx`.",
                "en": "No data in the store yet. Import an inventory, e.g. with "
                      "`knotenpunkt import data/sample/wetzlar_integrationsangebote.xlsx`."},
    "key_figures": {"de": "Kennzahlen", "en": "Key figures"},
    "measures": {"de": "Angebote und Maßnahmen", "en": "Measures"},
    "organisations": {"de": "Organisationen", "en": "Organisations"},
    "target_groups": {"de": "Zielgruppen erreicht", "en": "Target groups served"},
    "districts": {"de": "Stadtteile", "en": "Districts"},
    "cooperations": {"de": "Kooperationen", "en": "Cooperations"},
    "networks": {"de": "Netzwerke", "en": "Networks"},
    "top_findings": {"de": "Wichtigste Befunde", "en": "Key findings"},
    "suggested_action": {"de": "Vorschlag", "en": "Suggestion"},
}

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def plain(text):
    """Escape Markdown so that data ("Senior*innen", "<img …>") is shown as the text it is."""
    return _MARKDOWN.sub(r"\\\1", str(text))


def current_language():
    """The language from the URL (``?lang=en``), German by default."""
    lang = st.query_params.get("lang", "de")
    return lang if lang in LANGUAGES else "de"


def t(key, lang=None):
    """The text for `key` in the current language."""
    return TEXTS[key][lang or current_language()]
