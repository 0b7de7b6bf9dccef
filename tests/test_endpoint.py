"""The SPARQL endpoint, started as a real server (`knotenpunkt serve`) on a free port.

Clients: SPARQLWrapper, rdflib's SPARQLStore, curl, and plain HTTP for the negative tests
of the W3C SPARQL 1.1 protocol test suite.
"""

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from knotenpunkt.graph.queries import list_queries, run_query
from knotenpunkt.graph.store import Store
from knotenpunkt.ingest.importer import import_files
from tests.conftest import DATA, ROOT, free_port

TIME_LIMIT_MS = 2000
MAX_ROWS = 50


def start_server(store_path, **settings):
    """Start `knotenpunkt serve` in its own process; return (process, base URL)."""
    port = free_port()
    env = {**os.environ, **{f"KNOTENPUNKT_{k.upper()}": str(v) for k, v in settings.items()}}
    process = subprocess.Popen([sys.executable, "-m", "knotenpunkt.cli", "serve", "--store", str(store_path),
                                "--port", str(port)], env=env, cwd=ROOT, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            with urllib.request.urlopen(url + "/sparql", timeout=1):
                return process, url
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(process.stderr.read())


@pytest.fixture(scope="module")
def store_path(tmp_path_factory, sample_workbook):
    path = tmp_path_factory.mktemp("endpoint") / "store"
    store = Store(path)
    import_files([sample_workbook], store)
    store.close()
    return path


@pytest.fixture(scope="module")
def server(store_path):
    process, url = start_server(store_path, query_time_limit_ms=TIME_LIMIT_MS, max_returned_rows=MAX_ROWS)
    yield url + "/sparql"
    process.terminate()
    process.wait(10)


@pytest.fixture(scope="module")
def embedded(store_path):
    """The same store read in this process, for the expected answers."""
    return Store.reader(store_path, personal_data=False)


def request(url, *, method="GET", data=None, headers=None, params=None):
    """An HTTP request; returns (status, headers, body) also for 4xx/5xx."""
    if params:
        url += "?" + urllib.parse.urlencode(params, doseq=True)
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def parameterless_queries():
    return [q.name for q in list_queries() if all(p.optional for p in q.params)]


def as_strings(rows):
    return sorted(tuple("" if v is None else str(v) for v in row) for row in rows)


# ----------------------------------------------------------------------------------------
# Real clients

@pytest.mark.parametrize("name", parameterless_queries())
def test_sparqlwrapper_json_answers_each_canned_query(server, embedded, name):
    from SPARQLWrapper import JSON, SPARQLWrapper

    from knotenpunkt.graph.queries import load_query

    client = SPARQLWrapper(server)
    # lines marked "only if ?param" apply a parameter that is not given here: drop them
    client.setQuery("\n".join(line for line in load_query(name).text.splitlines() if "# only if" not in line))
    client.setReturnFormat(JSON)
    result = client.query().convert()
    got = [[b.get(v, {}).get("value") for v in result["head"]["vars"]] for b in result["results"]["bindings"]]
    expected = run_query(embedded, name)
    assert len(got) == min(len(expected), MAX_ROWS)
    if len(expected) <= MAX_ROWS:
        columns = result["head"]["vars"]
        want = [[_lexical(row[c]) for c in columns] for row in expected]
        assert as_strings(got) == as_strings(want)


def _lexical(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return None if value is None else str(value)


def test_sparqlwrapper_csv(server, embedded):
    import csv

    from SPARQLWrapper import CSV, SPARQLWrapper

    query = "SELECT ?m ?title WHERE { ?m a kp:Measure ; dct:title ?title } ORDER BY ?m"
    client = SPARQLWrapper(server)
    client.setQuery(query)
    client.setReturnFormat(CSV)
    rows = list(csv.reader(client.query().convert().decode("utf-8").splitlines()))
    expected = embedded.select(query)[:MAX_ROWS]
    assert rows[0] == ["m", "title"]
    assert rows[1:] == [[row["m"], row["title"]] for row in expected]
    assert len(expected) == MAX_ROWS


def test_rdflib_sparqlstore(server, embedded, expected):
    from rdflib import Graph
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = Graph(SPARQLStore(server, returnFormat="xml"))
    rows = list(graph.query("SELECT ?m ?title WHERE { ?m a kp:Measure ; dct:title ?title } ORDER BY ?m LIMIT 40",
                            initNs={"kp": "https://w3id.org/knotenpunkt/def#", "dct": "http://purl.org/dc/terms/"}))
    want = embedded.select("SELECT ?m ?title WHERE { ?m a kp:Measure ; dct:title ?title } ORDER BY ?m LIMIT 40")
    assert [(str(r.m), str(r.title)) for r in rows] == [(w["m"], w["title"]) for w in want]
    counted = list(graph.query("SELECT (COUNT(?m) AS ?n) WHERE { ?m a <https://w3id.org/knotenpunkt/def#Measure> }"))
    assert int(counted[0][0]) == expected["measures_imported"]


@pytest.mark.parametrize("accept, query, media_type", [
    ("application/sparql-results+json", "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "application/sparql-results+json"),
    ("application/sparql-results+xml", "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "application/sparql-results+xml"),
    ("text/csv", "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "text/csv"),
    ("text/tab-separated-values", "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "text/tab-separated-values"),
    ("application/json", "ASK { ?s ?p ?o }", "application/sparql-results+json"),
    ("text/turtle", "CONSTRUCT WHERE { ?s a kp:Measure } LIMIT 3", "text/turtle"),
    ("application/n-triples", "CONSTRUCT WHERE { ?s a kp:Measure } LIMIT 3", "application/n-triples"),
    ("application/ld+json", "DESCRIBE ?s WHERE { ?s a kp:Measure } LIMIT 1", "application/ld+json"),
])
def test_curl_gets_the_media_type_it_accepts(server, accept, query, media_type):
    out = subprocess.run(["curl", "-s", "-D", "-", "-o", "/dev/null", "-H", f"Accept: {accept}",
                          "--data-urlencode", f"query={query}", server], capture_output=True, text=True, check=True)
    headers = dict(line.split(": ", 1) for line in out.stdout.splitlines()[1:] if ": " in line)
    assert out.stdout.startswith("HTTP/1.1 200")
    assert headers["Content-Type"].split(";")[0] == media_type


def test_unacceptable_media_type_is_406(server):
    status, _, _ = request(server, params={"query": "SELECT * WHERE {}"}, headers={"Accept": "image/png"})
    assert status == 406


def test_service_description_and_query_page(server):
    status, headers, body = request(server, headers={"Accept": "text/turtle"})
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    from rdflib import Graph, URIRef

    g = Graph().parse(data=body, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert (None, URIRef(sd + "supportedLanguage"), URIRef(sd + "SPARQL11Query")) in g
    status, headers, body = request(server, headers={"Accept": "text/html"})
    assert status == 200 and b"/static/yasgui.min.js" in body
    status, headers, body = request(server.replace("/sparql", "/static/yasgui.min.js"))
    assert status == 200 and len(body) > 100_000
    assert request(server.replace("/sparql", "/static/../cli.py"))[0] == 404


# ----------------------------------------------------------------------------------------
# W3C SPARQL 1.1 protocol: the negative tests (https://w3c.github.io/rdf-tests/sparql/sparql11/protocol/)

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
ASK = "ASK {}"


@pytest.mark.parametrize("case, kwargs", [
    ("bad_query_method", dict(method="PUT", data=b"query=ASK%20%7B%7D", headers=FORM)),
    ("bad_multiple_queries", dict(params={"query": [ASK, "SELECT * {}"]})),
    ("bad_query_wrong_media_type", dict(method="POST", data=ASK.encode(), headers={"Content-Type": "text/plain"})),
    ("bad_query_missing_form_type", dict(method="POST", data=b"query=ASK%20%7B%7D", headers={"Content-Type": ""})),
    ("bad_query_missing_direct_type", dict(method="POST", data=ASK.encode(), headers={"Content-Type": ""})),
    ("bad_query_non_utf8", dict(method="POST", data="ASK { ?s ?p \"Ä\" }".encode("latin-1"),
                                headers={"Content-Type": "application/sparql-query"})),
    ("bad_query_non_utf8_charset", dict(method="POST", data="ASK { ?s ?p \"Ä\" }".encode("latin-1"),
                                        headers={"Content-Type": "application/sparql-query; charset=ISO-8859-1"})),
    ("bad_query_syntax", dict(params={"query": "ASK {"})),
    ("bad_update_get", dict(params={"update": "CLEAR ALL"})),
    ("bad_multiple_updates", dict(method="POST", data=b"update=CLEAR%20NAMED&update=CLEAR%20DEFAULT", headers=FORM)),
    ("bad_update_wrong_media_type", dict(method="POST", data=b"CLEAR NAMED", headers={"Content-Type": "text/plain"})),
    ("bad_update_missing_form_type", dict(method="POST", data=b"update=CLEAR%20NAMED", headers={"Content-Type": ""})),
    ("bad_update_syntax", dict(method="POST", data=b"update=CLEAR%20XYZ", headers=FORM)),
    ("bad_update_dataset_conflict", dict(method="POST", data=b"update=CLEAR%20ALL&using-graph-uri=http%3A%2F%2Fa",
                                         headers=FORM)),
    ("query_and_update", dict(method="POST", data=b"query=ASK%20%7B%7D&update=CLEAR%20ALL", headers=FORM)),
])
def test_w3c_protocol_negative_tests(server, case, kwargs):
    if kwargs.get("headers", {}).get("Content-Type") == "":
        status = _raw_post_without_type(server, kwargs["data"])  # urllib would add a form content type
    else:
        status = request(server, **kwargs)[0]
    assert 400 <= status < 500, case


def _raw_post_without_type(url, body):
    parts = urllib.parse.urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port)) as s:
        s.sendall(f"POST {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\nContent-Length: {len(body)}\r\n"
                  f"Connection: close\r\n\r\n".encode() + body)
        return int(s.recv(100).split(b" ")[1])


def test_updates_are_refused_with_403(server, embedded, expected):
    for data, content_type in ((b"update=DROP%20ALL", FORM["Content-Type"]), (b"DROP ALL", "application/sparql-update")):
        status, _, body = request(server, method="POST", data=data, headers={"Content-Type": content_type})
        assert status == 403, body
    assert run_query(embedded.refresh(), "count_inventory")[0]["measures"] == expected["measures_imported"]


# W3C SPARQL 1.1 protocol: the positive tests that need no writable or multi-graph dataset
DIRECT = {"Content-Type": "application/sparql-query"}


@pytest.mark.parametrize("case, kwargs, accept, media", [
    ("query_get", dict(params={"query": ASK}), None, "application/sparql-results"),
    ("query_post_form", dict(method="POST", data=urllib.parse.urlencode({"query": ASK}).encode(), headers=FORM), None,
     "application/sparql-results"),
    ("query_post_direct", dict(method="POST", data=ASK.encode(), headers=DIRECT), None, "application/sparql-results"),
    ("query_content_type_select", dict(params={"query": "SELECT (1 AS ?value) {}"}),
     "application/sparql-results+xml, application/sparql-results+json", "application/sparql-results"),
    ("query_content_type_ask", dict(params={"query": ASK}), "application/sparql-results+json",
     "application/sparql-results+json"),
    ("query_content_type_describe", dict(method="POST", data=b"DESCRIBE <http://example.org/>", headers=DIRECT),
     "text/turtle, application/rdf+xml", "text/turtle"),
    ("query_content_type_construct", dict(method="POST", data=b"CONSTRUCT { <s> <p> 1 } WHERE {}", headers=DIRECT),
     "application/rdf+xml, text/turtle", "application/rdf+xml"),
])
def test_w3c_protocol_positive_tests(server, case, kwargs, accept, media):
    headers = {**kwargs.pop("headers", {}), **({"Accept": accept} if accept else {})}
    status, response_headers, _ = request(server, headers=headers, **kwargs)
    assert status == 200, case
    assert response_headers["Content-Type"].startswith(media), case


def test_from_load_and_protocol_dataset_are_refused_with_400(server):
    for query in ("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
                  "SELECT * FROM NAMED <http://example.org/g> WHERE { GRAPH ?g { ?s ?p ?o } }"):
        status, _, body = request(server, params={"query": query})
        assert status == 400 and b"FROM" in body
    status, _, body = request(server, method="POST", data=b"update=LOAD%20%3Cfile%3A%2F%2F%2Fetc%2Fpasswd%3E",
                              headers=FORM)
    assert status == 400 and b"LOAD" in body
    status, _, _ = request(server, params={"query": "ASK {}", "default-graph-uri": "file:///etc/passwd"})
    assert status == 400


def test_service_makes_no_outbound_connection(server):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(2)
    port = listener.getsockname()[1]
    status, _, body = request(server, params={
        "query": f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"})
    assert status == 400 and b"SERVICE" in body
    with pytest.raises(socket.timeout):
        listener.accept()
    listener.close()


# ----------------------------------------------------------------------------------------
# Limits

def test_runaway_query_is_stopped_while_another_client_is_answered(server):
    runaway = {}

    def run():
        start = time.monotonic()
        runaway["status"], _, runaway["body"] = request(server, params={
            "query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"})
        runaway["seconds"] = time.monotonic() - start

    thread = threading.Thread(target=run)
    thread.start()
    time.sleep(0.5)
    start = time.monotonic()
    status, _, body = request(server, params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?m a kp:Measure }"},
                              headers={"Accept": "text/csv"})
    answered_in = time.monotonic() - start
    thread.join(30)
    assert status == 200 and body.splitlines()[1].isdigit()
    assert answered_in < TIME_LIMIT_MS / 1000
    assert runaway["status"] == 503 and "abgebrochen".encode() in runaway["body"]
    assert TIME_LIMIT_MS / 1000 <= runaway["seconds"] < TIME_LIMIT_MS / 1000 + 5
    # and the endpoint still answers afterwards
    assert request(server, params={"query": "ASK { ?s ?p ?o }"})[0] == 200


def test_row_cap_truncates_with_a_signal(server):
    status, headers, body = request(server, params={"query": "SELECT * WHERE { ?s ?p ?o }"},
                                    headers={"Accept": "text/csv"})
    assert status == 200
    assert headers["X-Knotenpunkt-Truncated"].startswith("true")
    assert len(body.decode().splitlines()) == MAX_ROWS + 1
    status, headers, _ = request(server, params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 3"})
    assert "X-Knotenpunkt-Truncated" not in headers


def test_request_size_limit(store_path):
    process, url = start_server(store_path, max_request_bytes=1000)
    try:
        query = "SELECT * WHERE { ?s ?p ?o } # " + "x" * 2000
        status, _, body = request(url + "/sparql", method="POST", data=query.encode(),
                                  headers={"Content-Type": "application/sparql-query"})
        assert status == 413 and b"max_request_bytes" in body
    finally:
        process.terminate()
        process.wait(10)


def test_cors_is_off_unless_origins_are_listed(server, store_path):
    _, headers, _ = request(server, params={"query": ASK}, headers={"Origin": "http://evil.example"})
    assert "Access-Control-Allow-Origin" not in headers
    process, url = start_server(store_path, cors_origins="http://intranet.example")
    try:
        _, headers, _ = request(url + "/sparql", params={"query": ASK}, headers={"Origin": "http://intranet.example"})
        assert headers["Access-Control-Allow-Origin"] == "http://intranet.example"
        _, headers, _ = request(url + "/sparql", params={"query": ASK}, headers={"Origin": "http://evil.example"})
        assert "Access-Control-Allow-Origin" not in headers
    finally:
        process.terminate()
        process.wait(10)


def test_binds_to_loopback_by_default(server):
    host = urllib.parse.urlsplit(server).hostname
    assert host == "127.0.0.1"
    from knotenpunkt.graph.settings import get_setting

    assert get_setting("host") == "127.0.0.1"


def test_personal_data_hidden_unless_opted_in(server, store_path):
    query = {"query": "SELECT ?email WHERE { ?c <https://schema.org/email> ?email }"}
    status, headers, body = request(server, params=query, headers={"Accept": "text/csv"})
    assert status == 200 and body.decode().splitlines() == ["email"]
    assert Store.reader(store_path).select(query["query"]), "the sample has contact e-mails"
    process, url = start_server(store_path, include_personal_data="true")
    try:
        _, _, body = request(url + "/sparql", params=query, headers={"Accept": "text/csv"})
        assert "@" in body.decode()
    finally:
        process.terminate()
        process.wait(10)


def test_an_import_is_visible_without_a_restart(tmp_path, sample_workbook):
    path = tmp_path / "store"
    Store(path).close()
    process, url = start_server(path)
    try:
        count = {"query": "SELECT (COUNT(?m) AS ?n) WHERE { ?m a kp:Measure }"}
        assert request(url + "/sparql", params=count, headers={"Accept": "text/csv"})[2].split()[1] == b"0"
        subprocess.run([sys.executable, "-m", "knotenpunkt.cli", "import", str(sample_workbook), "--store", str(path)],
                       cwd=ROOT, check=True, capture_output=True)
        body = request(url + "/sparql", params=count, headers={"Accept": "text/csv"})[2]
        assert int(body.split()[1]) > 0
        subprocess.run([sys.executable, "-m", "knotenpunkt.cli", "import", str(DATA / "othercity" / "lahnfels_angebote.xlsx"),
                        "--store", str(path), "--add"], cwd=ROOT, check=True, capture_output=True)
        assert int(request(url + "/sparql", params=count, headers={"Accept": "text/csv"})[2].split()[1]) > int(body.split()[1])
    finally:
        process.terminate()
        process.wait(10)


@pytest.mark.browser
def test_the_query_page_runs_a_query_in_chromium_without_outside_requests(server):
    import shutil

    from playwright.sync_api import expect, sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(chromium):
        pytest.skip("no chromium on this machine")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu",
                                                                    "--disable-background-networking"])
        page = browser.new_page(viewport={"width": 1300, "height": 900})
        outside, errors = [], []
        page.on("request", lambda r: urllib.parse.urlsplit(r.url).hostname not in ("127.0.0.1", None)
                and not r.url.startswith(("data:", "blob:")) and outside.append(r.url))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(server)
        page.locator(".yasqe .CodeMirror").wait_for(timeout=20_000)
        page.evaluate("window.knotenpunktYasgui.getTab().setQuery("
                      "'SELECT ?title WHERE { ?m a kp:Measure ; dct:title ?title } ORDER BY ?title LIMIT 5'); 0")
        page.locator(".yasqe_queryButton").click()
        page.locator(".yasr .dataTable tbody tr").first.wait_for(timeout=20_000)
        rows = page.locator(".yasr .dataTable tbody tr").count()
        (ROOT / "tests" / "screenshots").mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ROOT / "tests" / "screenshots" / "sparql-endpoint.png"))
        shown = {}  # a refused query shows the server's status and reason on the page
        for status, query in (("403", "DROP ALL"), ("400", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"),
                              ("400", "SELECT ?s WHERE { ?s ?p }")):
            page.evaluate(f"window.knotenpunktYasgui.getTab().setQuery({json.dumps(query)}); 0")
            page.locator(".yasqe_queryButton").click()
            page.locator(".yasr .errorResult").wait_for(timeout=20_000)
            expect(page.locator(".yasr .errorResult")).to_contain_text(status, timeout=20_000)
            shown[query] = page.locator(".yasr .errorResult").inner_text()
        browser.close()
    assert rows == 5
    assert outside == [] and errors == []
    assert "Nur lesende Abfragen" in shown["DROP ALL"]
    assert all(text.strip() for text in shown.values())
