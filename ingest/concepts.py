"""Map free text to SKOS concepts: labels, codes, a German reading of the phrase, then a reported typo match.

Order of the attempts, and the ``how`` each reports:

1. the user's mapping file (``user``): the coordinator's word is final;
2. the normalised prefLabel (``exact``) or altLabel/hiddenLabel (``altLabel``), then the
   same with plural and feminine endings stripped;
3. a code of a mapped scheme ("102", "117 - Förderung des gleichen Zugangs …"): an ESF
   category of intervention leads through its ``skos:closeMatch``/``exactMatch`` to our
   concepts (``code``);
4. a lexical reading (``lexical``), modelled on Annif's MLLM backend: the phrase is cut into
   words with lemmas and compound parts (`ingest.lexicon`), every label whose words all
   occur is a candidate, and the candidates are chosen by coverage: a longer label beats the
   labels it contains ("geflüchtete Frauen" beats "Frauen"), a narrower concept beats its
   broader one, and "Menschen mit Migrationsgeschichte" named only as context ("Eltern mit
   Zuwanderungsgeschichte") gives way to the group the phrase is about. A phrase may name two
   groups ("Flüchtlingskinder": Geflüchtete and Kinder). The match carries an explanation
   ("Kopf: Eltern; Zusatz: Zuwanderungsgeschichte (Kontext)", in English "head: Eltern; …");
5. the same with a word corrected to the closest label word (rapidfuzz ratio ≥ 88;
   ``fuzzy``, always reported as a warning with its score);
6. nothing: the value is reported with suggestions that share an informative word
   (``unmapped``), never dropped and never invented.

A value may also be known but outside the model (``outside``): an EU category of intervention
with no counterpart in the scheme ("001 - Allgemeine produktive Investitionen in KMU"), or a
topic or addressee of `ontology/vocab/themen-ausserhalb.ttl` ("Energieeffizienz", "KMU"). Its
labels and codes are read like any other, but a label of the scheme always wins, and in a phrase
the head decides ("junge Unternehmen" are enterprises, not young people; "Gründerinnen aus
Hochschulen" are women). Such a value maps to no concept, is kept as text and listed once among
the unmapped values, and its row gets no warning: nothing is missing from the vocabulary.
"""

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from knotenpunkt.graph.texts import LANGUAGES, Phrase, say
from knotenpunkt.graph.texts import text as catalogue_text
from knotenpunkt.ingest.lexicon import (FEMININE, GENERIC_HEADS, LIGHT_HEADS, adjective_bases, analyze_phrase, fold, gender_parenthesis,
                            split_compound)
from knotenpunkt.ingest.text import normalize_label, stem_key

__all__ = ["Concept", "Match", "ConceptIndex", "CONTEXT_CONCEPTS", "code_key"]

_PARENTHESES = re.compile(r"\s*\([^)]*\)")
_CODE = re.compile(r"^\s*(\d{2,3})(?:\s*[-–:.)]|\s*$|\s+\D)")
# In an integration inventory everyone has a migration history: a phrase that also names
# another group is about that group ("Senior*innen mit Migrationshintergrund" → Ältere).
CONTEXT_CONCEPTS = {"https://w3id.org/knotenpunkt/voc/zielgruppe/menschen-mit-migrationsgeschichte"}
_TYPO_RATIO = 88
_MIN_TYPO_LENGTH = 6
_MIN_SUGGESTION_RATIO = 75
_MIN_SUGGESTION_SCORE = 20
_MIN_FAR_RATIO = 50  # below, a spelling "suggestion" (a score of 0 for "121") is noise
# a reading that explains less than a quarter of a long phrase's (six words or more) informative words and
# not its head is only a suggestion ("Verringerung … der Schullaufbahn …, darunter … Bildungswege …": "Bildung"
# is 14 % of it); "Frauen aus Drittstaaten" keeps its head, "Zuwandernde aus Rumänien" is short)
_MIN_READING_SCORE = 25
_MIN_CATEGORY_WORDS = 6
_CUT_OFF = re.compile(r"(?:\.\.\.|…)\s*$")
# words that open an elaboration of an EU category's wording, not a second category
_ELABORATION = {"darunter", "einschliesslich", "insbesondere", "unter", "auch", "zwecks", "etwa", "namentlich", "vor",
                "nicht", "wie", "mit", "durch"}
_LEXICALISED = 3.0  # 7 − Zipf: words more common than Zipf 4 are not split ("Deutschland", "Landwirtschaft")
_MIN_TELLING_WEIGHT = 1.0  # 7 − Zipf: "alle" weighs 0.85, "Kinder" 1.4, "Flüchtlinge" 2.1


