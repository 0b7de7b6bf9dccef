"""Reconcile organisation names: one organisation under several names, look-alikes kept apart.

Two names are compared on their *content words*: the name is normalised (case,
umlauts, punctuation), legal forms are removed (e.V., gGmbH …), well-known
abbreviations are expanded (AWO → Arbeiterwohlfahrt, KV → Kreisverband …), and
words that only say where or what form (Kreisverband, Stadt, the municipality's
place names, years) are set aside. Then:

- the same content words (a word also counts when the other name starts with it and it is
  at least half as long, "Caritas" in "Caritasverband", or differs by a typo, rapidfuzz
  ratio ≥ 88): **the same organisation**, merged;
- one name has content words the other lacks ("Stadt Wetzlar" / "Stadt Wetzlar –
  Jugendamt"): **a proposal** for the user, not merged;
- both have content words the other lacks ("Jugendamt" / "Sozialamt", "Türkischer
  Elternverein" / "Türkisch-Islamische Gemeinde"): **different organisations**.

Two rows of a providers sheet are different organisations unless the user says
otherwise; its short-name column names variants for certain. The user's decisions
("same" / "different") override everything and are kept for the next import.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial

from rapidfuzz import fuzz, process

from knotenpunkt.graph.texts import LANGUAGES, Phrase
from knotenpunkt.ingest.text import clean_cell, normalize_label, short_hash, slugify, split_values

__all__ = ["ACRONYMS", "DIRECTIONS", "REVIEW_LIMIT", "OrgName", "OrgResolution", "compare_names",
           "resolve_organisations", "name_key", "split_org_list", "merge_reasons"]

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
            "vom", "zu", "zur", "zum", "e", "v", "region", "regional", "mittelhessen", "hessen", "kreis", "landkreis", "stadt",
            "gemeinde", "kreisstadt",
            "bundesrepublik", "deutschland", "standort", "geschaeftsstelle", "zentrale", "hauptstelle", "team",
            "buero", "dienststelle"}
# Words that name a branch by direction: "ASB OV West" and "ASB Harburg / Nordost" are different branches.
DIRECTIONS = {"nord", "sued", "ost", "west", "nordost", "nordwest", "suedost", "suedwest", "mitte", "zentrum", "nordost"}
# Words after which a name gives its place or branch ("Standort Eppendorf", "OV Harburg").
_PLACE_MARKERS = {"standort", "bezirk", "stadtteil", "ortsverband", "kreisverband", "ortsverein", "bezirksverband",
                  "stadtverband", "regionalverband", "filiale", "zweigstelle", "aussenstelle", "geschaeftsstelle"}
REVIEW_LIMIT = 100  # proposals shown for review; the rest wait behind "mehr"
_PROPOSAL_MIN_SCORE = 50
_SMALL_BLOCK = 40  # blocks up to this size are compared pair by pair
_LARGEST_BLOCK = 3000
_PAREN = re.compile(r"\(([^)]*)\)")


def name_key(name):
    """Normalised, expanded word list of an organisation name (legal forms dropped).

    Examples
    --------
    >>> name_key("AWO KV Lahn-Dill e.V.")
    ['arbeiterwohlfahrt', 'kreisverband', 'lahn', 'dill']
    >>> name_key("Ev. Kirchengemeinde Niedergirmes")
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

    Examples
    --------
    >>> known = {"Caritas", "AWO"}.__contains__
    >>> split_org_list("AWO, Caritas und DRK", known)
    ['AWO', 'Caritas', 'DRK']
    >>> split_org_list("Koordinationsbüro für Jugend und Soziales", known)
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
class OrgName:
    """One spelling of an organisation as it occurs in the data."""

    text: str
    official: bool = False  # a row of the providers sheet
    aliases: tuple = ()  # short names given for it in the providers sheet
    words: list = field(default_factory=list)
    content: set = field(default_factory=set)
    places: set = field(default_factory=set)  # district names in the name
    qualifiers: set = field(default_factory=set)  # place or branch words: districts, their adjectives, directions


_SEEN_WORDS = {}  # word -> in how many names it occurs (set per resolve_organisations call)


