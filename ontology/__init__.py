"""The model: ontology, SKOS vocabularies, SHACL shapes and canned SPARQL queries."""

from functools import lru_cache
from pathlib import Path

__all__ = ["ONTOLOGY_DIR", "ONTOLOGY_FILE", "SHAPES_FILE", "VOCAB_DIR", "QUERIES_DIR", "model_files", "model_graph"]

ONTOLOGY_DIR = Path(__file__).resolve().parent
ONTOLOGY_FILE = ONTOLOGY_DIR / "knotenpunkt.ttl"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
VOCAB_DIR = ONTOLOGY_DIR / "vocab"
QUERIES_DIR = ONTOLOGY_DIR / "queries"


def model_files():
    """Return the Turtle files that make up the model graph (ontology and vocabularies).

    Returns
    -------
    list of pathlib.Path
        The ontology file first, then every vocabulary file in name order.
    """
    return [ONTOLOGY_FILE, *sorted(VOCAB_DIR.glob("*.ttl"))]


@lru_cache(maxsize=1)
def model_graph():
    """The ontology and vocabularies as one rdflib graph, parsed once per process."""
    from rdflib import Graph

    g = Graph()
    for path in model_files():
        g.parse(path)
    return g
