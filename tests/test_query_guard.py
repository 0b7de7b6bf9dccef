"""The endpoint's query check: a plain read is recognised without a parser, everything else is parsed,
and the check is safe under concurrent requests (rdflib's parser is not thread-safe)."""

import threading
from pathlib import Path

import pytest

from knotenpunkt.graph.errors import QueryError, ReadOnlyError
from knotenpunkt.graph.queries import check_user_query
from knotenpunkt.graph.sandbox import _FULL_CHECK, _names_full_check_word, _quick_form, check_query

QUERIES = sorted((Path(__file__).resolve().parent.parent / "ontology" / "queries").glob("*.rq"))


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.name)
def test_quick_check_agrees_with_the_parser_on_every_canned_query(path):
    text = path.read_text(encoding="utf-8")
    form = _quick_form(text)
    assert form is None or form == check_user_query(text)


@pytest.mark.parametrize("text", [
    "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
    "select * from named <http://x/> { ?s ?p ?o }",
    "ASKFROM <http://x/> {}",
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "LOAD <http://x/>",
    "DROP ALL",
    "INSERT DATA { <a> <b> <c> }",
    "PREFIX ex: <http://x/> DELETE WHERE { ?s ?p ?o }",
    "WITH <g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "CLEAR DEFAULT",
])
def test_anything_that_could_name_a_source_or_change_data_goes_to_the_parser(text):
    assert _quick_form(text) is None
    with pytest.raises((QueryError, ReadOnlyError)):
        check_query(text)


def test_plain_reads_are_recognised_without_parsing():
    assert _quick_form("PREFIX dct: <http://purl.org/dc/terms/>\n# a comment\nselect ?t WHERE { ?m dct:title ?t }") == "SELECT"
    assert _quick_form("BASE <http://x/> CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }") == "CONSTRUCT"
    assert _quick_form("ASK {}") == "ASK"
    assert _quick_form("SELECTED") is None


def test_concurrent_checks_that_need_the_parser_all_succeed():
    texts = [f'SELECT ?t WHERE {{ ?m <http://purl.org/dc/terms/title> ?t FILTER(CONTAINS(?t, "from {i}")) }}'
             for i in range(400)]
    errors = []

    def work(part):
        for text in part:
            try:
                assert check_query(text) == "SELECT"
            except Exception as e:  # noqa: BLE001
                errors.append(e)

    threads = [threading.Thread(target=work, args=(texts[i::8],)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors


def test_the_ascii_shortcut_finds_exactly_what_the_expression_finds():
    import random

    rng = random.Random(7)
    alphabet = "fromFROMloadsevicSERVICEinsrtdlpawhyugCOPY <>{}?.#\n\"'"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60))) for _ in range(3000)]
    texts += ["SELECT * WHERE { ?s ?p ?o } # ſervice", "ASK { ?s ?p \"ıNSERT\" }", "SELECT ?x WHERE { ?x a <urn:Über> }"]
    for text in texts:
        assert _names_full_check_word(text) == bool(_FULL_CHECK.search(text)), text
    assert _quick_form("SELECT * WHERE { ?s ?p ?o } # ſervice") is None
