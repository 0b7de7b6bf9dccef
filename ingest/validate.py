"""SHACL validation of import results against `ontology/shapes.ttl` (pySHACL)."""

from functools import lru_cache

from pyshacl import validate
from rdflib import Graph

from ontology import SHAPES_FILE, model_files

__all__ = ["validate_graph", "model_graph", "shapes_graph"]


@lru_cache(maxsize=1)
def shapes_graph():
    """The SHACL shapes, parsed once."""
    return Graph().parse(SHAPES_FILE)


@lru_cache(maxsize=1)
def model_graph():
    """The ontology and vocabularies, parsed once."""
    g = Graph()
    for path in model_files():
        g.parse(path)
    return g


def validate_graph(data):
    """Validate a data graph together with the model (ontology and vocabularies from ``ontology/``).

    Parameters
    ----------
    data : rdflib.Graph
        The triples to check.

    Returns
    -------
    tuple of (bool, str)
        ``(conforms, results_text)`` as pySHACL returns them; non-conformance is a result,
        not an exception.
    """
    combined = Graph()
    combined += model_graph()
    combined += data
    conforms, _, results_text = validate(combined, shacl_graph=shapes_graph(), inference="none",
                                         advanced=False, allow_warnings=True)
    return conforms, results_text
