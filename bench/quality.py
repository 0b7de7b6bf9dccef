"""Quality bench: precision and recall of the concept matcher and of the organisation merges, before and after.

Run ``make bench-quality`` (or ``python -m bench.quality``). It reads the labelled sets in
``tests/data/eval/`` (``concepts.csv``: free-text values with the concepts a coordinator
would choose; ``org_pairs.csv``: organisation name pairs, same or different), runs the
previous matchers (`bench.previous`, main before issue 15) and the current ones on them in
the same run, prints a table and writes ``bench/QUALITY.md``.

The Hamburg volunteering list (``../shared/data/real/hh-ehrenamt``) is read when present:
the pairs from it are judged with every name of that list resolved together, as an import
would, and the counts of merges and open proposals are reported.
"""

import csv
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL_DIR = ROOT / "tests" / "data" / "eval"
HAMBURG = ROOT.parent / "shared" / "data" / "real" / "hh-ehrenamt" / "ehrenamt.csv"
REPORT = Path(__file__).resolve().parent / "QUALITY.md"
ROLES = {"target_groups": "zielgruppe", "fields": "handlungsfeld"}
# Hamburg's districts (Bezirke) and the quarters named in the list: the gazetteer an import
# would take from a districts sheet or the territory.
HAMBURG_PLACES = set("""altona eimsbuettel hamburg-nord wandsbek bergedorf harburg hamburg-mitte barmbek eppendorf
winterhude ottensen bahrenfeld blankenese niendorf lokstedt schnelsen eidelstedt stellingen langenhorn fuhlsbuettel
ohlsdorf alsterdorf karlshoehe bramfeld steilshoop rahlstedt jenfeld billstedt horn hamm wilhelmsburg veddel neugraben
neuwiedenthal fischbek heimfeld eissendorf marmstorf finkenwerder lurup osdorf iserbrook rissen sasel poppenbuettel
volksdorf bergstedt duvenstedt lemsahl hummelsbuettel st pauli georg uhlenhorst hohenfelde eilbek dulsberg
lohbruegge rothenburgsort tonndorf""".split())

__all__ = ["load_concept_set", "load_org_pairs", "load_paraphrases", "load_hamburg_proposals", "judge_top_proposals", "evaluate_concepts", "evaluate_consistency",
           "evaluate_orgs", "hamburg_names", "main"]


def load_concept_set(path=EVAL_DIR / "concepts.csv"):
    """Rows of the concept evaluation set: ``role``, ``text``, ``gold`` (set of concept slugs), ``source``, ``note``."""
    with open(path, encoding="utf-8", newline="") as handle:
        return [{**row, "gold": set(row["gold"].split())} for row in csv.DictReader(handle)]


def load_org_pairs(path=EVAL_DIR / "org_pairs.csv"):
    """Rows of the organisation pair set: ``label`` (same/different), ``a``, ``b``, ``source``, ``note``."""
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_paraphrases(path=EVAL_DIR / "paraphrases.csv"):
    """Rows of the held-out paraphrase set: ``role``, ``group``, ``gold`` (set of slugs), ``text``, ``source``."""
    with open(path, encoding="utf-8", newline="") as handle:
        return [{**row, "gold": set(row["gold"].split())} for row in csv.DictReader(handle)]


def load_hamburg_proposals(path=EVAL_DIR / "hamburg_proposals.csv"):
    """Labelled top proposals on the Hamburg list: pair (frozenset of the two names) → (label, note)."""
    with open(path, encoding="utf-8", newline="") as handle:
        return {frozenset((r["a"], r["b"])): (r["label"], r["note"]) for r in csv.DictReader(handle)}


def judge_top_proposals(proposals, labels=None, top=50):
    """How many of the first `top` proposals are labelled "same", and the ones not labelled at all."""
    labels = labels if labels is not None else load_hamburg_proposals()
    shown = proposals[:top]
    right = sum(1 for p in shown if labels.get(frozenset((p["a"], p["b"])), ("",))[0] == "same")
    unlabelled = [(p["a"], p["b"]) for p in shown if frozenset((p["a"], p["b"])) not in labels]
    return {"right": right, "shown": len(shown), "unlabelled": unlabelled}


