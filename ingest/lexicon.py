"""Read German phrases for concept matching: words, lemmas, compound parts, head and qualifiers, weights.

A phrase from an inventory ("Senior*innen mit Migrationshintergrund", "Flüchtlingskinder",
"Mentale Gesundheit") is cut into words. Each word gets

- its *keys*: the word and its lemma (``simplemma``), folded (case, umlauts) and with plural
  and feminine endings stripped (`ingest.text.stem_key`), so that "Seniorinnen", "Senioren"
  and "Senior*innen" share a key;
- its *weight*: how informative it is, from its frequency in German (``wordfreq``, Zipf
  scale): "Menschen" says little, "Zuwanderungsgeschichte" a lot;
- its *position*: in the head of the phrase (before the first preposition) or in a
  qualifier ("mit Migrationshintergrund", "aus der Ukraine").

Compounds are split against a lexicon (the words of the vocabulary's labels), in the way
Lucene's ``DictionaryCompoundWordTokenFilter`` does: a known word at the end of a compound
is its head ("Grundschul|kinder"), a known word at its start a modifier
("Flüchtlings|kinder"); the other part must be a German word itself (``wordfreq``), so that
"Transport" is not "Tran|sport".
"""

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from knotenpunkt.ingest.text import clean_cell, stem_key

__all__ = ["Word", "Phrase", "analyze_phrase", "word_keys", "fold", "informativeness", "is_german_word",
           "split_compound", "adjective_bases", "gender_parenthesis", "FEMININE", "STOPWORDS", "PREPOSITIONS", "GENERIC_HEADS", "LIGHT_HEADS"]

# Words that carry no meaning of their own in a label or a phrase.
STOPWORDS = {"der", "die", "das", "des", "dem", "den", "ein", "eine", "einer", "eines", "einem", "einen", "und",
             "oder", "bzw", "sowie", "u", "a", "z", "b", "etc", "usw", "allgemein", "insbesondere", "v", "e"}
# A preposition opens a qualifier: the words before it are the head of the phrase.
PREPOSITIONS = {"mit", "ohne", "aus", "in", "im", "am", "an", "auf", "bei", "beim", "von", "vom", "zu", "zur",
                "zum", "fuer", "nach", "ueber", "unter", "vor", "gegen", "durch", "zwischen", "ab", "bis", "seit"}
# Nouns that only say "people": the qualifier decides ("Menschen mit Fluchterfahrung").
GENERIC_HEADS = {"mensch", "person", "leut", "personengrupp", "grupp", "zielgrupp", "bevoelkerungsgrupp",
                 "erwachsen", "interessiert", "teilnehmend", "betroffen", "bewohn", "buerg"}
# Heads of compounds that name an activity, not a topic: "Jugend|arbeit" is youth work, not
# employment; "Sprach|förderung" is about language. The modifier decides.
LIGHT_HEADS = {"arbeit", "hilf", "foerderung", "angebot", "projekt", "kurs", "dienst", "treff", "gruppe", "grupp",
               "bereich", "wesen", "arbeitskreis", "netzwerk", "initiativ", "verein", "stell", "zentrum",
               "programm", "massnahm", "wirtschaft", "unterstuetzung", "begleitung", "betreuung", "schutz", "recht", "politik",
               "pflege", "forschung", "management", "versorgung", "entwicklung", "foerder"}
_LINKING = ("", "s", "es", "n", "en", "er", "e")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*|\d+", re.UNICODE)
_GENDER_MARKED = re.compile(r"(?<=\w)(?:[*:_·/]-?|\()[iI]n(?:nen)?\)?(?=\b|$)")
_GENDER_PARENTHESIS = re.compile(r"\(inne\)n\b")
_GENDER_CAPITAL = re.compile(r"(?<=[a-zäöüß])In(?:nen)?\b")
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "é": "e", "è": "e", "á": "a", "à": "a"})
_MIN_PART = 4
# Key suffix of a feminine-only plural ("Migrantinnen", written without a gender mark): it
# finds labels of women ("Migrantinnen" → Frauen) as well as the plain word's labels, while an
# inclusive form ("Migrant*innen", "Migrant(inne)n") finds only the plain word's.
FEMININE = "#f"
_MIN_ZIPF = 3.0


