"""`include_personal_data` holds on every path, for personal data the importer finds by content or property.

Fixtures: a CSV with personal data in columns the importer does not know ("Handy", "Mail
privat", "Privatadresse", "Geburtsdatum") and inside a description, and a Turtle upload
with schema:/FOAF/vCard properties.
"""

import urllib.parse
import urllib.request

import pytest
from typer.testing import CliRunner

from knotenpunkt.graph.store import Store
from knotenpunkt.ingest.importer import import_files
from knotenpunkt.ingest.personal import find_personal_text, person_name, redact_text
from knotenpunkt.cli import app
from tests.conftest import DATA
from tests.test_endpoint import start_server

SECRETS = ("2345678", "kaya.privat@example.org", "Hauptstraße 12", "01.02.1980", "erika@example.org",
           "Erika Beispiel", "max@example.org", "06441 123456")
FILES = [DATA / "invalid" / "personal-unknown-columns.csv", DATA / "invalid" / "personal-schema-email.ttl"]
runner = CliRunner()


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("personal") / "store"
    store = Store(path)
    plan = import_files(FILES, store, city="Wetzlar")
    store.close()
    assert plan.report["personal"]["moved"] >= 9
    return path


def _leaks(text):
    return [s for s in SECRETS if s in text]


def test_personal_text_is_recognised_by_content():
    assert find_personal_text("Mail privat: kaya.privat@example.org") == ["email"]
    assert find_personal_text("Handy: 0171 2345678") == ["phone"]
    assert find_personal_text("Geburtsdatum: geb. 01.02.1980") == ["birth_date"]
    assert find_personal_text("Privatadresse: Hauptstraße 12") == ["street_address"]
    assert find_personal_text("Beginn 01.09.2024, 2024–2025, 35578 Wetzlar, 12.000 €") == []


def test_the_store_hides_them_without_the_setting_and_keeps_them_in_the_personal_sources(store_path):
    hidden = "".join(str(q) for q in Store.reader(store_path, personal_data=False).quads())
    shown = "".join(str(q) for q in Store.reader(store_path, personal_data=True).quads())
    assert _leaks(hidden) == []
    assert _leaks(shown) == list(SECRETS)
    assert "[personenbezogene Angabe entfernt]" in hidden  # the description stays, without the phone and e-mail


@pytest.mark.parametrize("fmt", ["turtle", "trig", "nquads", "jsonld"])
def test_cli_export_leaves_them_out(store_path, tmp_path, fmt, monkeypatch):
    out = tmp_path / f"bestand.{fmt}"
    result = runner.invoke(app, ["export", "--format", fmt, "--out", str(out), "--store", str(store_path)])
    assert result.exit_code == 0, result.output
    assert _leaks(out.read_text(encoding="utf-8")) == []
    monkeypatch.setenv("KNOTENPUNKT_INCLUDE_PERSONAL_DATA", "true")
    runner.invoke(app, ["export", "--format", fmt, "--out", str(out), "--store", str(store_path)])
    assert "kaya.privat@example.org" in out.read_text(encoding="utf-8")


def test_cli_query_and_sparql_leave_them_out(store_path, monkeypatch):
    contacts = runner.invoke(app, ["query", "measure_contacts", "--format", "csv", "--store", str(store_path)])
    everything = runner.invoke(app, ["sparql", "SELECT ?o WHERE { ?s ?p ?o }", "--format", "csv",
                                     "--store", str(store_path)])
    assert contacts.exit_code == 0 and everything.exit_code == 0, contacts.output + everything.output
    assert _leaks(contacts.output + everything.output) == []
    monkeypatch.setenv("KNOTENPUNKT_INCLUDE_PERSONAL_DATA", "1")
    shown = runner.invoke(app, ["sparql", "SELECT ?o WHERE { ?s ?p ?o }", "--format", "csv", "--store", str(store_path)])
    assert "erika@example.org" in shown.output


def test_the_endpoint_leaves_them_out(store_path):
    process, url = start_server(store_path)
    try:
        query = urllib.parse.urlencode({"query": "CONSTRUCT WHERE { ?s ?p ?o }"})
        with urllib.request.urlopen(f"{url}/sparql?{query}", timeout=30) as response:
            body = response.read().decode("utf-8")
    finally:
        process.terminate()
        process.wait(10)
    assert "Beispielverein" in body
    assert _leaks(body) == []