@dataclass(frozen=True)
class Concept:
    """A concept: IRI and labels by language."""

    iri: str
    label_de: str
    label_en: str

    def label(self, lang="de"):
        """The prefLabel in `lang`, falling back to German."""
        return (self.label_en if lang == "en" else self.label_de) or self.label_de


@dataclass(frozen=True)
class Match:
    """The outcome of mapping one text.

    ``concept`` is the first of ``concepts`` (or None); a phrase that names two groups has
    two. ``explanation`` says why, for the report: a `graph.texts.Phrase` (``row.match.*``), or "".
    """

    text: str
    concept: Concept | None
    how: str  # exact | altLabel | code | lexical | fuzzy | user | unmapped | outside
    score: float = 100.0
    suggestions: tuple = ()
    concepts: tuple = ()
    explanation: object = ""

    def labels(self):
        """The labels of the concepts chosen, joined by " + ", in each language: ``{"de": …, "en": …}``."""
        return _labels(self.concepts or ((self.concept,) if self.concept else ()))

    def suggested(self):
        """The suggestions joined by ", " in each language (``{"de": …, "en": …}``), "–" when there are none."""
        return {lang: ", ".join(say(s, lang) for s in self.suggestions) or "–" for lang in LANGUAGES}

    def entries(self):
        """Report entries, one per concept: ``text``, ``iri``, ``label``, ``how``, ``score``, ``explanation``."""
        chosen = self.concepts or ((self.concept,) if self.concept else ())
        if not chosen:
            return [{"text": self.text, "iri": None, "label": None, "how": self.how,
                     "suggestions": list(self.suggestions), "explanation": self.explanation}]
        return [{"text": self.text, "iri": c.iri, "label": c.label_de, "how": self.how, "score": self.score,
                 "explanation": self.explanation} for c in chosen]


@dataclass(frozen=True)
class _Label:
    """One label of the index: its words (each a frozenset of keys) and its concepts."""

    text: str
    words: tuple
    concepts: tuple
    kind: str


@dataclass(frozen=True)
class _Unit:
    """A word, or a part of a compound word, of the phrase being matched."""

    word: int  # index of the word in the phrase
    keys: frozenset
    surface: str
    qualifier: bool
    part: str = ""  # "head" or "modifier" for compound parts