def _covered(word, others):
    """True when `word` is one of `others`, a prefix of one ("caritas" in "caritasverband") or a typo of one.

    A typo is a near spelling (rapidfuzz ratio ≥ 88) of which one side occurs in a single name
    only: "Harburger" and "Hamburger" each occur in several names, so neither is a typo of the other.
    """
    for other in others:
        short, long_ = sorted((word, other), key=len)
        if word == other or (len(short) >= 4 and long_.startswith(short) and len(short) * 2 >= len(long_)):
            return True
        if (len(word) >= 6 and len(other) >= 6 and fuzz.ratio(word, other) >= 88
                and min(_SEEN_WORDS.get(word, 1), _SEEN_WORDS.get(other, 1)) <= 1):
            return True
    return False


def compare_names(a, b):
    """Compare two prepared names.

    Returns
    -------
    tuple of (str, float, graph.texts.Phrase)
        Verdict ``"same"``, ``"proposal"`` or ``"different"``, a score 0–100 and the
        reason (``row.org.*``).
    """
    if a.words == b.words:
        return "same", 100.0, Phrase("row.org.same_name")
    numbers_a = {w for w in a.words if w.isdigit()}
    numbers_b = {w for w in b.words if w.isdigit()}
    if numbers_a and numbers_b and not numbers_a & numbers_b:
        return "different", 40.0, Phrase("row.org.numbers", a=" ".join(sorted(numbers_a)), b=" ".join(sorted(numbers_b)))
    if a.places and b.places and a.places != b.places:
        return "different", 40.0, Phrase("row.org.districts", a=" ".join(sorted(a.places)), b=" ".join(sorted(b.places)))
    if a.qualifiers != b.qualifiers and a.qualifiers and b.qualifiers:
        return "different", 40.0, Phrase("row.org.branches", a=" ".join(sorted(a.qualifiers)),
                                          b=" ".join(sorted(b.qualifiers)))
    ca = a.content or set(a.words)
    cb = b.content or set(b.words)
    only_a = sorted(w for w in ca if not _covered(w, b.words))
    only_b = sorted(w for w in cb if not _covered(w, a.words))
    score = round(fuzz.token_set_ratio(" ".join(sorted(ca)), " ".join(sorted(cb))), 1)
    if only_a and only_b:
        return "different", min(score, 60.0), Phrase("row.org.words", a=" ".join(only_a), b=" ".join(only_b))
    qualified = a if a.qualifiers else b
    bare = b if qualified is a else a
    if a.qualifiers != b.qualifiers and not (qualified.official and not bare.official):
        # the providers sheet names the branch; a short form without place refers to it ("IB" → "IB Südwest")
        extra = " ".join(sorted(a.qualifiers | b.qualifiers))
        return "proposal", min(score, 75.0), Phrase("row.org.one_branch", extra=extra)
    if only_a or only_b:
        extra = " ".join(only_a or only_b)
        return "proposal", min(score, 80.0), Phrase("row.org.one_extra", extra=extra)
    if a.places != b.places:
        return "proposal", 80.0, Phrase("row.org.one_district", district=" ".join(sorted(a.places | b.places)))
    extras = [w for w in b.words if not _covered(w, a.words)] + [w for w in a.words if not _covered(w, b.words)]
    if extras:
        return "same", 95.0, Phrase("row.org.same_words_extra", extra=" ".join(extras))
    return "same", 98.0, Phrase("row.org.same_words")


@dataclass
class OrgResolution:
    """Clusters of names that denote one organisation."""

    canonical: dict  # name text -> canonical name text
    variants: dict  # canonical -> sorted list of other names
    merges: list  # dicts: canonical, variant, score, reason (a graph.texts.Phrase)
    proposals: list  # dicts: a, b, score, reason (a Phrase; pending a user decision), most useful first, at most REVIEW_LIMIT
    iris: dict  # canonical -> IRI local name
    more_proposals: list = field(default_factory=list)  # the rest, behind "mehr"

    def resolve(self, text):
        """Canonical name of a spelling (itself when unknown)."""
        return self.canonical.get(clean_cell(text), clean_cell(text))


