"""Closed namespace for the Knotenpunkt ontology.

Generated from ontology/knotenpunkt.ttl by ontology/generate_namespace.py.
Do not edit: change the Turtle file and run `make namespace`.
"""

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef

__all__ = ["KP", "BASE", "ID", "VOC", "ZG", "HF", "TT", "GRAPH", "CPSV", "CV", "PREFIXES"]


class KP(DefinedNamespace):
    """Knotenpunkt's own terms; a misspelt term raises AttributeError."""

    _fail = True
    _NS = Namespace("https://w3id.org/knotenpunkt/def#")

    # Classes
    Cooperation: URIRef  # Cooperation: A documented cooperation between exactly two organisations, with its kind and start. Each cooperation also yields kp:cooperatesWith between the partners.
    ImportRun: URIRef  # Import run: A committed import: when it ran, which files it read and which version of the inventory it produced.
    Measure: URIRef  # Measure: An offer, project or measure of integration work as listed in a municipality's inventory. Time-bound measures are also schema:Project, continuing offers cpsv:PublicService.
    SourceFile: URIRef  # Source file: An imported file (workbook, CSV, RDF), known by its name, with the SHA-256 hash of its content.
    SourceRecord: URIRef  # Source record: The spreadsheet row a statement comes from: file, sheet, row number as the spreadsheet shows it, and the row's own id.

    # Object properties
    area: URIRef  # area: The area a count of the summary is for: measures located in it; <https://w3id.org/knotenpunkt/id/summary/all-areas> stands for the whole inventory.
    broaderOrSelf: URIRef  # broader or self: skos:broader* written out: from every concept (target group, field of action, area) to itself and to each broader concept. Derived at import, so that queries for "this area or an area within it" need no property path.
    cooperatesWith: URIRef  # cooperates with: Two organisations work together according to a cooperation entry.
    cooperationPartner: URIRef  # cooperation partner: One of the two organisations of a cooperation.
    correctedDistrict: URIRef  # corrected district: A district (area) of the measure as corrected in the app; together they replace dct:spatial from the import.
    correctedField: URIRef  # corrected field of action: A field of action of the measure as corrected in the app; together they replace cv:thematicArea from the import.
    correctedProvider: URIRef  # corrected provider: The provider of the measure as corrected in the app; replaces kp:provider from the import.
    correctedTargetGroup: URIRef  # corrected target group: A target group of the measure as corrected in the app; together they replace dct:audience from the import.
    currentGraph: URIRef  # current graph: The named graph that currently holds the data of a source (an imported file, the model). An import loads the new version into a new graph and then only switches this pointer.
    differentOrganisationFrom: URIRef  # different organisation from: The coordinator decided that the two look-alike names denote different organisations. They are no longer proposed for merging.
    field: URIRef  # field of action: The field of action a count of the summary is for.
    funder: URIRef  # funder: An organisation or programme that funds the measure.
    municipality: URIRef  # municipality: The area of the municipality that a territory scheme or an inventory describes.
    partner: URIRef  # partner: An organisation that takes part in the measure without being its provider.
    provider: URIRef  # provider: The organisation responsible for and running the measure.
    sameOrganisationAs: URIRef  # same organisation as: The coordinator decided that both names denote the same organisation. The analyses merge the two (the one with more measures keeps its IRI); the imported data stays as it is, undoing removes the statement.
    sourceFile: URIRef  # source file: The file a source record comes from.
    targetGroup: URIRef  # target group: The target group a count of the summary is for (narrower target groups count towards it).

    # Datatype properties
    additionalInfo: URIRef  # additional information: The content of a column that maps to no term, as "column name: value", so that nothing is lost on import.
    areaType: URIRef  # area type: The kind of an area in the municipality's own words: district, city, core city, city borough, quarter, social area.
    cooperationKind: URIRef  # kind of cooperation: How the cooperation is described, in the source's words (e.g. cooperation agreement, joint project).
    correctedEnd: URIRef  # corrected end: The end of the measure as corrected in the app; replaces schema:endDate from the import.
    correctedStart: URIRef  # corrected start: The start of the measure as corrected in the app; replaces schema:startDate from the import.
    correctedTitle: URIRef  # corrected title: The title of the measure as corrected in the app; replaces dct:title from the import.
    count: URIRef  # count: The number of an observation of the summary (measures, organisations, …).
    inhabitants: URIRef  # inhabitants: Number of inhabitants of an area according to the districts sheet.
    keyFigure: URIRef  # key figure: Which key figure of the inventory is counted: measures, organisations, target_groups, districts, cooperations, networks.
    languages: URIRef  # languages: The languages the measure is offered in, in the source's words.
    migrationShare: URIRef  # share with a migration background: Share of the inhabitants with a migration background as a decimal between 0 and 1.
    referenceDate: URIRef  # reference date: The day the counts of a summary data set hold for: the day of the import.
    row: URIRef  # row: The row number as the spreadsheet shows it (the first row is 1).
    schedule: URIRef  # schedule: How often the measure takes place, in the source's words (e.g. weekly, Tuesdays 3–5 pm).
    sha256: URIRef  # SHA-256: The SHA-256 hash of the file content, in hexadecimal.
    sheet: URIRef  # sheet: The name of the sheet a source record comes from.
    sourceId: URIRef  # own id: The number the source itself gives the row (e.g. "lfd. Nr.").
    stateDocument: URIRef  # state document: The JSON text of a piece of the store's side state (remembered mapping, organisation decisions, versions), kept as a graph of its own in server-backed mode and switched with the import.
    versionLabel: URIRef  # version label: The name under which an import run is kept as a version of the inventory.


BASE = Namespace("https://w3id.org/knotenpunkt/")  # root of every Knotenpunkt IRI
ID = Namespace("https://w3id.org/knotenpunkt/id/")  # instance data; one sub-namespace per municipality
VOC = Namespace("https://w3id.org/knotenpunkt/voc/")  # concept schemes shipped with Knotenpunkt
ZG = Namespace("https://w3id.org/knotenpunkt/voc/zielgruppe/")  # Zielgruppen (target groups)
HF = Namespace("https://w3id.org/knotenpunkt/voc/handlungsfeld/")  # Handlungsfelder (fields of action)
TT = Namespace("https://w3id.org/knotenpunkt/voc/traegertyp/")  # Trägertypen (provider types)
GRAPH = Namespace("https://w3id.org/knotenpunkt/graph/")  # named graphs of the store
CPSV = Namespace("http://purl.org/vocab/cpsv#")  # Core Public Service Vocabulary
CV = Namespace("http://data.europa.eu/m8g/")  # CPSV-AP / SEMIC core vocabularies

# Prefixes predefined in every query and used in exports: the ontology's @prefix lines and the
# vocabularies' schemes.
PREFIXES = {
    "kp": "https://w3id.org/knotenpunkt/def#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
    "cpsv": "http://purl.org/vocab/cpsv#",
    "cv": "http://data.europa.eu/m8g/",
    "qb": "http://purl.org/linked-data/cube#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "zg": "https://w3id.org/knotenpunkt/voc/zielgruppe/",
    "hf": "https://w3id.org/knotenpunkt/voc/handlungsfeld/",
    "tt": "https://w3id.org/knotenpunkt/voc/traegertyp/",
}
