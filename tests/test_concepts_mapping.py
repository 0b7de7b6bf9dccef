"""How cell values of real files reach concepts: EU category labels whole, weak readings, suggestions, values of
the other scheme and the coordinator's "maps to nothing" (`ingest.concepts`, `Builder.map_concepts`)."""

import re

import pytest

from knotenpunkt.graph.store import Store
from knotenpunkt.ingest.concepts import Concept, ConceptIndex
from knotenpunkt.ingest.importer import import_files
from knotenpunkt.ingest.text import split_values
from tests.conftest import concept_slugs

ADAPTATION = "Anpassung der Arbeitskräfte, Unternehmen und Unternehmer an den Wandel"  # ESF category 106
HF = "https://w3id.org/knotenpunkt/voc/handlungsfeld/"
ZG = "https://w3id.org/knotenpunkt/voc/zielgruppe/"


def _scores(match):
    return [int(re.search(r"\((\d+)\)$", s.message("de")).group(1)) for s in match.suggestions]


def test_a_category_label_with_commas_stays_one_value_and_maps_like_its_code(fields):
    assert split_values(ADAPTATION, is_known=fields.is_known) == [ADAPTATION]
    by_label, by_code = fields.match(ADAPTATION), fields.match("106")
    assert (by_label.how, concept_slugs(by_label)) == ("code", ["ausbildung-arbeit"])
    assert concept_slugs(by_label) == concept_slugs(by_code)
    assert "EU" in by_label.explanation.message("de")


def test_a_category_wording_continued_or_cut_off_is_that_category_but_two_labels_are_not_one(fields):
    continued = ("Bekämpfung aller Formen der Diskriminierung und Förderung der Chancengleichheit, "
                 "insbesondere für Zugewanderte")
    assert (fields.match(continued).how, concept_slugs(fields.match(continued))) == ("code", ["antidiskriminierung-zusammenhalt"])
    cut = "Förderung des gleichen Zugangs zum lebenslangen Lernen für alle Altersgruppen im formalen…"
    assert (fields.match(cut).how, concept_slugs(fields.match(cut))) == ("code", ["schule-bildung"])
    two = ("Bekämpfung aller Formen der Diskriminierung und Förderung der Chancengleichheit, "
           "Anpassung der Arbeitskräfte, Unternehmen und Unternehmer an den Wandel")
    assert not fields.is_known(two)
    assert fields.match(two).how != "code"


def test_early_school_leaving_is_school_not_early_childhood(fields):
    for text in ("115", "Verringerung und Verhütung des vorzeitigen Schulabbruchs und Förderung des gleichen Zugangs "
                        "zu einer hochwertigen Früherziehung und einer hochwertigen Grund- und Sekundarbildung"):
        assert concept_slugs(fields.match(text)) == ["schule-bildung"]


def test_a_weak_reading_of_a_long_phrase_is_offered_not_taken():
    education = Concept(HF + "bildung", "Bildung", "Education")
    index = ConceptIndex([(education, [("Bildung", "pref")])])
    text = "Verringerung und Verhütung der frühen Beendigung der Schullaufbahn durch Wege zurück in die Bildung"
    match = index.match(text)
    assert (match.how, match.concept) == ("unmapped", None)
    assert [s.message("de").rsplit(" (", 1)[0] for s in match.suggestions] == ["Bildung"]
    assert 0 < _scores(match)[0] < 25
    assert index.match("Bildung für alle Altersgruppen").how == "lexical"  # the head is explained


def test_a_short_phrase_with_an_unknown_head_is_still_read(target_groups):
    match = target_groups.match("Zuwandernde aus Rumänien")
    assert (match.how, concept_slugs(match)) == ("lexical", ["zugewanderte-suedosteuropa"])


@pytest.mark.parametrize("text", ["Kinder", "Jugendliche", "Gaming", "Beziehung zu anderen Menschen", "Männer",
                                  "Angehörige", "121", "Vorbereitung, Durchführung, Begleitung"])
def test_no_far_fetched_suggestion_is_offered(fields, text):
    # before: "Kinder" → Antidiskriminierung und Zusammenhalt (8), from one word of an EU category's wording;
    # spelling suggestions down to a score of 0
    match = fields.match(text)
    assert match.how in ("unmapped", "outside")
    assert all(score >= 20 for score in _scores(match)), match.suggested()["de"]
    assert "Antidiskriminierung und Zusammenhalt (8)" not in match.suggested()["de"]


def test_spelling_suggestions_stay_above_half(target_groups):
    for text in ("Nachbarschaft allgemein", "Menschen in prekären Lebenslagen", "xq"):
        assert all(score >= 50 for score in _scores(target_groups.match(text))), target_groups.match(text).suggested()


