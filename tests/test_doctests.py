"""The examples in the docstrings of the package's modules, run as tests (by module name, so each runs once)."""

import doctest
import importlib
import pkgutil

import pytest

PACKAGES = ("knotenpunkt.ontology", "knotenpunkt.graph", "knotenpunkt.ingest")


def _modules():
    for name in PACKAGES:
        yield name
        yield from (info.name for info in pkgutil.iter_modules(importlib.import_module(name).__path__, name + "."))


@pytest.mark.parametrize("name", list(_modules()))
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} failed (output above)"
