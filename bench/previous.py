"""The matchers as they were before issue 15 (main at 217c627), kept verbatim for `bench/quality.py` to compare against.

Not used by the product. ``PreviousConceptIndex`` is the former `ingest.concepts.ConceptIndex`
(labels, then rapidfuzz ``fuzz.ratio`` against every label); ``previous_resolve_organisations``
the former `ingest.orgs.resolve_organisations`.
"""

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from knotenpunkt.ingest.text import normalize_label, stem_key



_PARENTHESES = re.compile(r"\s*\([^)]*\)")


@dataclass(frozen=True)
class _Concept:
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
    concept: "_Concept | None"
    how: str  # exact | altLabel | fuzzy | user | unmapped
    score: float = 100.0
    suggestions: tuple = ()


class PreviousConceptIndex:
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

    --------
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
        out.append((_Concept(iri, entry["de"] or entry["en"], entry["en"] or entry["de"]), labels))
    return out


# ---- organisations (former ingest/orgs.py) ----

import re
from collections import defaultdict
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from knotenpunkt.ingest.text import clean_cell, normalize_label, short_hash, slugify, split_values  # noqa: F811


ACRONYMS = {
    "awo": "arbeiterwohlfahrt", "drk": "deutsches rotes kreuz", "vhs": "volkshochschule",
    "ib": "internationaler bund", "mgh": "mehrgenerationenhaus", "jmd": "jugendmigrationsdienst",
    "mbe": "migrationsberatung fuer erwachsene zugewanderte", "kv": "kreisverband", "ov": "ortsverband",
    "bamf": "bundesamt fuer migration und fluechtlinge", "ba": "bundesagentur fuer arbeit",
    "ihk": "industrie und handelskammer", "hwk": "handwerkskammer", "dw": "diakonisches werk",
    "diakonie": "diakonisches werk", "kath": "katholische", "skf": "sozialdienst katholischer frauen",
    "skm": "sozialdienst katholischer maenner", "asb": "arbeiter samariter bund", "esf": "europaeischer sozialfonds",
    "bmfsfj": "bundesministerium fuer familie senioren frauen und jugend", "dpwv": "paritaetischer wohlfahrtsverband",
    "paritaet": "paritaetischer wohlfahrtsverband", "paritaetische": "paritaetischer wohlfahrtsverband",
    "str": "strasse", "dt": "deutsches", "int": "internationaler", "lk": "landkreis",
    "cjd": "christliches jugenddorfwerk deutschlands", "tafel": "tafel", "ekhn": "evangelische kirche in hessen und nassau",
    "agentur fuer arbeit": "bundesagentur fuer arbeit", "arbeitsagentur": "agentur fuer arbeit", "jc": "jobcenter",
    "fbs": "familienbildungsstaette", "qm": "quartiersmanagement", "stadtteilbuero": "quartiersmanagement",
    "famz": "familienzentrum", "gs": "grundschule", "igs": "integrierte gesamtschule", "wbg": "wohnungsbaugesellschaft",
    "fd": "fachdienst", "mso": "migrantenselbstorganisation", "ak": "arbeitskreis",
}
_LEGAL = {"ev", "e v", "ggmbh", "gmbh", "mbh", "ug", "gug", "ag", "kg", "eg", "gbr", "kdoer", "aoer", "ggmbh co kg",
          "gemeinnuetzige", "gemeinnuetziger", "eingetragener", "verein"}
_GENERIC = {"kreisverband", "ortsverband", "ortsverein", "bezirksverband", "landesverband", "regionalverband",
            "stadtverband", "der", "die", "das", "des", "dem", "den", "fuer", "und", "in", "im", "am", "an", "von",
            "vom", "zu", "zur", "zum", "e", "v", "region", "regional", "sued", "suedwest", "nord", "nordwest", "ost",
            "west", "mitte", "mittelhessen", "hessen", "kreis", "landkreis", "stadt", "gemeinde", "kreisstadt",
            "bundesrepublik", "deutschland", "standort", "geschaeftsstelle", "zentrale", "hauptstelle", "team",
            "buero", "dienststelle"}
_PROPOSAL_MIN_SCORE = 50
_SMALL_BLOCK = 40  # blocks up to this size are compared pair by pair
_LARGEST_BLOCK = 3000
_PAREN = re.compile(r"\(([^)]*)\)")


