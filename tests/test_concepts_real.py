"""Values of real public files (EU lists of operations, a funding database, a counselling directory) read by the concept matcher.

The labelled pairs are in tests/data/eval/real_values.csv: the gold answer is the concept slugs
joined by "+", "outside" (known, outside the fields and target groups: reported once, no warning)
or "unmapped" (left to the coordinator).
"""

import csv
from pathlib import Path

import pytest

from knotenpunkt.ingest.concepts import Concept, ConceptIndex

LABELLED = Path(__file__).parent / "data" / "eval" / "real_values.csv"


def _rows():
    with LABELLED.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def indexes():
    from knotenpunkt.graph.store import Store
    from knotenpunkt.ingest.builder import SCHEMES

    store = Store()
    store.ensure_model()
    return {role: ConceptIndex.from_store(store, SCHEMES[role]) for role in ("target_groups", "fields")}


def _answer(match):
    if match.how in ("outside", "unmapped"):
        return match.how
    return "+".join(sorted(str(c.iri).rsplit("/", 1)[-1] for c in match.concepts))


def test_labelled_set_covers_each_kind_of_answer():
    golds = [r["gold"] for r in _rows()]
    assert len(golds) >= 60
    assert golds.count("outside") >= 20 and golds.count("unmapped") >= 5
    assert sum(g not in ("outside", "unmapped") for g in golds) >= 25


def test_real_values_meet_a_precision_floor_and_no_value_lands_on_a_wrong_concept(indexes):
    wrong, right, mapped = [], 0, 0
    for row in _rows():
        got = _answer(indexes[row["role"]].match(row["text"]))
        gold = "+".join(sorted(row["gold"].split("+")))
        if got not in ("outside", "unmapped"):
            mapped += 1
            if got != gold:
                wrong.append((row["text"], gold, got))
        right += got == gold
    assert not wrong  # a wrong concept is worse than none: gaps and overlaps are computed from it
    assert right / len(_rows()) >= 0.95, right


@pytest.mark.parametrize("text", ["001 - Allgemeine produktive Investitionen in kleine und mittlere Unternehmen („KMU“)",
                                  "085 - Schutz und Verbesserung der biologischen Vielfalt", "58", "058", "123"])
def test_erdf_and_technical_assistance_categories_are_outside_the_fields(indexes, text):
    match = indexes["fields"].match(text)
    assert (match.how, match.concept, match.concepts) == ("outside", None, ())
    assert "outside" in match.explanation.message("en")


def test_an_outside_value_has_no_suggestions_and_its_entry_no_iri(indexes):
    match = indexes["target_groups"].match("junge Unternehmen")
    assert match.how == "outside" and not match.suggestions
    assert [(e["iri"], e["how"]) for e in match.entries()] == [(None, "outside")]


def test_a_code_whose_words_name_another_category_is_read_as_text(indexes):
    # 2014–2020 "121" is technical assistance; the 2021–2027 wording names early-childhood infrastructure
    assert indexes["fields"].match("121").how == "outside"
    match = indexes["fields"].match("121 - Infrastruktur für frühkindliche Betreuung und Bildung")
    assert match.how == "lexical" and [c.label_de for c in match.concepts] == ["Frühkindliche Bildung"]
    assert indexes["fields"].match("117 - Förderung des gleichen Zugangs").how == "code"


def test_a_label_of_the_scheme_beats_an_outside_label_and_its_forms():
    women = Concept("urn:zg:frauen", "Frauen", "Women")
    young = Concept("urn:zg:jung", "junge Menschen", "Young people")
    firms = Concept("urn:aus:firmen", "Unternehmen", "Enterprises")
    work = Concept("urn:hf:arbeit", "Arbeit", "Work")
    index = ConceptIndex([(women, [("Frauen", "pref")]), (young, [("junge Menschen", "pref")]),
                          (work, [("Arbeit", "pref"), ("Gründung", "alt")])],
                         outside=[(firms, [("Unternehmen", "pref"), ("Gründungen", "alt")], None, True)])
    assert index.match("Gründungen").concepts == (work,)  # a form of the scheme's label
    assert index.match("Unternehmen").how == "outside"
    assert index.match("Frauen in Unternehmen").concepts == (women,)  # the head is the scheme's
    assert index.match("junge Unternehmen").how == "outside"  # the head is an enterprise
    assert ("unternehmen", "urn:aus:firmen") not in index.labels()


def test_categories_match_outside_only_by_code_and_whole_label():
    family = Concept("urn:hf:familie", "Familie", "Family")
    category = Concept("urn:eu:123", "Information und Kommunikation", "Information and communication")
    index = ConceptIndex([(family, [("Familie", "pref"), ("Eltern", "alt")])],
                         outside=[(category, [("Information und Kommunikation", "pref")], "123", False)])
    assert index.match("Information und Kommunikation").how == "outside"
    assert index.match("123").how == "outside"
    assert index.match("Information und Kommunikation für Eltern").concepts == (family,)