@dataclass(frozen=True)
class Word:
    """One word of a phrase.

    Attributes
    ----------
    surface : str
        The word as written (gender marks removed).
    keys : frozenset of str
        Folded, stemmed forms of the word and of its lemma.
    parts : tuple of (str, frozenset)
        Compound parts after splitting ("fluechtlings", keys) …; empty for a simple word.
    weight : float
        Informativeness, 0 (function word) to about 5 (rare word).
    qualifier : bool
        True when the word stands after the first preposition of the phrase.
    """

    surface: str
    keys: frozenset
    weight: float
    qualifier: bool = False


@dataclass(frozen=True)
class Phrase:
    """A phrase cut into words; `words` keeps stopwords and prepositions out."""

    text: str
    words: tuple


def fold(text):
    """Lower-case, umlauts spelled out, other accents dropped.

    Examples
    --------
    >>> fold("Flüchtlinge")
    'fluechtlinge'
    """
    return text.lower().translate(_FOLD)


@cache
def _lemmatizer():
    """simplemma's lemmatizer over its German dictionary as a MARISA trie.

    Decoding the shipped dictionary (1.1 million forms) takes 3–8 s in every process that
    imports; the trie is built from it once per machine and cached in the user's cache
    directory (simplemma's own `TrieDictionaryFactory`), then opens in milliseconds. Where the
    cache cannot be written, the trie is built in memory each time.
    """
    from simplemma import Lemmatizer
    from simplemma.strategies import DefaultStrategy
    from simplemma.strategies.dictionaries import TrieDictionaryFactory

    return Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=TrieDictionaryFactory()))


@lru_cache(maxsize=1 << 16)
def _lemma(word):
    return _lemmatizer().lemmatize(word, lang="de")


@lru_cache(maxsize=1 << 16)
def word_keys(word):
    """The matching keys of one word: stemmed fold of the word and of its lemma.

    Examples
    --------
    >>> sorted(word_keys("Seniorinnen")) == sorted(word_keys("Senioren")) or bool(word_keys("Seniorinnen") & word_keys("Senioren"))
    True
    >>> bool(word_keys("Geflüchteten") & word_keys("Geflüchtete"))
    True
    """
    keys = {stem_key(fold(word)), stem_key(fold(_lemma(word)))}
    if word[:1].islower():
        keys.add(stem_key(fold(_lemma(word.capitalize()))))
    return frozenset(k for k in keys if k)


@lru_cache(maxsize=1 << 16)
def informativeness(word):
    """How much a word tells: 7 minus its Zipf frequency in German, at least 0.5.

    Unknown words (names, rare compounds) weigh most.

    Examples
    --------
    >>> informativeness("Menschen") < informativeness("Zuwanderungsgeschichte")
    True
    """
    from wordfreq import zipf_frequency

    return max(0.5, 7.0 - zipf_frequency(word.lower(), "de", wordlist="small"))


@lru_cache(maxsize=1 << 16)
def is_german_word(word):
    """True when `word` (folded or not) is a common enough German word to be a compound part."""
    from wordfreq import zipf_frequency

    candidates = {word, word.replace("ae", "ä").replace("oe", "ö").replace("ue", "ü")}
    return any(zipf_frequency(c, "de", wordlist="small") >= _MIN_ZIPF for c in candidates)