def name_key(name):
    """Normalised, expanded word list of an organisation name (legal forms dropped).

    ['arbeiterwohlfahrt', 'kreisverband', 'lahn', 'dill']
    ['evangelische', 'kirchengemeinde', 'niedergirmes']
    """
    key = normalize_label(_PAREN.sub(" ", name))
    for legal in ("e v", "ggmbh co kg"):
        key = re.sub(rf"\b{legal}\b", " ", key)
    words = key.split()
    if words and words[0] == "ev":
        words[0] = "evangelische"
    church = bool(words) and words[0] in ("evangelische", "kath", "katholische")
    out = []
    for word in words:
        if word == "kg" and church:
            out.append("kirchengemeinde")
            continue
        if word in _LEGAL:
            continue
        out.extend(ACRONYMS.get(word, word).split())
    key = " ".join(out)
    for phrase, expansion in ACRONYMS.items():
        if " " in phrase and phrase in key:
            key = key.replace(phrase, expansion)
    return key.split()


def _place_words(name, region, places):
    """Words of hyphenated region compounds ("Lahn-Dill-Eder"), except district names in them."""
    found = set()
    for compound in re.findall(r"\w+(?:-\w+)+", clean_cell(name)):
        parts = normalize_label(compound).split()
        if any(p in region for p in parts):
            found.update(p for p in parts if p not in places)
    return found


def _looks_like_a_name(text):
    """An abbreviation ("DRK", "IB") or a name of two or more words ("Land Hessen")."""
    words = text.split()
    acronym = 2 <= len(text) <= 8 and text.replace("-", "").isalnum() and sum(c.isupper() for c in text) >= 2
    return acronym or (len(words) >= 2 and words[0][:1].isupper())


def split_org_list(text, is_known):
    """Split a cell that lists organisations.

    ``;`` and line breaks always separate. Commas, "/" and "und" separate only when every
    piece is a known organisation, an abbreviation or a name of several words, because
    they also occur inside names ("Hessisches Ministerium für Arbeit, Integration, Jugend
    und Soziales", "Koordinationsbüro für Jugend und Soziales").

    ['AWO', 'Caritas', 'DRK']
    ['Koordinationsbüro für Jugend und Soziales']
    """
    out = []
    for part in split_values(text, is_known=lambda _: True):
        pieces = split_values(part, is_known=is_known)
        if len(pieces) > 1 and all(is_known(p) or _looks_like_a_name(p) for p in pieces):
            out.extend(pieces)
        else:
            out.append(part)
    return out


@dataclass
class PreviousOrgName:
    """One spelling of an organisation as it occurs in the data."""

    text: str
    official: bool = False  # a row of the providers sheet
    aliases: tuple = ()  # short names given for it in the providers sheet
    words: list = field(default_factory=list)
    content: set = field(default_factory=set)
    places: set = field(default_factory=set)  # district names in the name


def _covered(word, others):
    for other in others:
        short, long_ = sorted((word, other), key=len)
        if word == other or (len(short) >= 4 and long_.startswith(short) and len(short) * 2 >= len(long_)):
            return True
        if len(word) >= 6 and len(other) >= 6 and fuzz.ratio(word, other) >= 88:
            return True
    return False


def compare_names(a, b):
    """Compare two prepared names.

    Returns
    -------
    tuple of (str, float, str)
        Verdict ``"same"``, ``"proposal"`` or ``"different"``, a score 0–100 and a
        German reason.
    """
    if a.words == b.words:
        return "same", 100.0, "gleicher Name nach Normalisierung (Schreibweise, Rechtsform, Abkürzungen)"
    numbers_a = {w for w in a.words if w.isdigit()}
    numbers_b = {w for w in b.words if w.isdigit()}
    if numbers_a and numbers_b and not numbers_a & numbers_b:
        return "different", 40.0, f"verschiedene Nummern: {' '.join(sorted(numbers_a))} / {' '.join(sorted(numbers_b))}"
    if a.places and b.places and a.places != b.places:
        return "different", 40.0, f"verschiedene Stadtteile: „{' '.join(sorted(a.places))}“ / „{' '.join(sorted(b.places))}“"
    ca = a.content or set(a.words)
    cb = b.content or set(b.words)
    only_a = sorted(w for w in ca if not _covered(w, b.words))
    only_b = sorted(w for w in cb if not _covered(w, a.words))
    score = round(fuzz.token_set_ratio(" ".join(sorted(ca)), " ".join(sorted(cb))), 1)
    if only_a and only_b:
        return "different", min(score, 60.0), f"unterschiedliche Namensbestandteile: „{' '.join(only_a)}“ / „{' '.join(only_b)}“"
    if only_a or only_b:
        extra = " ".join(only_a or only_b)
        return "proposal", min(score, 80.0), f"ein Name hat den Zusatz „{extra}“ (Untergliederung oder dieselbe Organisation?)"
    if a.places != b.places:
        return "proposal", 80.0, f"nur ein Name nennt den Stadtteil „{' '.join(sorted(a.places | b.places))}“"
    extras = [w for w in b.words if not _covered(w, a.words)] + [w for w in a.words if not _covered(w, b.words)]
    detail = f"; Zusatz „{' '.join(extras)}“ ist eine Orts- oder Formangabe" if extras else ""
    return "same", 95.0 if extras else 98.0, "gleiche Namensbestandteile" + detail