def test_a_sink_built_line_by_line_separates_as_a_scan_of_every_line_does():
    """`TripleSink.add` notes personal texts on the way in, so that `separate_personal` need not parse
    every line: the outcome is the full scan's, also for a personal property added line by line."""
    import datetime as dt

    from rdflib import RDFS, URIRef
    from rdflib.namespace import DCTERMS

    from knotenpunkt.ingest.builder import TripleSink, literal
    from knotenpunkt.ingest.personal import separate_personal
    from knotenpunkt.ingest.validate import ValidationStore
    from knotenpunkt.ontology.namespace import GRAPH, KP

    schema = "https://schema.org/"
    m, person = URIRef("https://example.org/massnahme/1"), URIRef("https://example.org/person/1")
    triples = [(m, DCTERMS.description, literal("Anmeldung: Tel.\n06441 407123, sonst a.b@web.de")),
               (m, DCTERMS.title, literal("Sprachkurs 2024, 12 Plätze")),
               (m, KP.additionalInfo, literal("Privatadresse: Hauptstraße 12")),
               (m, URIRef(schema + "streetAddress"), literal("Goethestraße 5")),  # an organisation's address
               (m, DCTERMS.identifier, literal("0031-0168")),  # a measure's number, not a phone number
               (m, URIRef(schema + "startDate"), literal(dt.date(2024, 9, 1))),
               (m, RDFS.label, literal("Treffpunkt Nauborner Straße 12", lang="de"))]
    with_person = [*triples, (m, URIRef(schema + "contactPoint"), person),
                   (person, URIRef(schema + "name"), literal("Erika Beispiel"))]
    key = GRAPH["data/beispiel/liste-xlsx"]
    def separated(sink):
        graphs, validation = {key: sink}, ValidationStore()
        for iri, g in graphs.items():
            validation.add(iri, g.take_new())
        report = separate_personal(graphs, validation)
        return report, {str(iri): sorted(validation.lines(iri)) for iri in graphs}

    for case, expected_moved in ((triples, 3), (with_person, 5)):
        built = TripleSink()
        for triple in case:
            built.add(triple)
        assert built.checked == (case is triples)
        scanned = TripleSink(list(built.new))
        (report, by_line), (report_scan, by_scan) = separated(built), separated(scanned)
        assert report == report_scan and report["moved"] == expected_moved
        assert by_line == by_scan and len(by_line) == 2  # the data graph and its personal twin
        assert any('"0031-0168"' in line for line in by_line[str(key)])


# Texts the patterns must find (true positives) and look-alikes they must leave alone (false positives), each
# with the kinds expected; `name` marks a title or name (`ingest.personal.NAME_PROPERTIES`).
FOUND = [
    ("Privatadresse: Lindenweg 5", False, ["street_address"]),
    ("Treffpunkt bei Familie K., Konrad-Adenauer-Straße 12, 35578 Wetzlar", False, ["street_address"]),
    ("wohnt Frankfurter Allee 7a", False, ["street_address"]),
    ("Kaiserring 4", False, ["street_address"]),
    ("Anmeldung Tel.-Nr.: 0641 123456", False, ["phone"]),
    ("Tel/Fax: 06441 123456", False, ["phone"]),
    ("erreichbar unter (030) 12345-6789 oder 0151 2345 6789.", False, ["phone"]),
    ("Durchwahl 030 1234567-0", False, ["phone"]),
    ("Tel. (09 11) 12 34 56-78", False, ["phone"]),
    ("Sprachtreff, Anmeldung 0171 2345678", True, ["phone"]),  # in a title too
    ("Kontakt a.b@web.de", True, ["email"]),
]
NOT_FOUND = [
    ("Bildungsprojekt Lernweg 2021 bis 2024", False),  # a year is no house number
    ("Zukunftsweg 2024", False),
    ("Spielplatz 3 mal pro Woche, Sportplatz 2 Stunden", False),  # a count is no house number
    ("Lindenweg 3 bis 6 Jahre", False),
    ("Mentoring 2 Go, Monitoring 3", False),  # English "-ring"
    ("Auf Platz 1 beim Landeswettbewerb", False),
    ("Treff Lindenweg 5", True),  # a title names a place
    ("Antragsnummer: ESF/14-AB-C12-0345/16", False),  # file numbers with letters, slashes and digit groups
    ("Az. 12-0641/2345, Vorgang 0171/2016/ESF, Kennung 0641 12345-A", False),
    ("Vorhaben 0345/16", False),  # too few digits for a phone number
    ("Mobilitätsprojekt 2024-2026, Telefonzeiten: 10 - 12 Uhr", False),
    ("Öffnungszeiten 0800-1200 Uhr", False),
]


@pytest.mark.parametrize(("text", "name", "kinds"), FOUND)
def test_personal_text_is_found_in_its_forms(text, name, kinds):
    assert find_personal_text(text, name=name) == kinds


@pytest.mark.parametrize(("text", "name"), NOT_FOUND)
def test_look_alikes_are_not_personal_text(text, name):
    assert find_personal_text(text, name=name) == []
    assert redact_text(text, name=name) == text


