"""Text normalisation shared by every matcher: cells, labels, slugs, multi-value splits."""

import hashlib
import html
import re
from functools import lru_cache
import unicodedata

__all__ = [
    "clean_cell",
    "normalize_label",
    "stem_key",
    "slugify",
    "short_hash",
    "split_values",
    "split_outside_parentheses",
    "belongs_together",
    "CODED_CATEGORY",
    "MISSING_MARKERS",
    "EXCEL_ERROR",
    "is_placeholder",
]

# Cell texts that mean "nothing here" in a date or id column; elsewhere they are kept.
MISSING_MARKERS = {"", "-", "–", "—", "/", "k.a.", "k. a.", "n.a.", "na", "n/a", "none", "null", "?"}

# Excel's error values (German and English): a formula's failure shown where a value should be.
EXCEL_ERROR = re.compile(r"^#(?:WERT!|NV|N/A|VALUE!|BEZUG!|REF!|DIV/0!|NAME\?|ZAHL!|NUM!|NULL!|ÜBERLAUF!|SPILL!|"
                         r"BERECHNEN!|CALC!|FELD!|FIELD!|GETTING_DATA)$", re.IGNORECASE)

# Texts that stand in for a value nobody entered (form defaults, "keine Angabe", "noch nicht bekannt").
_PLACEHOLDER = re.compile(r"^(?:bitte (?:aus)?waehlen|auswaehlen|k a|keine angaben?|n n|nn|n a|unbekannt|"
                          r"tbd|tba|xxx+|noch offen|entfaellt|ohne angabe|nicht bekannt|noch nicht bekannt|\?+)$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "é": "e", "è": "e", "á": "a", "à": "a",
                       "ç": "c", "ñ": "n", "ó": "o", "í": "i", "ş": "s", "ğ": "g", "ı": "i", "ć": "c", "č": "c",
                       "š": "s", "ž": "z"})
# Gender forms: Senior*innen, Senior:innen, Senior_innen, Senior/innen, Senior(innen), SeniorInnen.
_GENDER_MARKED = re.compile(r"(?<=\w)(?:[*:_·/]-?|\()[iI]n(?:nen)?\)?(?=\b|$)")
_GENDER_CAPITAL = re.compile(r"(?<=[a-zäöüß])In(?:nen)?\b")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
# HTML character references: complete ones ("&amp;", "&#8222;") and the common ones whose semicolon a web export
# lost ("&quotLotte Lemke&quot", "1. &amp 3.") unless a lower-case letter goes on ("&ampel" is no reference).
_ENTITY = re.compile(r"&(?:#\d{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};"
                     r"|(?:amp|quot|lt|gt|nbsp|apos)(?![a-z]))")


@lru_cache(maxsize=1 << 16)
def clean_cell(value):
    """Return a cell's text with control characters removed and spaces tidied.

    Line breaks are kept (they separate values); non-breaking spaces become spaces; HTML character references
    become their characters, also those whose semicolon was lost.

    Examples
    --------
    >>> clean_cell("  Sprach\\x0bcafé\\u00a0 ")
    'Sprachcafé'
    >>> clean_cell("AWO Frauenhaus &quotLotte Lemke&quot"), clean_cell("1. &amp 3. Hamburger Frauenhaus")
    ('AWO Frauenhaus "Lotte Lemke"', '1. & 3. Hamburger Frauenhaus')
    """
    if value is None:
        return ""
    text = str(value)
    if "&" in text:
        text = _ENTITY.sub(lambda m: html.unescape(m[0] + ("" if m[0].endswith(";") else ";")), text)
    text = _CONTROL.sub("", text).replace("\u00a0", " ").replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(" ".join(line.split()) for line in text.split("\n")).strip()


