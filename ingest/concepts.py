"""Map free text to SKOS concepts: labels first, then a reported fuzzy match, then the user's mapping.

Order of the attempts, and the ``how`` each reports:

1. the user's mapping file (``user``): the coordinator's word is final;
2. the normalised prefLabel (``exact``) or altLabel/hiddenLabel (``altLabel``), then the
   same with plural and feminine endings stripped;
3. a fuzzy match on the normalised text (rapidfuzz ``fuzz.ratio``) at or above the
   threshold (``fuzzy``, always reported as a warning with its score);
4. nothing: the value is reported with the closest suggestions (``unmapped``), never
   dropped and never invented.
"""

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from ingest.text import normalize_label, stem_key

__all__ = ["Concept", "Match", "ConceptIndex"]

_PARENTHESES = re.compile(r"\s*\([^)]*\)")


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
    """The outcome of mapping one text: the concept (or None), how, score, suggestions."""

    text: str
    concept: Concept | None
    how: str  # exact | altLabel | fuzzy | user | unmapped
    score: float = 100.0
    suggestions: tuple = ()


class ConceptIndex:
    """Label index over the concepts of one scheme.

    Parameters
    ----------
    concepts : iterable of (Concept, list of (label, kind))
        Each concept with its labels; kind is "pref", "alt" or "hidden".
    threshold : float
        Lowest fuzzy score accepted.
    user_mapping : dict, optional
        Text → concept IRI (or None to mark a text as deliberately unmapped).
    stems : bool
        Also match with plural and feminine endings stripped; off for proper names
        (places), where "Hause" and "Hausen" are different.

    Examples
    --------
    >>> c = Concept("urn:zg:refugees", "Geflüchtete", "Refugees")
    >>> index = ConceptIndex([(c, [("Geflüchtete", "pref"), ("Flüchtlinge", "alt")])])
    >>> index.match("Flüchtlinge").how, index.match("Geflüchete").how
    ('altLabel', 'fuzzy')
    """

    def __init__(self, concepts, *, threshold=85, user_mapping=None, stems=True):
        self.threshold = threshold
        self.stems = stems
        self.by_iri = {}
        self._exact, self._stem = {}, {}
        for concept, labels in concepts:
            self.by_iri[concept.iri] = concept
            for label, kind in labels:
                key = normalize_label(label)
                if not key:
                    continue
                how = "exact" if kind == "pref" else "altLabel"
                self._exact.setdefault(key, (concept, how))
                if stems:
                    self._stem.setdefault(stem_key(key), (concept, how))
        self._choices = list(self._exact)
        self.user = {normalize_label(text): iri for text, iri in (user_mapping or {}).items()}

    def __len__(self):
        return len(self.by_iri)

    def labels(self):
        """Pairs of (normalised label, concept IRI) of every label in the index."""
        return [(key, concept.iri) for key, (concept, _) in self._exact.items()]

    def add(self, concept, labels):
        """Add one concept (a district created from a districts sheet)."""
        self.by_iri[concept.iri] = concept
        for label in labels:
            key = normalize_label(label)
            if key:
                self._exact.setdefault(key, (concept, "exact"))
                if self.stems:
                    self._stem.setdefault(stem_key(key), (concept, "exact"))
                self._choices.append(key)

    def is_known(self, text):
        """True when `text` maps without fuzziness (used to keep "Eltern und Familien" whole)."""
        return normalize_label(text) in self.user or self._by_label(text) is not None

    def suggestions(self, key, limit=3):
        """The closest labels to a normalised text, as "label (score)" strings."""
        found = process.extract(key, self._choices, scorer=fuzz.ratio, limit=limit * 3)
        out, seen = [], set()
        for choice, score, _ in found:
            concept = self._exact[choice][0]
            if concept.iri not in seen:
                seen.add(concept.iri)
                out.append(f"{concept.label_de} ({score:.0f})")
            if len(out) == limit:
                break
        return tuple(out)

    def _by_label(self, text):
        key = normalize_label(text)
        if key in self._exact:
            return self._exact[key]
        return self._stem.get(stem_key(key))

    def match(self, text):
        """Map one text to a concept; see the module docstring for the order.

        A qualifier in parentheses is tried without it: "Kita (städtisch)" is "Kita".
        """
        key = normalize_label(text)
        if key in self.user:
            iri = self.user[key]
            return Match(text, self.by_iri.get(iri) if iri else None, "user" if iri else "unmapped")
        found = self._by_label(text)
        if found is None and (bare := _PARENTHESES.sub("", text).strip()) and bare != text.strip():
            found = self._by_label(bare)
        if found is not None:
            return Match(text, *found)
        if self._choices and key:
            best = process.extractOne(key, self._choices, scorer=fuzz.ratio)
            if best and best[1] >= self.threshold:
                return Match(text, self._exact[best[0]][0], "fuzzy", round(best[1], 1))
        return Match(text, None, "unmapped", 0.0, self.suggestions(key) if key else ())

    @classmethod
    def from_store(cls, store, scheme, **kwargs):
        """Build the index for one concept scheme from the store's labels."""
        rows = store.select(
            """SELECT ?scheme ?c ?label ?kind ?lang WHERE {
                 ?c skos:inScheme ?scheme .
                 { ?c skos:prefLabel ?label BIND("pref" AS ?kind) }
                 UNION { ?c skos:altLabel ?label BIND("alt" AS ?kind) }
                 UNION { ?c skos:hiddenLabel ?label BIND("hidden" AS ?kind) }
                 BIND(LANG(?label) AS ?lang)
               } ORDER BY ?c ?kind ?label""",
            bindings={"scheme": _iri(scheme)},
        )
        return cls(_group_concepts(rows), **kwargs)


def _iri(value):
    from rdflib import URIRef

    return URIRef(str(value))


def _group_concepts(rows):
    """Group label rows into (Concept, labels), prefLabel before altLabels."""
    grouped = {}
    for row in rows:
        entry = grouped.setdefault(row["c"], {"de": "", "en": "", "labels": []})
        if row["kind"] == "pref" and row["lang"] in ("de", "en", ""):
            entry[row["lang"] or "de"] = entry[row["lang"] or "de"] or row["label"]
        entry["labels"].append((row["label"], row["kind"]))
    out = []
    for iri, entry in grouped.items():
        labels = sorted(entry["labels"], key=lambda item: item[1] != "pref")
        out.append((Concept(iri, entry["de"] or entry["en"], entry["en"] or entry["de"]), labels))
    return out
