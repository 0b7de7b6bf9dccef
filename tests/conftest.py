"""Shared fixtures: the sample workbook, an in-memory store, and the sample imported once."""

import json
import socket
from pathlib import Path

import pytest

from knotenpunkt.graph.store import Store

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = ROOT / "data" / "sample"
DATA = Path(__file__).resolve().parent / "data"


def free_port():
    """A free TCP port on the loopback interface, for the servers the tests start."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def expected():
    """The planted answers of the sample (data/sample/expected.json)."""
    return json.loads((SAMPLE_DIR / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def sample_workbook(expected):
    return SAMPLE_DIR / expected["workbook"]


@pytest.fixture
def store():
    """A fresh in-memory store with the model loaded."""
    return Store()


@pytest.fixture(scope="session")
def sample_import(sample_workbook):
    """The sample imported once into an in-memory store: (store, plan)."""
    from knotenpunkt.ingest.importer import import_files

    g = Store()
    plan = import_files([sample_workbook], g)
    return g, plan


@pytest.fixture(scope="session")
def model_store():
    """An in-memory store with only the model, read by the concept tests."""
    return Store()


@pytest.fixture(scope="session")
def target_groups(model_store):
    """The concept index of the target groups, as an import builds it."""
    from knotenpunkt.ingest.builder import SCHEMES
    from knotenpunkt.ingest.concepts import ConceptIndex

    return ConceptIndex.from_store(model_store, SCHEMES["target_groups"])


@pytest.fixture(scope="session")
def fields(model_store):
    """The concept index of the fields of action, as an import builds it."""
    from knotenpunkt.ingest.builder import SCHEMES
    from knotenpunkt.ingest.concepts import ConceptIndex

    return ConceptIndex.from_store(model_store, SCHEMES["fields"])


def concept_slugs(match):
    """The slugs of the concepts a match found, sorted."""
    return sorted(str(c.iri).rsplit("/", 1)[-1] for c in match.concepts)
