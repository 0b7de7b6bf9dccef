"""Every text a user sees, in German and English, from one catalogue (``graph/texts.toml``).

Keys are grouped by what shows them: ``ui.*`` (the app), ``report.*`` (deck, handout,
pictures), ``row.*`` (the import's row report), ``finding.*`` (findings and their
suggested actions), ``error.*`` (the messages of `graph.errors.KGError`) and ``cli.*``
(the command line). The language is an argument, else the setting ``language``
(environment ``KNOTENPUNKT_LANGUAGE``), German by default.
"""

import os
import string
import tomllib
from functools import cache
from pathlib import Path

__all__ = ["LANGUAGES", "TEXTS", "text", "texts", "section", "language", "placeholders"]

LANGUAGES = ("de", "en")
_FILE = Path(__file__).with_name("texts.toml")


def _flatten(table, prefix=""):
    """``{"ui": {"app_title": {"de": …, "en": …}}}`` → ``{"ui.app_title": {"de": …, "en": …}}``."""
    out = {}
    for name, value in table.items():
        if isinstance(value, dict) and not set(value) <= set(LANGUAGES):
            out.update(_flatten(value, f"{prefix}{name}."))
        else:
            out[prefix + name] = value
    return out


TEXTS = _flatten(tomllib.loads(_FILE.read_text(encoding="utf-8")))


def language(lang=None):
    """The language to write in: `lang` when given, else the setting ``language``, else German.

    Examples
    --------
    >>> language("en")
    'en'
    """
    if lang in LANGUAGES:
        return lang
    raw = os.environ.get("KNOTENPUNKT_LANGUAGE", "").strip().lower()  # the setting, read without graph.settings:
    return raw if raw in LANGUAGES else "de"                          # its own errors are texts too


def text(key, lang=None, **params):
    """The text for `key` in `lang` (default: `language()`), with ``{placeholders}`` filled from `params`.

    Parameters
    ----------
    key : str
        A key of the catalogue, such as ``"ui.app_title"`` or ``"error.query_unknown"``.
    lang : {"de", "en"}, optional
        The language; by default the setting ``language``.
    **params
        Values for the text's placeholders; without any, the text is returned as it stands.

    Raises
    ------
    KeyError
        If `key` is not in the catalogue (a programming error).

    Examples
    --------
    >>> text("ui.sparql_rows", "en", rows=3)
    '3 rows'
    >>> text("ui.sparql_rows", "de", rows=3)
    '3 Zeilen'
    """
    template = TEXTS[key][language(lang)]
    return template.format(**params) if params else template


def texts(key, **params):
    """The text for `key` in every language, as a dict ``{"de": …, "en": …}``."""
    return {lang: text(key, lang, **params) for lang in LANGUAGES}


@cache
def section(prefix):
    """The entries under `prefix` (``"ui"`` → ``{"app_title": {"de": …, "en": …}, …}``), a view on the catalogue."""
    start = prefix + "."
    return {key[len(start):]: value for key, value in TEXTS.items() if key.startswith(start)}


def placeholders(template):
    """The names of the ``{placeholders}`` in `template`.

    Examples
    --------
    >>> sorted(placeholders("{shown} von {total}"))
    ['shown', 'total']
    """
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template) if name}