def split_compound(folded, known):
    """Split a folded word into compound parts known to the lexicon.

    Parameters
    ----------
    folded : str
        The folded word ("fluechtlingskinder").
    known : callable
        ``known(part) -> bool`` for folded parts (the lexicon's word forms and keys).

    Returns
    -------
    list of str
        The parts, modifiers first and the head last; ``[]`` when the word does not split
        into at least one known part and one German word.

    Examples
    --------
    >>> lexicon = {"kinder", "fluechtling"}.__contains__
    >>> split_compound("fluechtlingskinder", lexicon)
    ['fluechtlings', 'kinder']
    >>> split_compound("transport", {"sport"}.__contains__)
    []
    """
    n = len(folded)
    if n < 2 * _MIN_PART - 1:
        return []
    for cut in range(_MIN_PART - 1, n - _MIN_PART + 1):  # longest head first
        head, modifier = folded[cut:], folded[:cut]
        # the modifier may have lost its final "e" ("Hochschul|abschluss", "Sprach|kurs")
        if known(head) and (_known_modifier(modifier, known) or is_german_word(_bare(modifier))
                            or is_german_word(modifier + "e")):
            return [modifier, head]
    for cut in range(n - _MIN_PART + 1, _MIN_PART - 1, -1):  # longest modifier first
        modifier, head = folded[:cut], folded[cut:]
        if _known_modifier(modifier, known) and len(head) >= _MIN_PART and is_german_word(head):
            return [modifier, head]
    return []


def _bare(modifier):
    """A modifier without its linking element ("fluechtlings" → "fluechtling")."""
    for ending in ("s", "n"):
        if modifier.endswith(ending) and len(modifier) > _MIN_PART + 1:
            return modifier[: -len(ending)]
    return modifier


def _known_modifier(modifier, known):
    """A modifier is known when it, or it without a linking element, or with a final "e", is known."""
    if len(modifier) < _MIN_PART - 1:
        return False
    for ending in _LINKING:
        if ending and not modifier.endswith(ending):
            continue
        stem = modifier[: len(modifier) - len(ending)] if ending else modifier
        if len(stem) >= _MIN_PART - 1 and (known(stem) or known(stem + "e")):
            return True
    return False


_ADJECTIVE = re.compile(r"(lich|isch|ell)(e|en|er|es|em)?$")


def adjective_bases(folded):
    """Candidate nouns a denominal adjective is made from, longest first.

    "berufliche" is made from "Beruf", "sprachlichen" from "Sprache", "kulturelle" from
    "Kultur", "schulische" from "Schule"; the caller keeps the first one its lexicon knows.

    Examples
    --------
    >>> adjective_bases("berufliche")
    ['beruf', 'berufe']
    >>> adjective_bases("soziale")
    []
    """
    m = _ADJECTIVE.search(folded)
    if not m or m.start() < _MIN_PART - 1:
        return []
    base = folded[: m.start()]
    return [base, base + "e"]


def gender_parenthesis(text):
    """Write a gender form in parentheses as the plain plural: "Migrant(inne)n" → "Migranten".

    Examples
    --------
    >>> gender_parenthesis("Migrant(inne)n")
    'Migranten'
    """
    return _GENDER_PARENTHESIS.sub("en", str(text))


def _clean(text):
    text = _GENDER_PARENTHESIS.sub("en", clean_cell(text))  # "Migrant(inne)n" → "Migranten"
    text = _GENDER_MARKED.sub("", text)
    return _GENDER_CAPITAL.sub("", text)


@lru_cache(maxsize=1 << 16)
def analyze_phrase(text):
    """Cut a phrase into weighted words, marking those in a qualifier.

    Examples
    --------
    >>> p = analyze_phrase("Senior*innen mit Migrationshintergrund")
    >>> [(w.surface, w.qualifier) for w in p.words]
    [('Senior', False), ('Migrationshintergrund', True)]
    """
    words, in_qualifier = [], False
    for token in _WORD.findall(_clean(text)):
        for piece in token.split("-"):
            if not piece:
                continue
            folded = fold(piece)
            if folded in PREPOSITIONS:
                in_qualifier = in_qualifier or bool(words)
                continue
            if folded in STOPWORDS:
                continue
            keys = word_keys(piece)
            if len(folded) >= 9 and folded.endswith("innen"):
                keys = keys | word_keys(piece[:-5])  # "Schülerinnen" is also "Schüler"
                keys = keys | {k + FEMININE for k in keys}
            words.append(Word(piece, keys, informativeness(piece), in_qualifier))
    return Phrase(text, tuple(words))