def _slug(iri):
    return str(iri).rsplit("/", 1)[-1]


def _indexes(store):
    from bench.previous import PreviousConceptIndex
    from knotenpunkt.ingest.builder import SCHEMES
    from knotenpunkt.ingest.concepts import ConceptIndex

    return ({role: PreviousConceptIndex.from_store(store, SCHEMES[role]) for role in ROLES},
            {role: ConceptIndex.from_store(store, SCHEMES[role]) for role in ROLES})


def _predicted(match):
    concepts = getattr(match, "concepts", ()) or ((match.concept,) if match.concept else ())
    return {_slug(c.iri) for c in concepts}


def _scores(rows, predict):
    tp = fp = fn = exact = 0
    errors = []
    for row in rows:
        got = predict(row)
        tp += len(got & row["gold"])
        fp += len(got - row["gold"])
        fn += len(row["gold"] - got)
        exact += got == row["gold"]
        if got != row["gold"]:
            errors.append((row["role"], row["text"], sorted(row["gold"]), sorted(got)))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "exact_share": round(exact / len(rows), 3),
            "values": len(rows), "errors": errors}


def evaluate_concepts(store=None, rows=None):
    """Precision, recall and share of exactly right values, previous and current matcher.

    Returns
    -------
    dict
        ``{"previous": {...}, "current": {...}, "ms_per_value": float}``; precision and recall
        are micro-averaged over (value, concept) pairs.
    """
    from knotenpunkt.graph.store import Store

    if store is None:
        store = Store()
        store.ensure_model()
    rows = rows if rows is not None else load_concept_set()
    previous, current = _indexes(store)
    out = {"previous": _scores(rows, lambda r: _predicted(previous[r["role"]].match(r["text"]))
                               if previous[r["role"]].match(r["text"]).how != "unmapped" else set())}
    start = time.perf_counter()
    out["current"] = _scores(rows, lambda r: _predicted(current[r["role"]].match(r["text"])))
    out["ms_per_value"] = round(1000 * (time.perf_counter() - start) / len(rows), 3)
    return out


def evaluate_consistency(store=None, rows=None):
    """Consistency of the matcher on held-out paraphrase groups, previous and current.

    Every wording of one group should land on the same concepts, and different groups on
    different concepts.

    Returns
    -------
    dict
        Per matcher: ``consistency`` (share of wordings whose concepts are those most wordings
        of their group get, a group whose most common answer is "nothing" counting as
        inconsistent), ``correct`` (share of wordings on exactly the gold concepts),
        ``distinct`` (share of groups whose most common answer is non-empty and no other
        group's), ``groups``, ``wordings`` and ``errors`` (role, group, text, got).
    """
    from collections import Counter

    from knotenpunkt.graph.store import Store

    if store is None:
        store = Store()
        store.ensure_model()
    rows = rows if rows is not None else load_paraphrases()
    previous, current = _indexes(store)
    out = {}
    for name, indexes in (("previous", previous), ("current", current)):
        got = {}
        for r in rows:
            m = indexes[r["role"]].match(r["text"])
            got[(r["group"], r["text"])] = frozenset() if m.how == "unmapped" else frozenset(_predicted(m))
        groups = sorted({r["group"] for r in rows})
        modal = {g: Counter(v for (gg, _), v in got.items() if gg == g).most_common(1)[0][0] for g in groups}
        consistent = sum(1 for (g, _), v in got.items() if v and v == modal[g])
        correct = sum(1 for r in rows if got[(r["group"], r["text"])] == r["gold"])
        answers = Counter(modal.values())
        distinct = sum(1 for g in groups if modal[g] and answers[modal[g]] == 1)
        out[name] = {"consistency": round(consistent / len(rows), 3), "correct": round(correct / len(rows), 3),
                     "distinct": round(distinct / len(groups), 3), "groups": len(groups), "wordings": len(rows),
                     "errors": [(r["role"], r["group"].split(":", 1)[1], r["text"],
                                 sorted(got[(r["group"], r["text"])]))
                                for r in rows if got[(r["group"], r["text"])] != r["gold"]]}
    return out