def _qualifiers(words, places, region):
    """Place and branch words of a name: districts and their adjective forms ("harburger"), directions, and the
    word after a marker ("Standort Eppendorf"); the municipality itself (`region`) is not a qualifier."""
    found = set()
    for i, word in enumerate(words):
        base = word[:-2] if word.endswith("er") and word[:-2] in places else word
        if base in region:
            continue
        if base in places or word in DIRECTIONS:
            found.add(base)
        elif i > 0 and words[i - 1] in _PLACE_MARKERS and not word.isdigit() and word not in _GENERIC:
            found.add(word)
    return found


def _prepare(names, region, places):
    prepared = {}
    for entry in names:
        entry.words = [w for w in name_key(entry.text) if len(w) > 1 or w.isdigit()]  # "f & w": initials
        generic = _GENERIC | region | _place_words(entry.text, region, places)
        entry.places = {w for w in entry.words if w in places and w not in generic}
        entry.qualifiers = _qualifiers(entry.words, places, region)
        entry.content = {w for w in entry.words if w not in generic and w not in places and not w.isdigit()
                         and w not in entry.qualifiers and w not in DIRECTIONS}
        prepared[entry.text] = entry
    return prepared


def _candidate_pairs(prepared):
    """Pairs worth comparing: they share a content-word prefix, and in a large block their
    content words are nearly a subset of each other (rapidfuzz ``token_set_ratio`` ≥ 90 in a
    vectorised ``cdist``). Two names that both name a place or branch, different ones, are
    never compared: they are different organisations (`compare_names`), and a chain with a
    branch in every town ("Caritasverband Auhabur", "Caritasverband Bachmerha", …) would
    otherwise make pairs quadratic in the number of towns.
    """
    blocks = defaultdict(set)
    for text, entry in prepared.items():
        for word in entry.content or set(entry.words):
            blocks[word[:4]].add(text)
        for alias in entry.aliases:
            blocks["alias:" + normalize_label(alias)].add(text)
    keys = {text: " ".join(sorted(entry.content or entry.words)) for text, entry in prepared.items()}
    pairs = set()
    for members in blocks.values():
        if len(members) > _LARGEST_BLOCK:  # a word in thousands of names says nothing about identity
            continue
        by_qualifiers = defaultdict(list)
        for text in sorted(members):
            by_qualifiers[frozenset(prepared[text].qualifiers)].append(text)
        bare = by_qualifiers.pop(frozenset(), [])
        compare = _all_pairs if len(members) <= _SMALL_BLOCK else partial(_similar_pairs, keys)
        pairs |= compare(bare, bare)
        for qualified in by_qualifiers.values():
            pairs |= compare(qualified, qualified) | compare(bare, qualified)
    return sorted(pairs)


def _all_pairs(rows, columns):
    return {tuple(sorted((a, b))) for a in rows for b in columns if a != b}


def _similar_pairs(keys, rows, columns):
    """The pairs of `rows` × `columns` whose content words (`keys`: name → its sorted words) nearly contain
    each other."""
    if not rows or not columns:
        return set()
    workers = -1 if len(rows) * len(columns) > 100_000 else 1  # threads only pay off on large ones
    scores = process.cdist([keys[t] for t in rows], [keys[t] for t in columns], scorer=fuzz.token_set_ratio,
                           score_cutoff=90, workers=workers)
    return {tuple(sorted((rows[i], columns[j]))) for i, j in zip(*scores.nonzero()) if rows[i] != columns[j]}