@dataclass
class _OrgResolution:
    """Clusters of names that denote one organisation."""

    canonical: dict  # name text -> canonical name text
    variants: dict  # canonical -> sorted list of other names
    merges: list  # dicts: canonical, variant, score, reason
    proposals: list  # dicts: a, b, score, reason (pending a user decision)
    iris: dict  # canonical -> IRI local name

    def resolve(self, text):
        """Canonical name of a spelling (itself when unknown)."""
        return self.canonical.get(clean_cell(text), clean_cell(text))


def _prepare(names, region, places):
    prepared = {}
    for entry in names:
        entry.words = name_key(entry.text)
        generic = _GENERIC | region | _place_words(entry.text, region, places)
        entry.places = {w for w in entry.words if w in places and w not in generic}
        entry.content = {w for w in entry.words if w not in generic and w not in places and not w.isdigit()}
        prepared[entry.text] = entry
    return prepared


def _candidate_pairs(prepared):
    """Pairs worth comparing: they share a content-word prefix, and in a large block their
    content words are nearly a subset of each other (rapidfuzz ``token_set_ratio`` ≥ 90 in a
    vectorised ``cdist``), so this stays near-linear where hundreds of names share a word.
    """
    blocks = defaultdict(set)
    for text, entry in prepared.items():
        for word in entry.content or set(entry.words):
            blocks[word[:4]].add(text)
        for alias in entry.aliases:
            blocks["alias:" + normalize_label(alias)].add(text)
    pairs = set()
    for members in blocks.values():
        ordered = sorted(members)
        if len(ordered) > _LARGEST_BLOCK:  # a word in thousands of names says nothing about identity
            continue
        if len(ordered) <= _SMALL_BLOCK:
            pairs.update((a, b) for i, a in enumerate(ordered) for b in ordered[i + 1:])
            continue
        keys = [" ".join(sorted(prepared[t].content or prepared[t].words)) for t in ordered]
        scores = process.cdist(keys, keys, scorer=fuzz.token_set_ratio, score_cutoff=90, workers=-1)
        for i, j in zip(*scores.nonzero()):
            if i < j:
                pairs.add((ordered[i], ordered[j]))
    return sorted(pairs)


