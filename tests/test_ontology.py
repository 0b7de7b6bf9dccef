"""The model: ontology, vocabularies and generated constants."""

import re
from collections import defaultdict

import pytest
from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.namespace import SKOS

from knotenpunkt.ingest.text import normalize_label
from knotenpunkt.ontology import ONTOLOGY_FILE, model_files, territory_files
from knotenpunkt.ontology.generate_namespace import KP_IRI, main as generate_main
from knotenpunkt.ontology.namespace import KP


@pytest.fixture(scope="module")
def model():
    """The model and the bundled territories (which a store holds only for its own municipality)."""
    g = Graph()
    for path in [*model_files(), *territory_files().values()]:
        g.parse(path)
    return g


def _langs(g, subject, prop):
    return sorted(o.language for o in g.objects(subject, prop))


def test_every_model_file_parses_on_its_own():
    for path in model_files():
        assert len(Graph().parse(path)) > 0, path


def test_every_own_term_has_german_and_english_label_and_definition():
    g = Graph().parse(ONTOLOGY_FILE)
    terms = [t for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
             for t in g.subjects(RDF.type, kind) if str(t).startswith(KP_IRI)]
    assert len(terms) >= 20
    for term in terms:
        assert _langs(g, term, RDFS.label) == ["de", "en"], term
        assert _langs(g, term, SKOS.definition) == ["de", "en"], term


def test_every_concept_has_one_german_and_one_english_preflabel_and_a_scope_note(model):
    concepts = set(model.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) >= 70
    for concept in concepts:
        assert _langs(model, concept, SKOS.prefLabel) == ["de", "en"], concept
        assert any(True for _ in model.objects(concept, SKOS.scopeNote)), concept
        assert model.value(concept, SKOS.inScheme) is not None, concept


def test_broader_concepts_exist_in_the_same_scheme(model):
    for narrower, broader in model.subject_objects(SKOS.broader):
        assert (broader, RDF.type, SKOS.Concept) in model
        assert model.value(narrower, SKOS.inScheme) == model.value(broader, SKOS.inScheme)


def test_no_label_is_ambiguous_within_a_scheme(model):
    owners = defaultdict(set)
    for prop in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel):
        for concept, label in model.subject_objects(prop):
            if (concept, RDF.type, SKOS.Concept) in model:
                owners[(model.value(concept, SKOS.inScheme), normalize_label(label))].add(concept)
    clashes = {key: concepts for key, concepts in owners.items() if len(concepts) > 1}
    assert clashes == {}


def test_vocabularies_have_many_alternative_labels(model):
    for scheme in ("zielgruppe", "handlungsfeld", "traegertyp"):
        iri = URIRef(f"https://w3id.org/knotenpunkt/voc/{scheme}")
        concepts = list(model.subjects(SKOS.inScheme, iri))
        assert concepts
        assert all(len(list(model.objects(c, SKOS.altLabel))) >= 3 for c in concepts), scheme


def test_refugee_subgroups_are_narrower_than_refugees(model):
    zg = "https://w3id.org/knotenpunkt/voc/zielgruppe/"
    broader = set(model.transitive_objects(URIRef(zg + "asylsuchende"), SKOS.broader))
    assert URIRef(zg + "gefluechtete") in broader
    assert URIRef(zg + "menschen-mit-migrationsgeschichte") in broader


def test_generated_namespace_is_up_to_date():
    assert generate_main(["--check"]) == 0, "run `make namespace`"


def test_namespace_terms_resolve_and_unknown_terms_raise():
    assert str(KP.Measure) == KP_IRI + "Measure"
    with pytest.raises(AttributeError):
        KP.Mesure  # noqa: B018 - a typo must raise


def _own_terms_used():
    """Every ``kp:`` term named in the queries, the shapes or the code: term → the files naming it."""
    root = ONTOLOGY_FILE.parent.parent
    patterns = [re.compile(r"(?<![\w/#])kp:([A-Za-z_]\w*)"), re.compile(re.escape(KP_IRI) + r"([A-Za-z_]\w*)"),
                re.compile(r"\bKP\.([A-Za-z_]\w*)")]
    files = [*(root / "ontology").rglob("*.rq"), *(root / "ontology").glob("*.ttl"),
             *(p for folder in ("graph", "ingest", "pages", "knotenpunkt") for p in (root / folder).rglob("*.py")),
             root / "app.py"]
    used = defaultdict(set)
    for path in files:
        text = path.read_text(encoding="utf-8")
        for pattern in patterns:
            for name in pattern.findall(text):
                used[name].add(path.relative_to(root).as_posix())
    return used


def test_every_own_term_used_in_queries_and_code_is_declared():
    g = Graph().parse(ONTOLOGY_FILE)
    declared = {str(s)[len(KP_IRI):] for s in g.subjects(RDFS.label, None) if str(s).startswith(KP_IRI)}
    used = _own_terms_used()
    assert {"sameOrganisationAs", "differentOrganisationFrom", "correctedTitle", "correctedDistrict"} <= set(used)
    assert {name: sorted(files) for name, files in used.items() if name not in declared} == {}


def test_decision_and_correction_terms_say_what_they_replace():
    g = Graph().parse(ONTOLOGY_FILE)
    for name in ("sameOrganisationAs", "differentOrganisationFrom", "correctedTitle", "correctedStart", "correctedEnd",
                 "correctedProvider", "correctedTargetGroup", "correctedField", "correctedDistrict"):
        term = URIRef(KP_IRI + name)
        assert _langs(g, term, RDFS.label) == ["de", "en"], name
        assert _langs(g, term, SKOS.definition) == ["de", "en"], name
        assert g.value(term, RDFS.domain) is not None and g.value(term, RDFS.range) is not None, name