class ConceptIndex:
    """Label index over the concepts of one scheme.

    Parameters
    ----------
    concepts : iterable of (Concept, list of (label, kind))
        Each concept with its labels; kind is "pref", "alt" or "hidden".
    threshold : float
        Lowest fuzzy score accepted for names (``stems=False``).
    user_mapping : dict, optional
        Text → concept IRI (or None to mark a text as deliberately unmapped).
    stems : bool
        Read the text as German (lemmas, compounds, head and qualifiers); off for proper
        names (places), where "Hause" and "Hausen" are different and only labels and a
        fuzzy match apply.
    broader : dict, optional
        Concept IRI → set of IRIs of its broader concepts (transitively).
    mapped : iterable of (label, code, tuple of IRIs), optional
        Labels and codes of concepts in other schemes (ESF categories) with the concepts of
        this scheme they match.
    outside : iterable of (Concept, list of (label, kind), code or None, bool), optional
        Concepts known to lie outside this scheme (EU categories without a match here, topics
        and addressees of the scheme of themes outside the model): a text naming one of them
        is ``outside``, not ``unmapped``. The labels of this scheme take precedence. The bool
        says whether the labels also take part in the lexical reading (the themes: "KMU in
        Deutschland"); the EU categories match by code and whole label only.
    code_labels : iterable of (code, label), optional
        The labels (any language) of the coded categories: words written beside a code must
        name one of them for the code to count (see `_code_agrees`).

    Examples
    --------
    >>> kinder = Concept("urn:zg:kinder", "Kinder", "Children")
    >>> refugees = Concept("urn:zg:refugees", "Geflüchtete", "Refugees")
    >>> index = ConceptIndex([(refugees, [("Geflüchtete", "pref"), ("Flüchtlinge", "alt")]),
    ...                       (kinder, [("Kinder", "pref")])])
    >>> index.match("Flüchtlinge").how, index.match("Geflüchete").how
    ('altLabel', 'fuzzy')
    >>> [c.label_de for c in index.match("Flüchtlingskinder").concepts]
    ['Geflüchtete', 'Kinder']
    """

    def __init__(self, concepts, *, threshold=85, user_mapping=None, stems=True, broader=None, mapped=(), outside=(),
                 code_labels=()):
        self.threshold = threshold
        self.stems = stems
        self.by_iri = {}
        self.broader = {iri: set(up) for iri, up in (broader or {}).items()}
        self._exact, self._stem, self._ambiguous = {}, {}, set()
        self._labels, self._by_key, self._forms, self._codes = [], {}, set(), {}
        self._outside, self._code_words, self._categories = {}, {}, {}
        for concept, labels in concepts:
            self.by_iri[concept.iri] = concept
            for label, kind in labels:
                self._add_label(label, (concept,), "exact" if kind == "pref" else "altLabel")
        for label, code, iris in mapped:
            by_text = {str(iri): c for iri, c in self.by_iri.items()}
            targets = tuple(by_text[i] for i in iris if i in by_text)
            if not targets:
                continue
            if code:
                self._codes.setdefault(code_key(code), targets)
            if label:
                self._add_label(label, targets, "code", lexical_only=True)
                if key := normalize_label(label):
                    self._categories.setdefault(key, targets)
        for concept, labels, code, lexical in outside:
            self._outside[concept.iri] = concept
            if code:
                self._codes.setdefault(code_key(code), (concept,))
            for label, _ in labels:
                self._add_label(label, (concept,), "outside", inside_first=True, lexical=lexical)
        for code, label in code_labels:
            self._code_words.setdefault(code_key(code), set()).update(k for w in analyze_phrase(label).words for k in w.keys)
        self._choices = [key for key, (concepts, _) in self._exact.items() if not self._is_outside(concepts)]
        self._word_choices = sorted(f for f in self._forms if not f.endswith(FEMININE))
        self.user = {normalize_label(text): iri for text, iri in (user_mapping or {}).items()}
        self._cache = {}

    def __len__(self):
        return len(self.by_iri)

    def _add_label(self, label, concepts, how, *, lexical_only=False, inside_first=False, lexical=True):
        key = normalize_label(label)
        if not key:
            return
        if not lexical_only:
            self._exact.setdefault(key, (concepts, how))
            if self.stems and not (inside_first and stem_key(key) in self._stem):
                stem = stem_key(key)
                known = self._stem.setdefault(stem, (concepts, how))
                if {c.iri for c in known[0]} != {c.iri for c in concepts}:
                    # "Migrantinnen" (women) and "Migranten" (everyone) share a stem: the stem
                    # decides nothing; the exact label or the lexical reading does.
                    self._ambiguous.add(stem)
        if not lexical:
            return
        if how == "outside" and all(w.keys & GENERIC_HEADS for w in analyze_phrase(label).words):
            return  # "Erwachsene" (outside) names no topic: "Erwachsene mit Fluchterfahrung" are refugees
        if not self.stems or re.search(r"\bohne\b", label, re.IGNORECASE):
            return  # "Menschen ohne Arbeit" must not be found in "Arbeit mit Kindern"
        # a feminine-only label word ("Migrantinnen") is found only by feminine-only words
        words = tuple(frozenset(k for k in w.keys if k.endswith(FEMININE)) or w.keys for w in analyze_phrase(label).words)
        if len(words) > 1:  # "Menschen mit Fluchterfahrung" is found in "Kinder mit Fluchterfahrung"
            words = tuple(k for k in words if not k & GENERIC_HEADS) or words
        if not words:
            return
        entry = _Label(label, words, concepts, how)
        self._labels.append(entry)
        for keys in words:
            self._forms.update(keys)
            for k in keys:
                self._by_key.setdefault(k, []).append(entry)
        for word in analyze_phrase(label).words:
            self._forms.add(fold(word.surface))

    def _is_outside(self, concepts):
        return bool(concepts) and all(c.iri in self._outside for c in concepts)

    def labels(self):
        """Pairs of (normalised label, concept IRI) of every label of the scheme's concepts in the index."""
        return [(key, c.iri) for key, (concepts, _) in self._exact.items() for c in concepts
                if c.iri not in self._outside]

    def add(self, concept, labels):
        """Add one concept (a district created from a districts sheet)."""
        self.by_iri[concept.iri] = concept
        for label in labels:
            key = normalize_label(label)
            if key:
                self._add_label(label, (concept,), "exact")
                self._choices.append(key)
        self._word_choices = sorted(f for f in self._forms if not f.endswith(FEMININE))
        self._cache.clear()

    def is_known(self, text):
        """True when `text` maps without fuzziness (used to keep "Eltern und Familien" whole, and an EU
        category's label with its commas: "Anpassung der Arbeitskräfte, Unternehmen und Unternehmer an den Wandel")."""
        return normalize_label(text) in self.user or self._by_label(text) is not None or self._category(text) is not None

    def _category(self, text):
        """The concepts an EU category's label leads to when `text` is that label whole; None otherwise.

        Lists of operations write the long official wording: a text that continues a label of at least
        six words with an elaboration (", darunter …", ", insbesondere …"), or one cut off with "…" after
        at least six of its words, is that category too. A list of two labels is not one of them.
        """
        key = normalize_label(text)
        if (found := self._categories.get(key)) is not None:
            return found
        words = key.split()
        if len(words) < _MIN_CATEGORY_WORDS:
            return None
        cut = _CUT_OFF.search(text)
        for label, concepts in self._categories.items():
            if len(label.split()) < _MIN_CATEGORY_WORDS:
                continue
            if cut and label.startswith(key + " "):
                return concepts
            if key.startswith(label + " ") and key[len(label):].split()[0] in _ELABORATION:
                return concepts
        return None

    def suggestions(self, key, limit=3):
        """Concepts for a text that matched none, as `graph.texts.Phrase` "label (score)" (``row.match.suggestion``,
        the label in the reader's language), best first.

        First the concepts whose labels share an informative word or compound part with the
        text (score: the share of the label's words found), then those sharing only a generic
        word ("Menschen"), and only when there is none of either the closest labels by spelling
        (rapidfuzz ratio ≥ 75, or the three closest with their score when none is that close, never below
        50). A label shares a word only when it has at most five (score ≥ 20), and the long wording of an
        EU category suggests nothing: a far-fetched suggestion is worse than none.
        """
        scored = self._shared_word_suggestions(key, generic=False) if self.stems else {}
        if not scored and self.stems:
            scored = self._shared_word_suggestions(key, generic=True)
        if not scored and self._choices:
            found = process.extract(key, self._choices, scorer=fuzz.ratio, limit=limit * 3)
            close = [f for f in found if f[1] >= _MIN_SUGGESTION_RATIO]
            for choice, score, _ in close or [f for f in found if f[1] >= _MIN_FAR_RATIO]:
                for c in self._exact[choice][0]:
                    scored.setdefault(str(c.iri), (score, c))
        ranked = sorted(scored.values(), key=lambda item: (-item[0], item[1].label_de))[:limit]
        return tuple(Phrase("row.match.suggestion", label=_labels((c,)), score=score) for score, c in ranked)

    def _shared_word_suggestions(self, text, *, generic):
        """Concept IRI → (score, concept) for labels sharing a (generic or informative) word with `text`."""
        scored = {}
        for unit in self._units(analyze_phrase(text)):
            if bool(unit.keys & GENERIC_HEADS) != generic:
                continue
            for k in unit.keys:
                for label in self._by_key.get(k, ()):
                    score = round(100 / len(label.words))
                    if label.kind == "code" or score < _MIN_SUGGESTION_SCORE:
                        continue  # one word of an EU category's long wording suggests nothing
                    for c in label.concepts:
                        if c.iri in self._outside:
                            continue
                        if score > scored.get(str(c.iri), (0, None))[0]:
                            scored[str(c.iri)] = (score, c)
        return scored

    def _by_label(self, text):
        key = normalize_label(gender_parenthesis(text))
        exact = self._exact.get(key)
        if exact is not None and not self._is_outside(exact[0]):
            return exact
        stem = stem_key(key)
        if not self.stems or stem in self._ambiguous or any(len(w) >= 9 and w.endswith("innen") for w in key.split()):
            return exact  # a feminine-only form ("ältere Migrantinnen") is read word by word, not by its stem
        found = self._stem.get(stem)
        # a form of a label of the scheme beats a label outside it ("Gründungen" is "Gründung")
        return found if found is not None and not self._is_outside(found[0]) else exact or found

    def match(self, text):
        """Map one text to concepts; see the module docstring for the order.

        A qualifier in parentheses is tried without it: "Kita (städtisch)" is "Kita".
        """
        if text not in self._cache:
            if len(self._cache) > 1 << 16:
                self._cache.clear()
            self._cache[text] = self._match(text)
        return self._cache[text]

    def _match(self, text):
        key = normalize_label(text)
        if key in self.user:
            iri = self.user[key]
            concept = self.by_iri.get(iri) if iri else None
            # None: the coordinator decided the text maps to nothing; that is a decision, not a gap
            return Match(text, concept, "user", concepts=(concept,) if concept else (),
                         explanation=Phrase("row.match.user"))
        found = self._by_label(text)
        if found is None and (bare := _PARENTHESES.sub("", gender_parenthesis(text)).strip()) and bare != text.strip():
            found = self._by_label(bare)
        if found is not None:
            concepts, how = found
            if self._is_outside(concepts):
                return _outside_match(text, concepts)
            return Match(text, concepts[0], how, concepts=concepts, explanation=Phrase("row.match.vocabulary"))
        if (concepts := self._category(text)) is not None:
            return Match(text, concepts[0], "code", concepts=concepts,
                         explanation=Phrase("row.match.category", concepts=_labels(concepts)))
        if (m := _CODE.match(text)) and code_key(m.group(1)) in self._codes and self._code_agrees(m, text):
            concepts = self._codes[code_key(m.group(1))]
            if self._is_outside(concepts):
                return _outside_match(text, concepts)
            return Match(text, concepts[0], "code", concepts=concepts,
                         explanation=Phrase("row.match.code", code=m.group(1), concepts=_labels(concepts)))
        if not key:
            return Match(text, None, "unmapped", 0.0)
        if not self.stems:
            best = process.extractOne(key, self._choices, scorer=fuzz.ratio) if self._choices else None
            if best and best[1] >= self.threshold:
                concepts = self._exact[best[0]][0]
                return Match(text, concepts[0], "fuzzy", round(best[1], 1), concepts=concepts,
                             explanation=Phrase("row.match.spelling", score=best[1]))
            return Match(text, None, "unmapped", 0.0, self.suggestions(key))
        phrase = analyze_phrase(text)
        found = self._read(phrase)
        if found is not None and self._is_outside(found[0]):
            return _outside_match(text, found[0])
        if found is not None and (found[1] >= _MIN_READING_SCORE or found[3] or len(phrase.words) < _MIN_CATEGORY_WORDS):
            return Match(text, found[0][0], "lexical", *found[1:2], concepts=found[0], explanation=found[2])
        if found is not None:  # a few words beside the head of a long phrase: offered, not taken
            return Match(text, None, "unmapped", 0.0, tuple(
                Phrase("row.match.suggestion", label=_labels((c,)), score=found[1]) for c in found[0]),
                explanation=found[2])
        corrected, ratio = self._correct_typos(phrase)
        if corrected is not None and (found := self._read(corrected)) is not None and not self._is_outside(found[0]):
            return Match(text, found[0][0], "fuzzy", round(ratio, 1), concepts=found[0],
                         explanation=Phrase("row.match.typo", score=ratio, reading=found[2]))
        return Match(text, None, "unmapped", 0.0, self.suggestions(text),
                     explanation=_unmatched_explanation(phrase))

    def _code_agrees(self, m, text):
        """False when the words written beside a code name none of its category's words.

        Codes are reused between funding periods: 2014–2020 "121" is technical assistance, 2021–2027
        "121" early-childhood infrastructure. "121 - Vorbereitung, Durchführung …" agrees with the
        category; "121 - Infrastruktur für frühkindliche Betreuung" does not, and is read as text.
        A bare code, or a code with words too common to tell, is taken as it is.
        """
        words = [w for w in analyze_phrase(text[m.end(1):]).words
                 if w.weight >= _MIN_TELLING_WEIGHT and not w.surface.isdigit()]
        known = self._code_words.get(code_key(m.group(1)))
        return not words or not known or any(w.keys & known for w in words)

    # -- the lexical reading -------------------------------------------------------------

    def _known(self, part):
        return part in self._forms or stem_key(part) in self._forms

    def _units(self, phrase):
        """Words and compound parts of a phrase, each with its keys."""
        units = []
        head_index = _head_index(phrase)
        for i, word in enumerate(phrase.words):
            # "Soziale Arbeit", "Arbeit mit Kindern": an activity word with a modifier or a qualifier names the activity
            qualified = i + 1 < len(phrase.words) and phrase.words[i + 1].qualifier
            light = bool(word.keys & LIGHT_HEADS) and i == head_index and (i > 0 or qualified) and not word.qualifier
            if not light:
                units.append(_Unit(i, word.keys, word.surface, word.qualifier))
            if not light:
                # "berufliche Integration" → Beruf, "sprachliche Bildung" → Sprache, "kulturelle" → Kultur
                for base in adjective_bases(fold(word.surface)):
                    if self._known(base) and stem_key(base) not in word.keys:
                        units.append(_Unit(i, frozenset({base, stem_key(base)}), base, word.qualifier, "adjective"))
                        break
            if any(k in self._forms for k in word.keys) or word.weight < _LEXICALISED:
                continue  # a known word, or one so common that it is a word of its own ("Deutschland")
            parts = split_compound(fold(word.surface), self._known)
            for j, part in enumerate(parts):
                is_head = j == len(parts) - 1
                keys = frozenset({stem_key(part), stem_key(part.rstrip("s")) if len(part) > 5 else stem_key(part)})
                if is_head and keys & LIGHT_HEADS:
                    continue
                units.append(_Unit(i, keys, part, word.qualifier, "head" if is_head else "modifier"))
        return units

    def _read(self, phrase):
        """Concepts of a phrase by label coverage; None when no label is covered.

        Returns
        -------
        tuple of (tuple of Concept, float, Phrase, bool) or None
            The concepts, a score 0–100 (weight of the words explained), the explanation, and whether
            the head of the phrase is among the words explained.
        """
        units = self._units(phrase)
        if not units:
            return None
        candidates = {id(label): label for u in units for k in u.keys for label in self._by_key.get(k, ())}
        matches = []
        for label in candidates.values():
            covered = _cover(label.words, units)
            if covered is not None and _telling(phrase, units, covered):
                matches.append((label, covered))
        if not matches:
            return None
        words_of = [frozenset(units[i].word for i in covered) for _, covered in matches]
        kept = [(label, covered) for (label, covered), words in zip(matches, words_of)
                if not any(words < other for other in words_of)]
        concepts = {}
        for label, covered in kept:
            for c in label.concepts:
                concepts.setdefault(str(c.iri), (c, label, covered))
        chosen = {iri: v for iri, v in concepts.items()
                  if not any(iri in self.broader.get(other, ()) for other in concepts if other != iri)}
        if any(iri in self._outside for iri in chosen):
            chosen = self._inside_or_outside(phrase, units, chosen)
        context_words = set()
        if len(chosen) > 1 and set(chosen) & CONTEXT_CONCEPTS:
            context_words = {units[i].word for iri, (_, _, covered) in chosen.items() if iri in CONTEXT_CONCEPTS
                             for i in covered}
            chosen = {iri: v for iri, v in chosen.items() if iri not in CONTEXT_CONCEPTS}
        used_words = {units[i].word for _, _, covered in chosen.values() for i in covered} | context_words
        ordered = sorted(chosen.values(), key=lambda v: (min(units[i].word for i in v[2]), v[0].label_de))
        total = sum(w.weight for w in phrase.words if not (w.keys & GENERIC_HEADS)) or 1.0
        explained = sum(w.weight for i, w in enumerate(phrase.words) if i in used_words or w.keys & GENERIC_HEADS)
        score = round(min(100.0, 100 * explained / total), 1)
        head = _head_index(phrase) in used_words
        return tuple(c for c, _, _ in ordered), score, _explain(phrase, units, ordered, context_words), head

    def _inside_or_outside(self, phrase, units, chosen):
        """The concepts of the scheme when one of them names the head of the phrase, else those outside it.

        "Gründungsinteressierte Frauen aus Hochschulen" is about women (the head), "junge Unternehmen"
        and "KMU (u. a. junge/kleine Unternehmen)" about enterprises: a group of the scheme named
        only beside an enterprise is not the audience.
        """
        head = _head_index(phrase)
        inside = {iri: v for iri, v in chosen.items() if iri not in self._outside}
        if inside and any(units[i].word == head for _, _, covered in inside.values() for i in covered):
            return inside
        return {iri: v for iri, v in chosen.items() if iri in self._outside}

    def _correct_typos(self, phrase):
        """The phrase with unknown long words replaced by the closest label word; (None, 0) if none is close."""
        if not self._word_choices:
            return None, 0.0
        words, ratios = [], []
        for word in phrase.words:
            folded = fold(word.surface)
            if len(folded) >= _MIN_TYPO_LENGTH and not any(k in self._forms for k in word.keys):
                best = process.extractOne(folded, self._word_choices, scorer=fuzz.ratio, score_cutoff=_TYPO_RATIO)
                if best:
                    words.append(type(word)(best[0], frozenset({best[0], stem_key(best[0])}), word.weight,
                                            word.qualifier))
                    ratios.append(best[1])
                    continue
            words.append(word)
        if not ratios:
            return None, 0.0
        return type(phrase)(phrase.text, tuple(words)), min(ratios)

    @classmethod
    def from_store(cls, store, scheme, **kwargs):
        """Build the index for one concept scheme from the store's labels, hierarchy and mapped schemes."""
        bindings = {"scheme": _iri(scheme)}
        rows = store.select(
            """SELECT ?scheme ?c ?label ?kind ?lang WHERE {
                 ?c skos:inScheme ?scheme .
                 { ?c skos:prefLabel ?label BIND("pref" AS ?kind) }
                 UNION { ?c skos:altLabel ?label BIND("alt" AS ?kind) }
                 UNION { ?c skos:hiddenLabel ?label BIND("hidden" AS ?kind) }
                 BIND(LANG(?label) AS ?lang)
               } ORDER BY ?c ?kind ?label""",
            bindings=bindings,
        )
        hierarchy = store.select(
            """SELECT ?scheme ?c ?up WHERE { ?c skos:inScheme ?scheme ; skos:broader+ ?up }""", bindings=bindings)
        broader = {}
        for row in hierarchy:
            broader.setdefault(str(row["c"]), set()).add(str(row["up"]))
        mapped_rows = store.select(
            """SELECT ?scheme ?x ?c ?label ?code WHERE {
                 ?c skos:inScheme ?scheme .
                 { ?x skos:exactMatch|skos:closeMatch ?c } UNION { ?c skos:exactMatch|skos:closeMatch ?x }
                 ?x skos:inScheme ?other . FILTER(?other != ?scheme)
                 OPTIONAL { ?x skos:notation ?code }
                 OPTIONAL { ?x skos:prefLabel|skos:altLabel ?label FILTER(LANG(?label) = "de") }
               }""",
            bindings=bindings,
        )
        outside_rows = store.select(
            """SELECT ?scheme ?x ?other ?label ?kind ?lang ?code WHERE {
                 ?x skos:inScheme ?other . FILTER(?other != ?scheme)
                 { ?x skos:prefLabel ?label BIND("pref" AS ?kind) } UNION { ?x skos:altLabel ?label BIND("alt" AS ?kind) }
                 BIND(LANG(?label) AS ?lang)
                 OPTIONAL { ?x skos:notation ?code }
               } ORDER BY ?x ?kind ?label""",
            bindings=bindings,
        )
        # themes declared outside this scheme (dct:relation), read like labels; and the concepts of
        # mapped schemes (EU categories) that match nothing here, by code and whole label only
        themes = {str(row["other"]) for row in store.select(
            """SELECT ?scheme ?other WHERE { ?other dct:relation ?scheme }""", bindings=bindings)}
        mapped_here = {str(row["x"]) for row in mapped_rows}
        categories = {str(row["other"]) for row in outside_rows if str(row["x"]) in mapped_here} - themes
        outside_rows = [{**row, "lexical": str(row["other"]) in themes} for row in outside_rows
                        if str(row["other"]) in themes | categories and str(row["x"]) not in mapped_here]
        kwargs.setdefault("broader", broader)
        kwargs.setdefault("mapped", _group_mapped(mapped_rows))
        kwargs.setdefault("outside", _group_outside(outside_rows))
        kwargs.setdefault("code_labels", [(str(row["code"]), str(row["label"])) for row in store.select(
            """SELECT ?code ?label WHERE { ?x skos:notation ?code ; skos:prefLabel|skos:altLabel ?label }""")])
        return cls(_group_concepts(rows), **kwargs)