@lru_cache(maxsize=1 << 16)
def normalize_label(text):
    """Normalise a label for matching: case, umlauts and ß, gender forms, punctuation.

    Examples
    --------
    >>> normalize_label("Senior*innen")
    'senior'
    >>> normalize_label("Geflüchtete (Ukraine)")
    'gefluechtete ukraine'
    >>> normalize_label("SeniorInnen")
    'senior'
    """
    text = unicodedata.normalize("NFC", clean_cell(text))
    text = _GENDER_MARKED.sub("", text)
    text = _GENDER_CAPITAL.sub("", text)
    text = text.lower().translate(_FOLD)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NON_ALNUM.sub(" ", text).strip()


@lru_cache(maxsize=1 << 16)  # the cells of a column recur
def is_placeholder(text):
    """True for a cell text that only stands in for a missing value.

    Examples
    --------
    >>> [is_placeholder(t) for t in ("-bitte auswählen-", "k.A.", "n. n.", "–", "Kinder")]
    [True, True, True, True, False]
    """
    text = clean_cell(text)
    if not text:
        return False
    key = normalize_label(text)
    return not key or bool(_PLACEHOLDER.match(key))


def stem_key(key):
    """Strip common German plural and feminine endings from each word of a normalised key.

    Used as a second, looser index so that "Asylsuchender" finds "Asylsuchende" and
    "Seniorinnen" finds "Senioren".

    Examples
    --------
    >>> stem_key("asylsuchender familien")
    'asylsuchend famili'
    >>> stem_key(normalize_label("Seniorinnen")) == stem_key(normalize_label("Senioren"))
    True
    """
    words = []
    for word in key.split():
        for ending in ("innen", "in", "en", "er", "es", "e", "n", "s"):
            if word.endswith(ending) and len(word) - len(ending) >= 4:
                word = word[: -len(ending)]
                break
        words.append(word)
    return " ".join(words)


def slugify(text, *, max_length=60):
    """Turn text into a lowercase ASCII IRI segment.

    Examples
    --------
    >>> slugify("Büblingshausen / Süd")
    'bueblingshausen-sued'
    """
    slug = normalize_label(text).replace(" ", "-")[:max_length].strip("-")
    return slug or "x"


def short_hash(*parts, length=12):
    """A short, stable hex digest of the parts (for IRIs of things without a name).

    Examples
    --------
    >>> short_hash("a", "b") == short_hash("a", "b")
    True
    """
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:length]


_STRONG = re.compile(r"\s*(?:;|\n|\u2022|•|\|)\s*")
_WEAK = re.compile(r"(?:\s*(?:,|/|\+|&|\bund\b|\bsowie\b|\bbzw\.?(?=\s)|\boder\b)\s*)", re.IGNORECASE)
CODED_CATEGORY = re.compile(r"^\d{1,4}[a-z]?\s*[-–:.)]\s*\w")  # "117 - Förderung …", "2.1: Sprache"
# Words a value does not end with: a split after them cuts a phrase ("Menschen mit | ohne Behinderung").
_OPEN_END = {"mit", "ohne", "fuer", "von", "vom", "zu", "zur", "zum", "der", "die", "das", "des", "dem", "den", "im",
             "in", "am", "an", "auf", "aus", "bei", "nach", "und", "oder", "ein", "eine", "einer", "eines"}
_MAX_WORDS = 6  # a piece longer than this is a sentence, not a listed value


def split_outside_parentheses(part):
    """Split on weak separators that are not inside parentheses; return (pieces, separators)."""
    pieces, seps, start = [], [], 0
    for m in _WEAK.finditer(part):
        if part.count("(", 0, m.start()) > part.count(")", 0, m.start()):
            continue
        pieces.append(part[start:m.start()])
        seps.append(m.group(0))
        start = m.end()
    pieces.append(part[start:])
    return pieces, seps