def hamburg_names(path=HAMBURG):
    """Every organisation name of the Hamburg list (organisations and agencies); [] when the file is absent."""
    if not Path(path).exists():
        return []
    import pandas as pd

    frame = pd.read_csv(path, sep=";", dtype=str)
    return sorted(set(frame["einrichtungsname"].dropna()) | set(frame["agenturname"].dropna()))


def _resolvers():
    from bench.previous import PreviousOrgName, previous_resolve_organisations
    from knotenpunkt.ingest.orgs import OrgName, resolve_organisations

    return {"previous": (previous_resolve_organisations, PreviousOrgName), "current": (resolve_organisations, OrgName)}


def _sample_names(pairs):
    expected = json.loads((ROOT / "data" / "sample" / "expected.json").read_text(encoding="utf-8"))
    official = {m["canonical"]: tuple(a for a in [m.get("short_name")] if a) for m in expected["organisations"]["merged"]}
    names = {n for p in pairs for n in (p["a"], p["b"])}
    return [(n, n in official, official.get(n, ())) for n in sorted(names)]


def evaluate_orgs(pairs=None):
    """Merge precision and recall and the wrong merges, previous and current resolver, plus the Hamburg counts."""
    pairs = pairs if pairs is not None else load_org_pairs()
    hamburg = hamburg_names()
    out = {}
    for name, (resolve, org_name) in _resolvers().items():
        resolved = {}
        if hamburg:
            r = resolve([org_name(n) for n in hamburg], region={"hamburg"}, places=HAMBURG_PLACES)
            resolved["hh-ehrenamt"] = r
            out.setdefault("hamburg", {})[name] = {
                "names": len(hamburg), "merges": len(r.merges),
                "open_proposals": len(r.proposals), "more_proposals": len(getattr(r, "more_proposals", [])),
                "top_proposals": [(p["a"], p["b"], p["score"], p["reason"]) for p in r.proposals[:50]],
                "merge_list": [(m["canonical"], m["variant"], m["score"]) for m in r.merges]}
            if name == "current":
                judged = judge_top_proposals(r.proposals)
                out["hamburg"][name]["top50_right"] = f"{judged['right']} / {judged['shown']}"
                out["hamburg"][name]["top50_unlabelled"] = judged["unlabelled"]
            else:
                out["hamburg"][name]["top50_right"] = "–"
        sample = [p for p in pairs if p["source"] == "sample"]
        resolved["sample"] = resolve([org_name(n, official=o, aliases=a) for n, o, a in _sample_names(sample)],
                                     region={"wetzlar", "lahn", "dill", "eder"}, places=set())
        tp = fp = fn = 0
        wrong, missed = [], []
        for p in pairs:
            r = resolved.get(p["source"])
            if r is None:
                continue
            same = r.resolve(p["a"]) == r.resolve(p["b"])
            truth = p["label"] == "same"
            tp += same and truth
            fp += same and not truth
            fn += truth and not same
            if same and not truth:
                wrong.append((p["a"], p["b"]))
            if truth and not same:
                missed.append((p["a"], p["b"]))
        out[name] = {"precision": round(tp / (tp + fp), 3) if tp + fp else 1.0,
                     "recall": round(tp / (tp + fn), 3) if tp + fn else 1.0,
                     "wrong_merges": wrong, "missed": missed, "pairs": tp + fp + fn + sum(
                         1 for p in pairs if p["source"] in resolved and p["label"] == "different") - fp}
    return out