def _head_index(phrase):
    """Index of the last word before the first qualifier (the head noun of a German noun phrase)."""
    head = None
    for i, word in enumerate(phrase.words):
        if word.qualifier:
            break
        head = i
    return head


def _telling(phrase, units, covered):
    """A match on very common words only ("alle") counts only when the phrase says nothing else."""
    words = {units[i].word for i in covered}
    if sum(phrase.words[i].weight for i in words) >= _MIN_TELLING_WEIGHT:
        return True
    return all(i in words or w.keys & GENERIC_HEADS for i, w in enumerate(phrase.words))


def _cover(label_words, units):
    """Indexes of units that cover every word of a label, one distinct word per label word; None if not covered."""
    used, covered = set(), []
    for keys in label_words:
        for i, unit in enumerate(units):
            if unit.word not in used and unit.keys & keys:
                used.add(unit.word)
                covered.append(i)
                break
        else:
            return None
    return covered


def _explain(phrase, units, ordered, context_words):
    """The explanation of a lexical match: head, qualifiers, compound parts, the concepts (``row.match.reading``).

    In German: "Kopf: Eltern; Zusatz: Zuwanderungsgeschichte (Kontext) → Eltern und Familien",
    "Kopf: Flüchtlingskinder; Wortteile: fluechtlings-, kinder → Geflüchtete + Kinder".
    """
    splits = sorted({(u.word, u.surface, u.part) for _, _, covered in ordered for i in covered
                     if (u := units[i]).part})
    parts = {lang: _explain_parts(phrase, splits, context_words, lang) for lang in LANGUAGES}
    return Phrase("row.match.reading", parts=parts, concepts=_labels(c for c, _, _ in ordered))


