"""Deck, handout and pictures of the sample, checked with LibreOffice, poppler and python-pptx."""

import datetime as dt
import itertools
import re
import subprocess

import networkx as nx
import pytest
from lxml import etree
from matplotlib.collections import PathCollection
from pptx import Presentation
from typer.testing import CliRunner

from knotenpunkt.graph.analysis import analyse
from knotenpunkt.graph.deck import deck_notes, deck_texts, write_deck
from knotenpunkt.graph.handout import write_handout
from knotenpunkt.graph.pictures import DRAWN, PICTURES, draw_gap_matrix, draw_network, draw_pictures, figure_bytes
from knotenpunkt.graph.queries import list_queries, run_query
from knotenpunkt.graph.report import TEXTS, build_report
from knotenpunkt.cli import app

runner = CliRunner()
FIGURE_KEYS = ("measures", "organisations", "target_groups", "districts", "cooperations", "networks")


def _run(*args, **kwargs):
    return subprocess.run([str(a) for a in args], capture_output=True, check=True, text=True, timeout=180, **kwargs)


def _pages(pdf):
    return int(re.search(r"^Pages:\s+(\d+)", _run("pdfinfo", pdf).stdout, re.MULTILINE)[1])


def _rendered(pdf, tmp_path, prefix):
    """Render every page with pdftoppm; return the number of images written."""
    _run("pdftoppm", "-r", "30", "-png", pdf, tmp_path / prefix)
    return len(list(tmp_path.glob(f"{prefix}*.png")))


@pytest.fixture(scope="module")
def day(expected):
    return dt.date.fromisoformat(expected["at"])


@pytest.fixture(scope="module")
def report(sample_import, day):
    store, _ = sample_import
    return build_report(store, day=day)


@pytest.fixture(scope="module")
def deck(report, tmp_path_factory):
    path = tmp_path_factory.mktemp("deck") / "lenkungsgruppe.pptx"
    write_deck(report, path)
    return path


def _key_figures(slide_text):
    """Label → number from the key-figures slide (table cells alternate label, value)."""
    lines = [line for line in slide_text.splitlines() if line.strip()]
    return {a: int(b) for a, b in itertools.pairwise(lines) if b.isdigit()}


def test_deck_opens_in_libreoffice_and_every_slide_renders(deck, tmp_path):
    _run("libreoffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
         "--outdir", tmp_path, deck)
    pdf = tmp_path / "lenkungsgruppe.pdf"
    slides = len(Presentation(deck).slides)
    assert slides == 10
    assert _pages(pdf) == slides
    assert _rendered(pdf, tmp_path, "folie") == slides


def test_key_figures_slide_shows_the_sample_figures(deck, sample_import, expected, day):
    store, _ = sample_import
    figures = _key_figures(deck_texts(deck)[1])
    counts = run_query(store, "count_inventory")[0]
    assert figures[TEXTS["measures"]["de"]] == expected["measures_imported"]
    assert figures[TEXTS["cooperations"]["de"]] == expected["counts"]["cooperations"]
    assert figures[TEXTS["networks"]["de"]] == expected["counts"]["networks"]
    assert figures[TEXTS["districts"]["de"]] == expected["counts"]["districts"]
    for key in FIGURE_KEYS:
        assert figures[TEXTS[key]["de"]] == counts[key], key
    result = analyse(store, start=day, end=day)
    assert figures[TEXTS["overlap_count"]["de"]] == len(result["overlaps"]) >= len(expected["overlaps"]["uncoordinated"])
    assert figures[TEXTS["zero_cells"]["de"]] == sum(1 for z in result["gaps"]["zero_cells"] if z["district"] is None)
    assert figures[TEXTS["cliff_count"]["de"]] == len(result["gaps"]["funding_cliff"])


def test_every_figure_slide_names_existing_canned_queries_in_its_notes(deck):
    known = {q.name for q in list_queries()}
    notes = deck_notes(deck)
    for slide in notes[1:-1]:  # all but the title and the decisions slide
        sources = re.search(r"(?:gespeicherte Abfragen|Versionen aus der Abfrage) ([\w, ]+)", slide)
        assert sources, slide[:80]
        names = [n.strip() for n in sources[1].split(",")]
        assert names and set(names) <= known, names


def test_no_query_name_or_hash_on_a_slide_face(deck, report):
    known = {q.name for q in list_queries()}
    for slide in deck_texts(deck):
        assert not known & set(re.findall(r"\w+", slide)), slide[:80]
        assert report["data_version"] not in slide
        assert "Abfrage" not in slide and "Unabgestimmt" not in slide
    assert report["data_version"] in deck_notes(deck)[0]


def test_german_number_formats_in_the_key_figures(sample_import, day):
    from knotenpunkt.graph.report import figure_rows

    store, _ = sample_import
    report = build_report(store, day=day)
    report["counts"] = {**report["counts"], "measures": 10317}
    assert dict(figure_rows(report))[TEXTS["measures"]["de"]] == "10.317"
    report["lang"] = "en"
    assert dict(figure_rows(report))[TEXTS["measures"]["en"]] == "10,317"


def test_overlap_and_cliff_slides_list_the_sample_answers(deck, report, expected):
    texts = deck_texts(deck)
    overlaps = next(t for t in texts if t.startswith(TEXTS["overlaps"]["de"]))
    first = expected["overlaps"]["uncoordinated"][0]
    assert all(p in overlaps for p in first["providers"])
    cliff = next(t for t in texts if t.startswith(TEXTS["funding_cliff"]["de"]))
    assert report["funding_cliff"] and all(c["cell"] in cliff for c in report["funding_cliff"])


