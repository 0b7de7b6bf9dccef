"""The app's texts (``ui.*`` of the catalogue `graph.texts`) and formatting; the language lives in the URL (``?lang=en``)."""

import re

import streamlit as st

from knotenpunkt.graph.texts import language, section, text
from knotenpunkt.ingest.headers import ROLE_LABELS

__all__ = ["TEXTS", "LANGUAGES", "LANGUAGE_KEY", "current_language", "t", "kind_text", "plain", "column_labels",
           "format_number", "role_label", "ROLE_LABELS"]

LANGUAGES = ("de", "en")
LANGUAGE_KEY = "lang"  # session-state entry that keeps the language across pages

TEXTS = section("ui")  # the app's part of the one catalogue, graph/texts.toml



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
    else the setting ``language`` (German by default)."""
    lang = st.query_params.get("lang") or st.session_state.get(LANGUAGE_KEY) or language()
    return lang if lang in LANGUAGES else language()


def t(key, lang=None):
    """The text for `key` (``ui.<key>`` in the catalogue) in the current language."""
    return text("ui." + key, lang or current_language())


def kind_text(key, kind, lang=None):
    """The text for `key` said of a territory of this kind (`ingest.territory.City.kind_key`): ``ui.<key>`` for a
    city, ``ui.<key>_<kind>`` for the others ("Gemeinden" are the places of a Land, not "Stadtteile")."""
    return t(key if kind == "stadt" else f"{key}_{kind}", lang)


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


def table_view(frame, keys):
    """The columns `keys` of `frame` as a page shows them: headed in the current language, a date as 2024-09-01
    (sorts right), an empty cell empty (never "None")."""
    view = frame[list(keys)].astype(object)
    view = view.map(lambda v: v.isoformat() if hasattr(v, "isoformat") else v)
    return view.where(view.notna(), "").rename(columns=column_labels(keys))