def _explain_parts(phrase, splits, context_words, lang):
    """The head, qualifier and word-part sections of `_explain` in `lang`, joined by "; "."""
    def show(i, word):
        return catalogue_text("row.match.context", lang, word=word.surface) if i in context_words else word.surface

    head = [show(i, w) for i, w in enumerate(phrase.words) if not w.qualifier]
    extra = [show(i, w) for i, w in enumerate(phrase.words) if w.qualifier]
    parts = [catalogue_text("row.match.head", lang, words=" ".join(head))] if head else []
    if extra:
        parts.append(catalogue_text("row.match.qualifier", lang, words=" ".join(extra)))
    if splits:
        parts.append(catalogue_text("row.match.parts", lang, parts=", ".join(
            catalogue_text("row.match.adjective", lang, part=s) if p == "adjective" else s + ("" if p == "head" else "-")
            for _, s, p in splits)))
    return "; ".join(parts)


def _labels(concepts):
    """Concept labels joined by " + ", in each language: ``{"de": …, "en": …}`` (a value for a `Phrase`)."""
    concepts = tuple(concepts)
    return {lang: " + ".join(label for c in concepts if (label := c.label(lang))) for lang in LANGUAGES}


def _unmatched_explanation(phrase):
    words = [w.surface for w in phrase.words if not (w.keys & GENERIC_HEADS)]
    return Phrase("row.match.none_for", words=" ".join(words)) if words else Phrase("row.match.none")