def test_adults_without_qualifier_are_outside_and_a_qualifier_decides(target_groups):
    assert target_groups.match("Erwachsene").how == "outside"
    assert not target_groups.match("Erwachsene").suggestions
    assert concept_slugs(target_groups.match("Erwachsene mit Fluchterfahrung")) == ["gefluechtete"]
    assert concept_slugs(target_groups.match("junge Erwachsene")) == ["jugendliche"]
    assert concept_slugs(target_groups.match("gering literalisierte Erwachsene")) == ["alphabetisierung"]


def test_a_user_mapping_to_nothing_is_a_decision_not_an_unmapped_value():
    kinder = Concept(ZG + "kinder", "Kinder", "Children")
    index = ConceptIndex([(kinder, [("Kinder", "pref")])], user_mapping={"Nachbarschaft": None})
    match = index.match("Nachbarschaft")
    assert (match.how, match.concept, match.suggestions) == ("user", None, ())
    assert [(e["iri"], e["how"]) for e in match.entries()] == [(None, "user")]


CSV = """Titel;Träger;Zielgruppe;Schlagworte;Interventionskategorie
Beratung A;Verein A;Sprache;Kinder, Sucht;Verbesserung des Zugangs zu erschwinglichen Diensten, für alle, überall, jederzeit und mehr
Beratung B;Verein B;Frauen;Jugendliche;{adaptation}
Beratung C;Verein C;Nachbarschaft;Gesundheit;106
""".format(adaptation=ADAPTATION)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cells")
    (tmp / "angebote.csv").write_text(CSV, encoding="utf-8")
    store = Store(tmp / "store")
    mapping = {"values": {"target_groups": {"Nachbarschaft": None}},
               "columns": {"angebote": {"Interventionskategorie": "fields", "Schlagworte": "fields"}}}
    plan = import_files([tmp / "angebote.csv"], store, city="Wetzlar", mapping=mapping, dry_run=True)
    return plan.report


def _messages(report, row):
    return [m for r in report["rows"] if r["row"] == row for m in r["messages"]]


def test_a_target_group_among_the_fields_goes_to_the_target_groups_with_an_info(report):
    messages = [m for m in _messages(report, 2) if "Kinder" in m["de"]]
    assert [(m["code"], m["level"]) for m in messages] == [("other_scheme_value", "info")]
    row = next(r for r in report["rows"] if r["row"] == 2)
    kinder = [e for e in row["mapped"]["fields"] if e["text"] == "Kinder"]
    assert [(e["iri"], e["how"], e["role"], e["concept"]) for e in kinder] == [(None, "other_scheme", "target_groups", ZG + "kinder")]
    language = [e for e in row["mapped"]["target_groups"] if e["text"] == "Sprache"]
    assert [(e["role"], e["concept"]) for e in language] == [("fields", HF + "sprache")]
    assert not [m for m in _messages(report, 2) if m["code"] == "unmapped_value" and "Kinder" in m["de"]]


def test_a_target_group_among_the_topics_is_a_target_group_of_the_measure(tmp_path):
    (path := tmp_path / "angebote.csv").write_text("Titel;Träger;Themen\nGesprächskreis;AWO;Kinder, Sprache\n",
                                                   encoding="utf-8")
    store = Store(tmp_path / "store")
    import_files([path], store, city="Wetzlar")
    audience = {r["a"] for r in store.select("SELECT ?a WHERE { ?m a kp:Measure ; dct:audience ?a }")}
    fields = {r["f"] for r in store.select("SELECT ?f WHERE { ?m a kp:Measure ; cv:thematicArea ?f }")}
    assert audience == {ZG + "kinder"} and fields == {HF + "sprache"}


def test_a_long_phrase_in_a_categories_column_stays_whole(report):
    row = next(r for r in report["rows"] if r["row"] == 2)
    texts = [e["text"] for e in row["mapped"]["fields"]]
    assert any(t.startswith("Verbesserung des Zugangs") and t.endswith("und mehr") for t in texts), texts
    adaptation = next(r for r in report["rows"] if r["row"] == 3)["mapped"]["fields"]
    assert [(e["text"], e["iri"]) for e in adaptation if e["text"] == ADAPTATION] == [(ADAPTATION, HF + "ausbildung-arbeit")]


def test_a_value_the_coordinator_mapped_to_nothing_warns_no_more(report):
    messages = [m for m in _messages(report, 4) if "Nachbarschaft" in m["de"]]
    assert [(m["code"], m["level"]) for m in messages] == [("user_no_concept", "info")]
    assert next(r for r in report["rows"] if r["row"] == 4)["status"] == "imported"
