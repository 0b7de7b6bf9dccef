"""The naive import the benchmark compares ours with: the same job, written the obvious way.

It reads the workbook with pandas (openpyxl), maps every header and free-text value with a
plain label lookup (lower-cased header names; the vocabularies' prefLabels and altLabels),
builds an rdflib graph with the same classes and properties our importer writes, validates it
with pySHACL against the same model and shapes, and persists it as a Turtle file.

What it leaves out, so it is a lower bound of a naive importer that does what ours does:
header detection beyond exact header names (title rows are skipped by looking for them),
fuzzy and lexical matching and the report of unmapped values, the reconciliation of
organisation name variants, the row report with its messages, provenance records
(file, sheet, row), personal-data separation, the summary and version written at import,
and a transaction (a crash leaves a half-written file).
"""

import datetime as dt
import re
import time
from pathlib import Path

__all__ = ["import_naive", "LEFT_OUT"]

LEFT_OUT = ("header detection beyond exact header names", "fuzzy/lexical matching and the unmapped-value report",
            "organisation name reconciliation", "the row report", "provenance (file, sheet, row)",
            "personal-data separation", "summary, version and transaction")
HEADERS = {"nr.": "id", "maßnahme": "title", "träger": "provider", "kooperationspartner": "partners",
           "zielgruppe(n)": "target_groups", "handlungsfeld": "fields", "stadtteil": "districts", "beginn": "start",
           "ende": "end", "finanzierung": "funders", "turnus": "schedule", "art des trägers": "type", "plz": "postcode",
           "einwohner": "inhabitants", "anteil mit migrationshintergrund": "migration_share", "partner a": "a",
           "partner b": "b", "art der kooperation": "kind", "netzwerk": "network", "mitglieder": "members"}
BASE = "https://w3id.org/knotenpunkt/id/naiv/"


def _slug(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _labels(model):
    """Lower-cased prefLabel and altLabel → concept, for the plain lookup."""
    from rdflib.namespace import SKOS

    out = {}
    for prop in (SKOS.altLabel, SKOS.prefLabel):  # prefLabels win
        for concept, label in model.subject_objects(prop):
            out[str(label).lower()] = concept
    return out


def _date(value):
    from rdflib import XSD, Literal

    if isinstance(value, (dt.date, dt.datetime)):
        return Literal(value.date() if isinstance(value, dt.datetime) else value, datatype=XSD.date)
    try:
        return Literal(dt.datetime.strptime(str(value).strip(), "%d.%m.%Y").date(), datatype=XSD.date)
    except ValueError:
        return None


def import_naive(path, workdir):
    """Read, map with a plain lookup, build an rdflib graph, validate with pySHACL, write Turtle."""
    import pandas as pd
    from pyshacl import validate
    from rdflib import RDF, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import DCTERMS, ORG, SKOS

    from knotenpunkt.ingest.validate import shapes_graph
    from knotenpunkt.ontology import model_files
    from knotenpunkt.ontology.namespace import KP

    SDO, CV, CPSV = Namespace("https://schema.org/"), Namespace("http://data.europa.eu/m8g/"), \
        Namespace("http://purl.org/vocab/cpsv#")
    start = time.perf_counter()
    sheets = pd.read_excel(path, sheet_name=None, header=None, dtype=object)
    read = time.perf_counter()
    model = Graph()
    for file in model_files():
        model.parse(file)
    lookup = _labels(model)
    g = Graph()
    unmapped = 0

    def org(name):
        iri = URIRef(BASE + "organisation/" + _slug(name))
        g.add((iri, RDF.type, ORG.Organization))
        g.add((iri, SKOS.prefLabel, Literal(name)))
        return iri

    def concepts(text):
        nonlocal unmapped
        for part in str(text).split(";"):
            if part.strip():
                concept = lookup.get(part.strip().lower())
                unmapped += concept is None
                if concept is not None:
                    yield concept

    for frame in sheets.values():
        rows = frame.where(frame.notna(), None).values.tolist()
        header_at = next((i for i, row in enumerate(rows)
                          if sum(str(c).strip().lower() in HEADERS for c in row if c is not None) >= 2), None)
        if header_at is None:
            continue
        roles = {HEADERS[str(c).strip().lower()]: i for i, c in enumerate(rows[header_at])
                 if c is not None and str(c).strip().lower() in HEADERS}
        for row in rows[header_at + 1:]:
            cell = {role: row[i] for role, i in roles.items() if i < len(row) and row[i] not in (None, "")}
            if "title" in cell:
                m = URIRef(BASE + "massnahme/" + _slug(str(cell.get("id", cell["title"]))))
                g.add((m, RDF.type, KP.Measure))
                g.add((m, RDF.type, CPSV.PublicService))
                g.add((m, DCTERMS.title, Literal(str(cell["title"]))))
                if "id" in cell:
                    g.add((m, DCTERMS.identifier, Literal(str(cell["id"]))))
                if "provider" in cell:
                    g.add((m, KP.provider, org(str(cell["provider"]))))
                for name in str(cell.get("partners", "")).split(";"):
                    if name.strip():
                        g.add((m, KP.partner, org(name.strip())))
                for name in str(cell.get("funders", "")).split(";"):
                    if name.strip():
                        g.add((m, KP.funder, org(name.strip())))
                for c in concepts(cell.get("target_groups", "")):
                    g.add((m, DCTERMS.audience, c))
                for c in concepts(cell.get("fields", "")):
                    g.add((m, CV.thematicArea, c))
                if "districts" in cell:
                    g.add((m, DCTERMS.spatial, URIRef(BASE + "gebiet/" + _slug(str(cell["districts"])))))
                for role, prop in (("start", SDO.startDate), ("end", SDO.endDate)):
                    if role in cell and (value := _date(cell[role])) is not None:
                        g.add((m, prop, value))
                if "schedule" in cell:
                    g.add((m, KP.schedule, Literal(str(cell["schedule"]))))
            elif "type" in cell and "provider" in cell:
                o = org(str(cell["provider"]))
                for c in concepts(cell["type"]):
                    g.add((o, ORG.classification, c))
            elif "inhabitants" in cell and "districts" in cell:
                area = URIRef(BASE + "gebiet/" + _slug(str(cell["districts"])))
                g.add((area, RDF.type, SKOS.Concept))
                g.add((area, SKOS.prefLabel, Literal(str(cell["districts"]))))
                g.add((area, KP.inhabitants, Literal(int(cell["inhabitants"]))))
            elif "a" in cell and "b" in cell:
                g.add((org(str(cell["a"])), KP.cooperatesWith, org(str(cell["b"]))))
            elif "network" in cell:
                n = URIRef(BASE + "netzwerk/" + _slug(str(cell["network"])))
                g.add((n, RDF.type, ORG.OrganizationalCollaboration))
                g.add((n, SKOS.prefLabel, Literal(str(cell["network"]))))
                for name in str(cell.get("members", "")).split(";"):
                    if name.strip():
                        g.add((n, ORG.hasMember, org(name.strip())))
    built = time.perf_counter()
    data = Graph()
    data += model
    data += g
    conforms, _, _ = validate(data, shacl_graph=shapes_graph(), inference="none", allow_warnings=True)
    validated = time.perf_counter()
    g.serialize(Path(workdir) / "naive.ttl", format="turtle")
    return {"rows": sum(len(f) for f in sheets.values()), "triples": len(g), "unmapped": unmapped,
            "conforms": conforms, "read_s": round(read - start, 2), "map_and_build_s": round(built - read, 2),
            "validate_s": round(validated - built, 2), "persist_s": round(time.perf_counter() - validated, 2)}