def previous_resolve_organisations(names, *, region=(), places=(), decisions=None, threshold=90):
    """Cluster organisation names.

    Parameters
    ----------
    names : list of PreviousOrgName
        Every distinct spelling, the providers sheet's rows marked `official`.
    region : iterable of str
        Normalised words of the municipality's and its county's names (set aside).
    places : iterable of str
        Normalised words of its district names: two names with different districts are
        different organisations.
    decisions : dict, optional
        ``{"same": [[a, b], …], "different": [[a, b], …]}`` from the user.
    threshold : float
        Lowest score at which a "same" verdict merges automatically.

    Returns
    -------
    OrgResolution

    """
    decisions = decisions or {}
    same_pairs = {frozenset(normalize_label(x) for x in pair) for pair in decisions.get("same", [])}
    different_pairs = {frozenset(normalize_label(x) for x in pair) for pair in decisions.get("different", [])}
    unique = {}
    for entry in names:
        text = clean_cell(entry.text)
        if not text:
            continue
        known = unique.setdefault(text, PreviousOrgName(text))
        known.official |= entry.official
        known.aliases = tuple(dict.fromkeys(known.aliases + tuple(clean_cell(a) for a in entry.aliases if clean_cell(a))))
    prepared = _prepare(unique.values(), set(region), set(places))
    parent = {text: text for text in prepared}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    has_official = {text: entry.official for text, entry in prepared.items()}  # per cluster root
    key_of = {text: normalize_label(text) for text in prepared}
    by_key = defaultdict(list)
    for text, key in key_of.items():
        by_key[key].append(text)
    cannot = []  # pairs of spellings the user said are different organisations
    for pair in different_pairs:
        if len(pair) == 2:
            key_a, key_b = tuple(pair)
            cannot.extend((x, y) for x in by_key.get(key_a, []) for y in by_key.get(key_b, []))

    def join(a, b):
        """Union the clusters of a and b unless the user said two of their names differ."""
        ra, rb = find(a), find(b)
        if ra == rb or any({find(x), find(y)} == {ra, rb} for x, y in cannot):
            return False
        parent[rb] = ra
        has_official[ra] = has_official[ra] or has_official[rb]
        return True

    frequency = defaultdict(int)  # in how many names a word occurs
    for entry in prepared.values():
        for word in set(entry.words):
            frequency[word] += 1
    common = max(5, len(prepared) // 50)

    def telling(a, b):
        """A proposal needs a shared rare word or several shared words ("Stadt Köln" / "OK Lab Köln" share only
        the city, which many names carry)."""
        shared = [w for w in (prepared[a].content or set(prepared[a].words)) if _covered(w, prepared[b].words)]
        rarity = [max([frequency[w]] + [frequency[o] for o in prepared[b].words if _covered(w, [o])]) for w in shared]
        return len(shared) >= 2 or any(f < common for f in rarity)

    merges, proposals = [], []
    # Short names from the providers sheet are certain.
    alias_of = {}
    for text, entry in prepared.items():
        for alias in entry.aliases:
            alias_of[normalize_label(alias)] = text
    for text in sorted(prepared):
        target = alias_of.get(key_of[text])
        if target and target != text and not prepared[text].official and join(target, text):
            merges.append({"canonical": target, "variant": text, "score": 100.0,
                           "reason": "Kurzname laut Trägerliste"})
    for a, b in _candidate_pairs(prepared):
        pair_key = frozenset((key_of[a], key_of[b]))
        if pair_key in different_pairs or find(a) == find(b):
            continue
        if pair_key in same_pairs:
            verdict, score, reason = "same", 100.0, "von der Nutzerin / dem Nutzer bestätigt"
        else:
            verdict, score, reason = compare_names(prepared[a], prepared[b])
        # Two clusters that each hold a row of the providers sheet stay apart unless the user says otherwise.
        clash = has_official[find(a)] and has_official[find(b)] and pair_key not in same_pairs
        if verdict == "same" and score >= threshold and not clash:
            if join(a, b):
                merges.append({"pair": (a, b), "score": score, "reason": reason})
        elif verdict != "different" and score >= _PROPOSAL_MIN_SCORE and telling(a, b):
            proposals.append({"a": a, "b": b, "score": score, "reason": reason if verdict == "proposal" else
                              f"{reason}; beide stehen als eigene Zeilen in der Trägerliste"})
    clusters = defaultdict(list)
    for text in prepared:
        clusters[find(text)].append(text)
    canonical, variants, iris, used = {}, {}, {}, set()
    for members in clusters.values():
        official = [m for m in members if prepared[m].official]
        chosen = max(official or members, key=lambda m: (len(m), m))
        variants[chosen] = sorted(m for m in members if m != chosen)
        for m in members:
            canonical[m] = chosen
        slug = slugify(chosen)
        if slug in used:
            slug = f"{slug}-{short_hash(chosen, length=6)}"
        used.add(slug)
        iris[chosen] = slug
    for merge in merges:
        if "pair" in merge:
            a, b = merge.pop("pair")
            merge["canonical"] = canonical[a]
            merge["variant"] = b if canonical[a] != b else a
        else:
            merge["canonical"] = canonical[merge["canonical"]]
    proposals = [p for p in proposals if canonical[p["a"]] != canonical[p["b"]]]
    return _OrgResolution(canonical, variants, merges, proposals, iris)
