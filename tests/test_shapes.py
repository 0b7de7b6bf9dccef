"""SHACL shapes: examples conform or are reported for their defect, and the fast compiled
validator agrees with pySHACL, the reference, on every fixture and on the sample."""

import pytest
from rdflib import Graph
from rdflib.namespace import SH

from knotenpunkt.ingest.validate import compile_shapes, validate_graph, validate_lines, validate_with_pyshacl
from tests.conftest import DATA

FIXTURES = sorted((DATA / "valid").glob("*.ttl")) + sorted((DATA / "invalid").glob("*.ttl"))


def test_valid_example_conforms():
    conforms, text = validate_graph(Graph().parse(DATA / "valid" / "measure-minimal.ttl"))
    assert conforms, text


@pytest.mark.parametrize("name, expected", [
    ("measure-end-before-start", "darf nicht nach dem Ende liegen"),
    ("measure-field-as-target-group", "Zielgruppen müssen Begriffe des Schemas Zielgruppen sein"),
    ("cooperation-one-partner", "genau zwei verschiedene Organisationen"),
])
def test_invalid_example_is_reported_with_its_message(name, expected):
    conforms, text = validate_graph(Graph().parse(DATA / "invalid" / f"{name}.ttl"))
    assert not conforms
    assert expected in text


def test_measure_without_provider_is_a_warning_not_a_violation():
    conforms, text = validate_graph(Graph().parse(DATA / "invalid" / "measure-no-provider.ttl"))
    assert conforms
    assert "Warning" in text and "Der Träger der Maßnahme ist unbekannt" in text


def _pyshacl_results(data):
    conforms, results, _ = validate_with_pyshacl(data)
    found = set()
    for report in results.subjects(SH.conforms, None):
        for result in results.objects(report, SH.result):
            found.add((str(results.value(result, SH.focusNode)),
                       str(results.value(result, SH.sourceConstraintComponent)).rsplit("#", 1)[-1],
                       str(results.value(result, SH.resultSeverity)).rsplit("#", 1)[-1]))
    return conforms, found


def _compiled_results(data):
    conforms, _, results = validate_lines(data.serialize(format="nt").splitlines())
    return conforms, {(r["focus"], r["component"], r["severity"]) for r in results}


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_compiled_validator_agrees_with_pyshacl(path):
    data = Graph().parse(path)
    assert _compiled_results(data) == _pyshacl_results(data)


def test_compiled_validator_agrees_with_pyshacl_on_the_sample(sample_import):
    store, plan = sample_import
    planned = {str(iri) for iri in plan.graphs}
    data = Graph().parse(data="\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in store.quads()
                                        if q.graph_name.value in planned), format="nt")
    compiled, reference = _compiled_results(data), _pyshacl_results(data)
    assert compiled == reference
    assert compiled[0] is True


def test_every_shape_constraint_is_compiled():
    checks = compile_shapes()
    assert len(checks) >= 40
    assert {c.component for c in checks} >= {"MinCountConstraintComponent", "MaxCountConstraintComponent",
                                             "DatatypeConstraintComponent", "ClassConstraintComponent",
                                             "NodeConstraintComponent", "LessThanOrEqualsConstraintComponent",
                                             "PatternConstraintComponent"}
