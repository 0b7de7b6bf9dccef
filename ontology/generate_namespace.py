"""Generate `ontology/namespace.py` from `ontology/knotenpunkt.ttl`.

Run ``python -m knotenpunkt.ontology.generate_namespace`` (or ``make namespace``). The output is a
rdflib ``DefinedNamespace`` with ``_fail = True``, so a misspelt term raises instead of
minting a new IRI. ``--check`` exits 1 when the checked-in file is out of date.
"""

import sys
import textwrap

from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from knotenpunkt.ontology import ONTOLOGY_DIR, ONTOLOGY_FILE

__all__ = ["render_namespace", "main"]

KP_IRI = "https://w3id.org/knotenpunkt/def#"
OUTPUT = ONTOLOGY_DIR / "namespace.py"

# Namespaces for instance data and vocabularies; not closed, because concept and
# instance local names are data (they contain hyphens and grow with every import).
_OPEN_NAMESPACES = {
    "BASE": ("https://w3id.org/knotenpunkt/", "root of every Knotenpunkt IRI"),
    "ID": ("https://w3id.org/knotenpunkt/id/", "instance data; one sub-namespace per municipality"),
    "VOC": ("https://w3id.org/knotenpunkt/voc/", "concept schemes shipped with Knotenpunkt"),
    "ZG": ("https://w3id.org/knotenpunkt/voc/zielgruppe/", "Zielgruppen (target groups)"),
    "HF": ("https://w3id.org/knotenpunkt/voc/handlungsfeld/", "Handlungsfelder (fields of action)"),
    "TT": ("https://w3id.org/knotenpunkt/voc/traegertyp/", "Trägertypen (provider types)"),
    "GRAPH": ("https://w3id.org/knotenpunkt/graph/", "named graphs of the store"),
    "CPSV": ("http://purl.org/vocab/cpsv#", "Core Public Service Vocabulary"),
    "CV": ("http://data.europa.eu/m8g/", "CPSV-AP / SEMIC core vocabularies"),
}

# Prefixes of the vocabularies' concept schemes, predefined in queries beside the ontology's own.
_VOCABULARY_PREFIXES = ("ZG", "HF", "TT")


def _prefixes(ttl_path):
    """Prefix → namespace IRI: the ``@prefix`` lines of the ontology, then the vocabularies' schemes."""
    declared = {}
    for line in ttl_path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0] == "@prefix" and parts[1].endswith(":"):
            declared[parts[1][:-1]] = parts[2].strip("<>")
    declared.update({name.lower(): _OPEN_NAMESPACES[name][0] for name in _VOCABULARY_PREFIXES})
    return declared


def _english(g, term, prop):
    for value in g.objects(term, prop):
        if isinstance(value, Literal) and value.language == "en":
            return " ".join(str(value).split())
    return ""


def render_namespace(ttl_path=ONTOLOGY_FILE):
    """Render the Python source of the namespace module for the ontology at `ttl_path`.

    Parameters
    ----------
    ttl_path : pathlib.Path
        The Turtle ontology.

    Returns
    -------
    str
        Python source, deterministic for a given ontology.
    """
    g = Graph().parse(ttl_path)
    kinds = {OWL.Class: "Classes", OWL.ObjectProperty: "Object properties",
             OWL.DatatypeProperty: "Datatype properties"}
    blocks = []
    for kind, heading in kinds.items():
        terms = sorted(t for t in g.subjects(RDF.type, kind)
                       if isinstance(t, URIRef) and str(t).startswith(KP_IRI))
        lines = [f"    # {heading}"]
        for term in terms:
            name = str(term)[len(KP_IRI):]
            label = _english(g, term, RDFS.label)
            definition = _english(g, term, SKOS.definition)
            lines.append(f"    {name}: URIRef  # {label}: {definition}")
        blocks.append("\n".join(lines))
    open_ns = "\n".join(f'{name} = Namespace("{iri}")  # {doc}'
                        for name, (iri, doc) in _OPEN_NAMESPACES.items())
    header = textwrap.dedent(f'''\
        """Closed namespace for the Knotenpunkt ontology.

        Generated from ontology/{ttl_path.name} by ontology/generate_namespace.py.
        Do not edit: change the Turtle file and run `make namespace`.
        """

        from rdflib.namespace import DefinedNamespace, Namespace
        from rdflib.term import URIRef

        __all__ = ["KP", {", ".join(f'"{n}"' for n in _OPEN_NAMESPACES)}, "PREFIXES"]


        class KP(DefinedNamespace):
            """Knotenpunkt's own terms; a misspelt term raises AttributeError."""

            _fail = True
            _NS = Namespace("{KP_IRI}")

        ''')
    prefixes = "\n".join(f'    "{p}": "{iri}",' for p, iri in _prefixes(ttl_path).items())
    table = ("\n# Prefixes predefined in every query and used in exports: the ontology's @prefix lines and the\n"
             f"# vocabularies' schemes.\nPREFIXES = {{\n{prefixes}\n}}\n")
    return header + "\n\n".join(blocks) + "\n\n\n" + open_ns + "\n" + table


def main(argv=None):
    """Write the namespace module, or with ``--check`` report whether it is current."""
    argv = sys.argv[1:] if argv is None else argv
    source = render_namespace()
    if "--check" in argv:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != source:
            print(f"{OUTPUT} is out of date: run `make namespace`", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(source, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