def test_a_redacted_single_valued_property_keeps_one_value():
    """The personal graph describes a redacted statement (`rdf:Statement`) instead of repeating it, so that the
    union of the graphs, which validation checks, still has one title: even a title the patterns read wrongly
    cannot make the data invalid."""
    from rdflib import RDF, URIRef
    from rdflib.namespace import DCTERMS

    from knotenpunkt.ingest.builder import TripleSink, literal
    from knotenpunkt.ingest.personal import REDACTED, separate_personal
    from knotenpunkt.ingest.validate import ValidationStore
    from knotenpunkt.ontology.namespace import GRAPH, KP

    m = URIRef("https://example.org/massnahme/1")
    key = GRAPH["data/beispiel/liste-xlsx"]
    sink = TripleSink()
    sink.add((m, RDF.type, KP.Measure))
    sink.add((m, DCTERMS.title, literal("Sprachtreff, Anmeldung 0171 2345678")))
    validation = ValidationStore()
    validation.add(key, sink.take_new())
    graphs = {key: sink}
    report = separate_personal(graphs, validation)
    assert report["redacted"] == 1
    store = validation.loaded()
    titles = [r["t"].value for r in store.query(f"SELECT ?t {{ <{m}> <{DCTERMS.title}> ?t }}",
                                                use_default_graph_as_union=True)]
    assert titles == [f"Sprachtreff, Anmeldung {REDACTED}"]
    original = store.query("SELECT ?o ?g { GRAPH ?g { ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; "
                           "rdf:object ?o } }", prefixes={"rdf": str(RDF)})
    assert [(r["o"].value, r["g"].value) for r in original] == [("Sprachtreff, Anmeldung 0171 2345678",
                                                                 str(GRAPH["personal/beispiel/liste-xlsx"]))]
    _, _, results = validation.check()
    assert not [r for r in results if r["component"] == "MaxCountConstraintComponent"]
    validation.close()


def test_titles_the_patterns_look_at_import_valid(tmp_path):
    """Titles with a street-like word and a year, a place's address, a phone number, and a file number in a
    column the importer does not know: the import conforms, every measure keeps one title, the phone number
    is only in the personal data."""
    from knotenpunkt.ingest.personal import REDACTED

    csv = tmp_path / "angebote.csv"
    csv.write_text("Nr.;Angebot;Träger;Zielgruppe;Handlungsfeld;Stadtteil;Beschreibung;Antragsnummer\n"
                   "1;Lernweg 2020 bis 2023;AWO Lahn-Dill;Geflüchtete;Sprache;Niedergirmes;Kurs;ESF/14-AB-C12-0345/16\n"
                   "2;Treff Lindenweg 5;AWO Lahn-Dill;Geflüchtete;Sprache;Niedergirmes;Kurs;ESF/14-AB-C12-0346/16\n"
                   "3;Sprachtreff, Anmeldung 0171 2345678;AWO Lahn-Dill;Geflüchtete;Sprache;Niedergirmes;Kurs;"
                   "ESF/14-AB-C12-0347/16\n", encoding="utf-8")
    path = tmp_path / "store"
    store = Store(path)
    plan = import_files([csv], store, city="Wetzlar")
    store.close()
    assert plan.report["committed"] and plan.report["counts"]["rejected"] == 0
    assert plan.report["personal"]["redacted"] == 1 and plan.report["personal"]["kinds"] == {"phone": 1}
    query = ("SELECT ?m (COUNT(?t) AS ?n) (SAMPLE(?t) AS ?title) { ?m a <https://w3id.org/knotenpunkt/def#Measure> ; "
             "<http://purl.org/dc/terms/title> ?t } GROUP BY ?m")
    for personal_data in (False, True):
        reader = Store.reader(path, personal_data=personal_data)
        rows = {r["title"].value: int(r["n"].value) for r in reader.query(query)}
        assert rows == {"Lernweg 2020 bis 2023": 1, "Treff Lindenweg 5": 1, f"Sprachtreff, Anmeldung {REDACTED}": 1}
        assert ("0171 2345678" in "".join(str(q) for q in reader.quads())) == personal_data
        assert "ESF/14-AB-C12-0345/16" in "".join(str(q) for q in reader.quads())


# Natural persons as registers and directories name them, and organisations and places that look like them.
PERSONS = ["Abramsen, Ilse", "Akcay, Tuncay", "Stemmler, Kai Uwe", "Kleine, Michael E.", "Meyer, Dr. Hans",
           "Dr. med. Dieter Breyer", "Andrea Gneuß", "Dipl.-Med. Birgit Truhel\nDipl.-Med. Ute Zielina",
           "Prof. Dr. Rolf Küst", "Sven van den Brandt", "Frau Gneuß", "Dr.-med. Suann Vanryssell",
           "Dr. med. Tatjana Castro Rodriguez", "Dr. med. Ines Schampera, Dr. med. Frank Schampera",
           "Sibylle Nägele / Joy Markert"]
NOT_PERSONS = ["Caritas, Diakonie", "Schulze & Partner", "Max Mustermann GmbH", "Friedrich-Schiller-Universität Jena",
               "Berlin Dungeon", "Jens Kauss Elektrotechnik", "Marie Kroos-Stift", "Museum Bautzen", "Anne Frank Haus",
               "Dr. Oetker", "AWO Kreisverband", "Stadt Wetzlar, Jugendamt", "Sprachcafé International", "Kathrin"]


@pytest.mark.parametrize("text", PERSONS)
def test_a_persons_name_is_recognised(text):
    assert person_name(text)


@pytest.mark.parametrize("text", NOT_PERSONS)
def test_an_organisations_name_is_not_a_persons(text):
    assert not person_name(text)
