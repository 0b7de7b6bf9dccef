"""SHACL shapes: valid examples conform, each invalid example is reported for its defect."""

import pytest
from rdflib import Graph

from ingest.validate import validate_graph
from tests.conftest import DATA


def test_valid_example_conforms():
    conforms, text = validate_graph(Graph().parse(DATA / "valid" / "measure-minimal.ttl"))
    assert conforms, text


@pytest.mark.parametrize("name, expected", [
    ("measure-no-provider", "Eine Maßnahme braucht einen Träger"),
    ("measure-end-before-start", "darf nicht nach dem Ende liegen"),
    ("measure-field-as-target-group", "Zielgruppen müssen Begriffe des Schemas Zielgruppen sein"),
    ("cooperation-one-partner", "genau zwei verschiedene Organisationen"),
])
def test_invalid_example_is_reported_with_its_message(name, expected):
    conforms, text = validate_graph(Graph().parse(DATA / "invalid" / f"{name}.ttl"))
    assert not conforms
    assert expected in text


def test_imported_sample_conforms(sample_import):
    _, plan = sample_import
    assert plan.validated
    data = Graph()
    for g in plan.graphs.values():
        data += g
    conforms, text = validate_graph(data)
    assert conforms, text