def test_english_deck_has_english_headings(report, sample_import, tmp_path):
    store, _ = sample_import
    path = tmp_path / "en.pptx"
    write_deck(build_report(store, lang="en"), path)
    titles = [t.splitlines()[0] for t in deck_texts(path)[1:]]
    assert titles[:3] == [TEXTS["key_figures"]["en"], TEXTS["findings"]["en"], TEXTS["network"]["en"]]


def test_handout_is_a4_renders_and_contains_figures_and_german_headings(report, sample_import, tmp_path):
    store, _ = sample_import
    pdf = tmp_path / "handout.pdf"
    write_handout(report, pdf)
    info = _run("pdfinfo", pdf).stdout
    assert "595.276 x 841.89 pts (A4)" in info
    pages = _pages(pdf)
    assert _rendered(pdf, tmp_path, "seite") == pages
    text = _run("pdftotext", "-layout", "-enc", "UTF-8", pdf, "-").stdout
    for key in ("key_figures", "findings", "network", "gap_matrix", "district_chart", "overlaps", "funding_cliff",
                "changes", "decisions"):
        assert TEXTS[key]["de"] in text, key
    counts = run_query(store, "count_inventory")[0]
    for key in FIGURE_KEYS:
        assert re.search(rf"{re.escape(TEXTS[key]['de'])}\s+{counts[key]}\b", text), key
    assert f"Seite {pages}" in text and report["day_text"] in text
    assert "wetzlar_integrationsangebote.xlsx" in text  # source of the data
    assert TEXTS["sources"]["de"] in text and "count_inventory" in text  # the saved queries in the appendix


def test_pictures_are_png_and_svg_and_reproducible(report):
    first, second = draw_pictures(report), draw_pictures(report)
    assert set(first) == set(PICTURES)
    for name in PICTURES:
        assert figure_bytes(first[name], "png").startswith(b"\x89PNG")
        svg = figure_bytes(first[name], "svg")
        assert etree.fromstring(svg).tag.endswith("svg")
        assert svg == figure_bytes(second[name], "svg"), name  # seeded layout, fixed ids


def test_deck_handout_and_pictures_commands(tmp_path, sample_workbook):
    store = str(tmp_path / "store")
    assert runner.invoke(app, ["import", str(sample_workbook), "--store", store]).exit_code == 0
    result = runner.invoke(app, ["deck", "--out", str(tmp_path / "d.pptx"), "--lang", "en", "--store", store])
    assert result.exit_code == 0, result.output
    assert deck_texts(tmp_path / "d.pptx")[1].startswith(TEXTS["key_figures"]["en"])
    result = runner.invoke(app, ["handout", "--out", str(tmp_path / "h.pdf"), "--store", store])
    assert result.exit_code == 0 and _pages(tmp_path / "h.pdf") > 1
    result = runner.invoke(app, ["pictures", "--out", str(tmp_path / "bilder"), "--store", store])
    assert result.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "bilder").iterdir()) == sorted(
        f"{n}.{f}" for n in PICTURES for f in ("png", "svg"))
    result = runner.invoke(app, ["deck", "--out", str(tmp_path / "x.pptx"), "--lang", "fr", "--store", store])
    assert result.exit_code == 2 and "--lang" in result.output


def test_a_large_network_picture_draws_the_best_connected_and_says_so(report):
    G = nx.relabel_nodes(nx.barabasi_albert_graph(1200, 2, seed=1), lambda n: f"urn:org:{n}")
    nx.set_node_attributes(G, {n: f"Träger {n}" for n in G}, "label")
    for a, b in G.edges():
        G.edges[a, b].update(weight=2, kinds={"joint_measure": 1})
    fig = draw_network({**report, "graph": G})
    drawn = sum(len(c.get_offsets()) for c in fig.axes[0].collections if isinstance(c, PathCollection))
    assert drawn == DRAWN
    note = "\n".join(t.get_text() for t in fig.texts)
    assert f"die {DRAWN} am stärksten vernetzten" in note and "von 1.200 Organisationen" in note
    hubs = sorted(G, key=lambda n: -G.degree(n))[:3]
    assert all(G.nodes[h]["label"] in note for h in hubs)  # the key names the best connected of the whole network


def test_district_chart_figures_are_what_the_canned_query_answers(report, sample_import, day):
    store, _ = sample_import
    query = {r["district"]: int(r["measures"]) for r in run_query(store, "district_supply", at=day.isoformat())}
    chart = dict(zip(report["district_supply"]["district"], report["district_supply"]["measures"]))
    assert chart == query and sum(chart.values()) > 0


def test_gap_matrix_says_gaps_cannot_be_assessed_when_no_field_is_mapped(tmp_path, store):
    from knotenpunkt.ingest.importer import import_files

    source = tmp_path / "angebote_wetzlar.csv"
    source.write_text("Titel;Träger;Zielgruppe;Themen\nSprechstunde;Caritas;Frauen;Blau\n"
                      "Gesprächskreis;AWO;Kinder;Grün\n", encoding="utf-8")
    import_files([source], store, city="Wetzlar")
    report = build_report(store, lang="de")
    assert report["matrix_missing"] == "Handlungsfelder"
    figure = draw_gap_matrix(report)
    words = " ".join(t.get_text() for t in figure.texts)
    assert "Lückenanalyse nicht möglich: die Daten nennen keine Handlungsfelder, oder keiner ihrer Texte passt" in words
    assert not figure.axes  # no heatmap of empty cells