def belongs_together(left, sep, right):
    """True when a weak separator sits inside one value rather than between two.

    "Kinder- und Jugendhilfe", "Aus- und Weiterbildung" (a hyphen that stands for a shared
    word), "Sulzbach/Ts." (an abbreviation), "Menschen mit und ohne Behinderung" (a phrase
    cut after a function word), "im formalen, nichtformalen und informellen Lernen" (in
    German, a listed value ends in a capitalised noun; a piece ending in a lowercase word,
    or one without any capitalised word, is part of a phrase). Text written all in lower
    case is judged without the casing rule.

    Examples
    --------
    >>> belongs_together("Frauen", " / ", "geflüchtete Frauen"), belongs_together("frauen", ", ", "kinder")
    (False, False)
    """
    left, right = left.strip(), right.strip()
    if not left or not right:
        return True
    if left.endswith(("-", "–")):
        return True
    words = normalize_label(left).split()
    if words and words[-1] in _OPEN_END:
        return True
    if any(c.isupper() for c in left + right):  # German casing: a listed value ends in a noun and has one
        last = left.split()[-1]
        if last[0].islower() and not last.endswith("."):
            return True
        if not any(w[0].isupper() for w in right.split()):
            return True
    return sep.strip() == "/" and (len(left) <= 3 or len(right) <= 4 or right.endswith("."))


def split_values(text, *, is_known=None):
    """Split a multi-valued cell into its values.

    Strong separators (``;``, ``|``, line breaks, bullets) always split. Weak ones (``,``,
    ``/``, ``+``, ``&``, "und", "sowie", "oder") split a part only into a list of values:
    never inside parentheses, never where the two sides belong together (see
    `belongs_together`), never in a coded category text ("117 - Förderung …, nichtformalen
    und informellen …"), and not at all when a piece would be a sentence. Adjacent pieces are
    joined again, longest first, whenever `is_known` recognises the joined text:
    "Eltern und Familien" and "Caritasverband Wetzlar/Lahn-Dill-Eder e.V." stay whole.

    Parameters
    ----------
    text : str
        The cell text.
    is_known : callable, optional
        ``is_known(part) -> bool``.

    Examples
    --------
    >>> split_values("Frauen; Kinder und Jugendliche"), split_values("Friedrichshain-Kreuzberg | Prenzlauer Berg")
    (['Frauen', 'Kinder', 'Jugendliche'], ['Friedrichshain-Kreuzberg', 'Prenzlauer Berg'])
    >>> split_values("Kinder, Eltern und Familien", is_known=lambda t: t == "Eltern und Familien")
    ['Kinder', 'Eltern und Familien']
    >>> split_values("Verein (Gesundheit, MiMi)")
    ['Verein (Gesundheit, MiMi)']
    >>> split_values("Kinder- und Jugendhilfe, Aus- und Weiterbildung")
    ['Kinder- und Jugendhilfe', 'Aus- und Weiterbildung']
    >>> split_values("Sulzbach/Ts.; Menschen mit und ohne Behinderung")
    ['Sulzbach/Ts.', 'Menschen mit und ohne Behinderung']
    >>> split_values("117 - Förderung des Zugangs im formalen, nichtformalen und informellen Lernen")
    ['117 - Förderung des Zugangs im formalen, nichtformalen und informellen Lernen']
    """
    values = []
    for part in _STRONG.split(clean_cell(text)):
        part = part.strip(" -–")
        if not part:
            continue
        if (is_known is not None and is_known(part)) or CODED_CATEGORY.match(part):
            values.append(part)
            continue
        pieces, seps = split_outside_parentheses(part)
        i = 0
        while i < len(seps):  # glue the pieces that belong together
            if belongs_together(pieces[i], seps[i], pieces[i + 1]):
                pieces[i:i + 2] = [pieces[i] + seps[i] + pieces[i + 1]]
                del seps[i]
            else:
                i += 1
        if any(len(p.split()) > _MAX_WORDS for p in pieces):
            values.append(part)
            continue
        i = 0
        while i < len(pieces):
            end = i
            if is_known is not None:
                for j in range(len(pieces) - 1, i, -1):
                    joined = "".join(p + s for p, s in zip(pieces[i:j], seps[i:j])) + pieces[j]
                    if is_known(joined.strip()):
                        end = j
                        break
            value = ("".join(p + s for p, s in zip(pieces[i:end], seps[i:end])) + pieces[end]).strip(" -–")
            if value:
                values.append(value)
            i = end + 1
    return values