# The paraphrase set measured once before any fix was made on its wordings (commit 73f3684):
# the honest held-out figure. Fixes that followed (vocabulary labels, feminine-only forms,
# adjectives, "e"-elision in compounds) were made on it, so later figures are no longer held out.
HELD_OUT_FIRST = {"consistency": 0.860, "correct": 0.871, "distinct": 0.975, "commit": "73f3684"}
# A second set, written on 2026-12-05 after the matcher was finished, without running it; wordings that
# were already in the other sets removed. Measured once when it was added; keep it out of any tuning.
HELD_OUT_SECOND_FILE = EVAL_DIR / "paraphrases-heldout-2.csv"
HELD_OUT_SECOND = {"consistency": 0.966, "correct": 0.847, "distinct": 0.895, "previous_consistency": 0.610,
                   "previous_correct": 0.661, "previous_distinct": 0.684}


def _table(concepts, orgs, consistency=None):
    prev, cur = concepts["previous"], concepts["current"]
    lines = ["| measure | previous (main) | current |", "|---|---:|---:|",
             f"| concepts: precision ({cur['values']} values) | {prev['precision']:.3f} | {cur['precision']:.3f} |",
             f"| concepts: recall | {prev['recall']:.3f} | {cur['recall']:.3f} |",
             f"| concepts: values exactly right | {prev['exact_share']:.3f} | {cur['exact_share']:.3f} |",
             f"| organisations: merge precision | {orgs['previous']['precision']:.3f} | {orgs['current']['precision']:.3f} |",
             f"| organisations: merge recall | {orgs['previous']['recall']:.3f} | {orgs['current']['recall']:.3f} |",
             f"| organisations: wrong merges on the pairs | {len(orgs['previous']['wrong_merges'])} | "
             f"{len(orgs['current']['wrong_merges'])} |"]
    if "hamburg" in orgs:
        hp, hc = orgs["hamburg"]["previous"], orgs["hamburg"]["current"]
        lines += [f"| Hamburg: automatic merges | {hp['merges']} | {hc['merges']} |",
                  f"| Hamburg: open proposals (shown / behind „mehr“) | {hp['open_proposals']} / 0 | "
                  f"{hc['open_proposals']} / {hc['more_proposals']} |"]
    if consistency:
        cp, cc = consistency["previous"], consistency["current"]
        lines += [f"| paraphrases: same concepts for one group ({cc['groups']} groups, {cc['wordings']} wordings) | "
                  f"{cp['consistency']:.3f} | {cc['consistency']:.3f} |",
                  f"| paraphrases: exactly the gold concepts | {cp['correct']:.3f} | {cc['correct']:.3f} |",
                  f"| paraphrases: groups on concepts of their own | {cp['distinct']:.3f} | {cc['distinct']:.3f} |"]
    if "hamburg" in orgs and "top50_right" in orgs["hamburg"]["current"]:
        lines.append(f"| Hamburg: top 50 proposals right (labelled) | {orgs['hamburg']['previous']['top50_right']} | "
                     f"{orgs['hamburg']['current']['top50_right']} |")
    lines.append(f"| matcher time per distinct value (ms, cold cache) | – | {concepts['ms_per_value']:.3f} |")
    return "\n".join(lines)


