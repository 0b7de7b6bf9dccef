"""The model: ontology, SKOS vocabularies, SHACL shapes and canned SPARQL queries."""

from functools import lru_cache
from pathlib import Path

__all__ = ["ONTOLOGY_DIR", "ONTOLOGY_FILE", "SHAPES_FILE", "VOCAB_DIR", "QUERIES_DIR", "TERRITORIES_DIR", "model_files",
           "model_graph", "territory_files", "territory_graph"]

ONTOLOGY_DIR = Path(__file__).resolve().parent
ONTOLOGY_FILE = ONTOLOGY_DIR / "knotenpunkt.ttl"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
VOCAB_DIR = ONTOLOGY_DIR / "vocab"
QUERIES_DIR = ONTOLOGY_DIR / "queries"
TERRITORIES_DIR = ONTOLOGY_DIR / "territories"


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


def territory_files():
    """The bundled territory schemes (one municipality each), by municipality slug.

    They are not part of the model: a store holds only the territory of its own
    municipality, written by the import that names it.
    """
    return {path.stem: path for path in sorted(TERRITORIES_DIR.glob("*.ttl"))}


@lru_cache(maxsize=None)
def territory_graph(slug):
    """One bundled territory as an rdflib graph, parsed once per process."""
    from rdflib import Graph

    return Graph().parse(territory_files()[slug])