def _iri(value):
    from rdflib import URIRef

    return URIRef(str(value))


def _group_mapped(rows):
    """(label, code, IRIs) triples of the concepts of other schemes matched to this scheme."""
    targets, labels, codes = {}, {}, {}
    for row in rows:
        x = str(row["x"])
        targets.setdefault(x, set()).add(str(row["c"]))
        if row.get("label"):
            labels.setdefault(x, set()).add(str(row["label"]))
        if row.get("code"):
            codes[x] = str(row["code"])
    out = []
    for x, iris in sorted(targets.items()):
        ordered = tuple(sorted(iris))
        out.append((None, codes.get(x), ordered))
        out.extend((label, None, ordered) for label in sorted(labels.get(x, ())))
    return out


def _group_outside(rows):
    """(Concept, labels, code) of the concepts outside a scheme, from the rows of `ConceptIndex.from_store`."""
    codes = {str(row["x"]): str(row["code"]) for row in rows if row.get("code")}
    lexical = {str(row["x"]): row["lexical"] for row in rows}
    return [(concept, labels, codes.get(str(concept.iri)), lexical[str(concept.iri)])
            for concept, labels in _group_concepts(rows, "x")]


def _outside_match(text, concepts):
    """A text known to lie outside the scheme: no concept, explained by what it is (``row.match.outside``)."""
    return Match(text, None, "outside", 0.0, explanation=Phrase("row.match.outside", concepts=_labels(concepts)))


def code_key(code):
    """A category code without leading zeros ("058", "58" → "58"); other text as it is, stripped.

    Examples
    --------
    >>> code_key("058"), code_key(" 117 "), code_key("X1")
    ('58', '117', 'X1')
    """
    code = str(code).strip()
    return str(int(code)) if code.isdigit() else code


def _group_concepts(rows, key="c"):
    """Group label rows into (Concept, labels), prefLabel before altLabels."""
    grouped = {}
    for row in rows:
        entry = grouped.setdefault(row[key], {"de": "", "en": "", "labels": []})
        if row["kind"] == "pref" and row["lang"] in ("de", "en", ""):
            entry[row["lang"] or "de"] = entry[row["lang"] or "de"] or row["label"]
        entry["labels"].append((row["label"], row["kind"]))
    out = []
    for iri, entry in grouped.items():
        labels = sorted(entry["labels"], key=lambda item: item[1] != "pref")
        out.append((Concept(iri, entry["de"] or entry["en"], entry["en"] or entry["de"]), labels))
    return out