def resolve_organisations(names, *, region=(), places=(), decisions=None, threshold=90):
    """Cluster organisation names.

    Parameters
    ----------
    names : list of OrgName
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

    Examples
    --------
    >>> r = resolve_organisations([OrgName("Arbeiterwohlfahrt KV Lahn-Dill e.V.", official=True),
    ...                            OrgName("AWO"), OrgName("Stadt Wetzlar – Jugendamt"),
    ...                            OrgName("Stadt Wetzlar – Sozialamt")], region={"wetzlar", "lahn", "dill"})
    >>> r.resolve("AWO")
    'Arbeiterwohlfahrt KV Lahn-Dill e.V.'
    >>> r.resolve("Stadt Wetzlar – Jugendamt") == r.resolve("Stadt Wetzlar – Sozialamt")
    False
    """
    decisions = decisions or {}
    same_pairs = {frozenset(normalize_label(x) for x in pair) for pair in decisions.get("same", [])}
    different_pairs = {frozenset(normalize_label(x) for x in pair) for pair in decisions.get("different", [])}
    unique = {}
    for entry in names:
        text = clean_cell(entry.text)
        if not text:
            continue
        known = unique.setdefault(text, OrgName(text))
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

    qualifiers = {text: ({frozenset(e.qualifiers)} if e.qualifiers else set()) for text, e in prepared.items()}

    def join(a, b, *, user=False):
        """Union the clusters of a and b unless the user said two of their names differ, or (without the user)
        the clusters name different places or branches (no chain "West" – "ASB" – "Nordost")."""
        ra, rb = find(a), find(b)
        if ra == rb or any({find(x), find(y)} == {ra, rb} for x, y in cannot):
            return False
        if not user and qualifiers[ra] and qualifiers[rb] and qualifiers[ra] != qualifiers[rb]:
            return False
        parent[rb] = ra
        has_official[ra] = has_official[ra] or has_official[rb]
        qualifiers[ra] = qualifiers[ra] | qualifiers[rb]
        return True

    frequency = defaultdict(int)  # in how many names a word occurs
    for entry in prepared.values():
        for word in set(entry.words):
            frequency[word] += 1
    common = max(5, len(prepared) // 50)
    _SEEN_WORDS.clear()
    _SEEN_WORDS.update(frequency)

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
                           "reason": Phrase("row.org.short_name")})
    user_pairs = {tuple(sorted((x, y))) for pair in same_pairs if len(pair) == 2
                  for x in by_key.get(min(pair), []) for y in by_key.get(max(pair), [])}  # compared whatever their places
    for a, b in sorted(set(_candidate_pairs(prepared)) | user_pairs):
        pair_key = frozenset((key_of[a], key_of[b]))
        if pair_key in different_pairs or find(a) == find(b):
            continue
        if pair_key in same_pairs:
            verdict, score, reason = "same", 100.0, Phrase("row.org.user")
        else:
            verdict, score, reason = compare_names(prepared[a], prepared[b])
        # Two clusters that each hold a row of the providers sheet stay apart unless the user says otherwise.
        clash = has_official[find(a)] and has_official[find(b)] and pair_key not in same_pairs
        if verdict == "same" and score >= threshold and not clash:
            if join(a, b, user=pair_key in same_pairs):
                merges.append({"pair": (a, b), "score": score, "reason": reason})
        elif verdict != "different" and score >= _PROPOSAL_MIN_SCORE and telling(a, b):
            proposals.append({"a": a, "b": b, "score": score, "reason": reason if verdict == "proposal" else
                              Phrase("row.org.both_listed", reason=reason),
                              "_rank": _usefulness(prepared[a], prepared[b], score, frequency)})
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
    proposals = sorted((p for p in proposals if canonical[p["a"]] != canonical[p["b"]]),
                       key=lambda p: (-p.pop("_rank"), -p["score"], p["a"], p["b"]))
    _SEEN_WORDS.clear()
    return OrgResolution(canonical, variants, merges, proposals[:REVIEW_LIMIT], iris, proposals[REVIEW_LIMIT:])


def merge_reasons(merges, canonical):
    """Why the variants of `canonical` were merged into it, each reason once, in each language.

    Parameters
    ----------
    merges : list of dict
        `OrgResolution.merges`.
    canonical : str
        A canonical name.

    Returns
    -------
    dict
        ``{"de": …, "en": …}``: the reasons, sorted and joined by "; ".

    Examples
    --------
    >>> merge_reasons([{"canonical": "AWO", "reason": Phrase("row.org.short_name")}], "AWO")["en"]
    'short name given in the providers list'
    """
    reasons = {m["reason"] for m in merges if m["canonical"] == canonical}
    return {lang: "; ".join(sorted({r.message(lang) for r in reasons})) for lang in LANGUAGES}


def _usefulness(a, b, score, frequency):
    """How much a proposal is worth a reviewer's minute: the rarer the shared words and the fewer the words
    that differ, the likelier one organisation; a name that only adds a place or branch ranks too."""
    shared = (a.content or set(a.words)) & (b.content or set(b.words))
    rarity = sum(1.0 / frequency.get(w, 1) for w in shared)
    differing = len(set(a.words) ^ set(b.words))
    return round(score / 100 + 2 * rarity - 0.3 * differing, 3)
