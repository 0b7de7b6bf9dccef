"""Every text a user sees, in German and English, from one catalogue (``graph/texts.toml``).

Keys are grouped by what shows them: ``ui.*`` (the app), ``report.*`` (deck, handout,
pictures), ``row.*`` (the import's row report), ``finding.*`` (findings and their
suggested actions), ``error.*`` (the messages of `graph.errors.KGError`), ``cli.*`` (the
command line), ``http.*`` (the SPARQL endpoint's answers) and ``label.*`` (names that go into other texts: column roles, kinds of table).
The language is an argument, else the setting ``language`` (environment
``KNOTENPUNKT_LANGUAGE``), German by default.

A text made before its reader is known (an import's explanations, notes and reasons) is a `Phrase`; a
report kept as JSON holds it in both languages (``{"de": …, "en": …}``, `as_json`), and `say` writes any
of these, or a plain string of an older store, in the reader's language.
"""

import os
import string
import tomllib
from functools import cache
from pathlib import Path

__all__ = ["LANGUAGES", "TEXTS", "Phrase", "text", "texts", "section", "language", "placeholders", "say", "as_json"]

LANGUAGES = ("de", "en")
_BOTH = set(LANGUAGES)
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


class Phrase:
    """A text of the catalogue to be written later, in the reader's language: a value for a placeholder
    (``known=Phrase("error.none")``) that must not be fixed to one language when the message is made.

    Examples
    --------
    >>> Phrase("ui.yes").message("en")
    'yes'
    >>> Phrase("ui.yes") == {"de": "ja", "en": "yes"}
    True
    """

    def __init__(self, key, /, **params):
        self.key, self.params = key, params

    def message(self, lang=None):
        """The text in `lang`."""
        return text(self.key, lang, **self.params)

    def __str__(self):
        return self.message()

    def __eq__(self, other):
        if isinstance(other, dict) and other.keys() == _BOTH:  # itself as a report kept as JSON holds it (`as_json`)
            return all(self.message(lang) == other[lang] for lang in LANGUAGES)
        return isinstance(other, Phrase) and (self.key, self.params) == (other.key, other.params)

    def __hash__(self):
        return hash(self.key)


def _render(value, lang):
    """A placeholder's value: a `Phrase` or an error of `graph.errors` in `lang`, a text kept in both languages
    (``{"de": …, "en": …}``, as `as_json` writes a `Phrase`) as its `lang` entry, anything else as it is."""
    if isinstance(value, (str, int, float)):
        return value
    if callable(getattr(type(value), "message", None)):
        return value.message(lang)
    if isinstance(value, dict) and value.keys() == _BOTH:
        return value[lang]
    return value


def say(value, lang=None):
    """A text for the reader: a `Phrase` (or an error) in `lang`, a text stored in both languages as its `lang`
    entry, a plain string (as older stores kept it) as it is, None as "".

    Examples
    --------
    >>> say(Phrase("ui.yes"), "en"), say({"de": "ja", "en": "yes"}, "de"), say("AWO", "en"), say(None)
    ('yes', 'ja', 'AWO', '')
    """
    return "" if value is None else str(_render(value, language(lang)))


def as_json(value):
    """The ``default`` for `json.dumps` of a report: a `Phrase` as ``{"de": …, "en": …}`` (which `say` reads),
    anything else as its string.

    Examples
    --------
    >>> import json
    >>> json.dumps({"reason": Phrase("ui.yes")}, default=as_json)
    '{"reason": {"de": "ja", "en": "yes"}}'
    """
    if callable(getattr(type(value), "message", None)):
        return {lang: value.message(lang) for lang in LANGUAGES}
    return str(value)


def text(key, lang=None, /, **params):
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
    lang = language(lang)
    template = TEXTS[key][lang]
    return template.format(**{name: _render(value, lang) for name, value in params.items()}) if params else template


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