def _report(concepts, orgs, consistency=None, held_out=None):
    cur = concepts["current"]
    parts = ["# Quality of the meaning layer (concepts and organisations)", "",
             "Generated by `make bench-quality` (`bench/quality.py`); do not edit by hand.", "",
             "Labelled sets: `tests/data/eval/concepts.csv` (free-text values of the real sets in "
             "`../shared/data/real/`, the sample and the second-city fixture, plus written wording; the gold "
             "concepts are what a coordinator would choose, doubtful labels carry a note) and "
             "`tests/data/eval/org_pairs.csv` (name pairs, same or different). Previous = the matchers of main "
             "before issue 15, vendored in `bench/previous.py`, run in the same process.", "",
             _table(concepts, orgs, consistency), "", "## Concept values still wrong (current)", "",
             "| role | text | gold | got |", "|---|---|---|---|"]
    parts += [f"| {r} | {t} | {' '.join(g) or '–'} | {' '.join(x) or '–'} |" for r, t, g, x in cur["errors"]]
    if consistency:
        first = HELD_OUT_FIRST
        parts += ["", "## Consistency on paraphrases (`tests/data/eval/paraphrases.csv`)", "",
                  "Groups of wordings of one target group or field, written after the phrasing of BAMF, ESF Plus "
                  "and municipal integration concepts and not used while building the matcher. *Same concepts*: "
                  "share of wordings that land on the concepts most wordings of their group land on (nothing "
                  "counts as wrong); *groups on concepts of their own*: share of groups whose most common answer "
                  "no other group gets.", "",
                  f"Held out, measured once before any fix (commit {first['commit']}): same concepts "
                  f"{first['consistency']:.3f}, exactly the gold concepts {first['correct']:.3f}, groups on concepts "
                  f"of their own {first['distinct']:.3f}. The fixes that followed were made on these wordings, so "
                  "the current figure in the table is no longer a held-out one.", "",
                  "| role | group | text | got |", "|---|---|---|---|"]
        parts += [f"| {r} | {g} | {t} | {' '.join(x) or '–'} |" for r, g, t, x in consistency["current"]["errors"]]
    if held_out:
        first, cur = HELD_OUT_SECOND, held_out["current"]
        parts += ["", f"## Second held-out set (`tests/data/eval/{HELD_OUT_SECOND_FILE.name}`)", "",
                  f"{cur['wordings']} wordings of {cur['groups']} groups, written after the matcher was finished and "
                  "without running it; wordings already in the other sets removed. Not to be used for tuning.", "",
                  "| measure | previous (main) | when added (held out) | now |", "|---|---:|---:|---:|"]
        parts += [f"| {label} | {first['previous_' + key]:.3f} | {first[key]:.3f} | {cur[key]:.3f} |"
                  for label, key in (("same concepts for one group", "consistency"),
                                     ("exactly the gold concepts", "correct"),
                                     ("groups on concepts of their own", "distinct"))]
        parts += ["", "| role | group | text | got |", "|---|---|---|---|"]
        parts += [f"| {r} | {g} | {t} | {' '.join(x) or '–'} |" for r, g, t, x in cur["errors"]]
    parts += ["", "## Organisation pairs still wrong (current)", ""]
    parts += [f"- wrong merge: {a} ⇐ {b}" for a, b in orgs["current"]["wrong_merges"]] or ["- no wrong merge"]
    parts += [f"- not merged: {a} / {b}" for a, b in orgs["current"]["missed"]]
    if "hamburg" in orgs:
        labels = load_hamburg_proposals()
        parts += ["", "## Hamburg: top 50 proposals (current)", "",
                  "Labelled by hand in `tests/data/eval/hamburg_proposals.csv` (same / different, with the reason "
                  "for doubtful ones). A project, house or branch named together with its organisation counts as "
                  "that organisation (it is the provider); two legal entities or two places of a chain do not.", "",
                  "| a | b | score | reason | label |", "|---|---|---:|---|---|"]
        parts += [f"| {a} | {b} | {s:.0f} | {why} | {' – '.join(x for x in labels.get(frozenset((a, b)), ('nicht bewertet',)) if x)} |"
                  for a, b, s, why in orgs["hamburg"]["current"]["top_proposals"]]
    return "\n".join(parts) + "\n"


def main(argv=None):
    """Print the table and write ``bench/QUALITY.md``; exit 0."""
    concepts = evaluate_concepts()
    consistency = evaluate_consistency()
    held_out = evaluate_consistency(rows=load_paraphrases(HELD_OUT_SECOND_FILE))
    orgs = evaluate_orgs()
    print(_table(concepts, orgs, consistency))
    REPORT.write_text(_report(concepts, orgs, consistency, held_out), encoding="utf-8")
    print(f"\nwritten: {REPORT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
