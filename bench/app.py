"""Benchmark of the app: server time of every page on the sample, and the network's first draw in Chromium.

- Server time: each page (and a few interactions) run with AppTest on the imported sample,
  cold (first run, empty caches) and warm (median of the following runs). Target: ≤ 1 s warm.
- First draw: a seeded 2,000-node graph drawn by `graph.viz.network_html` (server layout,
  physics off) against pyvis's defaults (``Network().from_nx``, physics on, its own template
  with requests to a CDN blocked) in headless Chromium; the time from loading the page
  until vis-network has drawn a stable picture. Target: ≤ 2 s.

Run: ``python -m bench.app`` (writes ``bench/APP_REPORT.md``); needs Debian's chromium.
"""

import datetime as dt
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import networkx as nx

from graph.store import writing
from graph.viz import compute_layout, network_html
from ingest.importer import import_files

__all__ = ["page_times", "draw_times", "main"]

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample" / "wetzlar_integrationsangebote.xlsx"
REPORT = ROOT / "bench" / "APP_REPORT.md"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LIMIT = 60  # seconds a picture may take to become stable before it is reported as not finished
# (page, session state seeded before the run, what it stands for)
INTERACTIONS = [
    ("overview", {}, "Übersicht"),
    ("importer", {}, "Import (before an upload)"),
    ("measures", {}, "Angebote"),
    ("measures", {"measures_text": "Sprach"}, "Angebote, text search"),
    ("organisations", {}, "Organisationen"),
    ("network", {}, "Netzwerk"),
    ("network", {"network_color": "community", "network_size": "betweenness"}, "Netzwerk, community colours, sizes"),
    ("gaps", {}, "Lücken"),
    ("duplicates", {}, "Dubletten"),
]
# Waits until vis-network has drawn and, with physics on, has stabilised.
_READY = """() => typeof network !== 'undefined' && network.body !== undefined
    && (network.physics.options.enabled === false || network.physics.stabilized === true)"""


def _page_script(name):
    import importlib

    from pages.state import init_session_state

    init_session_state()
    importlib.import_module(f"pages.{name}").render()


def page_times(store, *, repeat=3):
    """Cold and warm (median) seconds of each interaction; returns a list of dicts."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()
    st.cache_resource.clear()
    rows = []
    for name, state, label in INTERACTIONS:
        runs = []
        for _ in range(repeat + 1):
            at = AppTest.from_function(_page_script, args=(name,), default_timeout=120)
            at.session_state["store_path"] = str(store)
            for key, value in state.items():
                at.session_state[key] = value
            start = time.perf_counter()
            at.run()
            runs.append(time.perf_counter() - start)
            assert not at.exception, (label, at.exception)
        rows.append({"interaction": label, "cold": runs[0], "warm": statistics.median(runs[1:])})
    return rows


def _graph(n, seed=1):
    """A seeded civic-looking network: power-law degrees, a type per node."""
    G = nx.powerlaw_cluster_graph(n, 2, 0.1, seed=seed)
    nx.relabel_nodes(G, {i: f"org-{i}" for i in G}, copy=False)
    for i, node in enumerate(G):
        G.nodes[node]["label"] = f"Organisation {i}"
        G.nodes[node]["type"] = f"type-{i % 12}"
    return G


def _pyvis_default(G):
    """The page pyvis makes by default (physics on, its template), scripts inlined."""
    from pyvis.network import Network

    net = Network(cdn_resources="in_line")
    net.from_nx(G)
    return net.generate_html()


def _first_draw(browser, html, *, limit=LIMIT):
    """Seconds from loading `html` until vis-network has drawn a stable picture (requests outside blocked);
    None when it is not stable within `limit` seconds."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.route("**/*", lambda route: route.abort() if route.request.url.startswith("http") else route.continue_())
    start = time.perf_counter()
    page.set_content(html, wait_until="commit")
    try:
        page.wait_for_function(_READY, polling=20, timeout=limit * 1000)
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => r()))")
        seconds = time.perf_counter() - start
    except PlaywrightTimeout:
        seconds = None
    page.close()
    return seconds


def _median(values):
    """Median of the runs, None when any run did not finish."""
    values = list(values)
    return None if None in values else statistics.median(values)


def draw_times(n=2000, *, repeat=3):
    """First-draw seconds (median) of our page and of pyvis's defaults, and the server layout's seconds."""
    from playwright.sync_api import sync_playwright

    G = _graph(n)
    start = time.perf_counter()
    positions = compute_layout(G)
    layout = time.perf_counter() - start
    ours = network_html(G, positions=positions)
    default = _pyvis_default(G)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        result = {"nodes": n, "edges": G.number_of_edges(), "layout": layout,
                  "ours": _median(_first_draw(browser, ours) for _ in range(repeat)),
                  "pyvis_default": _median(_first_draw(browser, default) for _ in range(1))}
        browser.close()
    return result


def _seconds(value):
    return f"not stable after {LIMIT} s" if value is None else f"{value:.2f}"


def _write_report(pages, draw):
    lines = [
        "# App benchmark",
        "",
        f"Generated by `python -m bench.app` on {dt.date.today().isoformat()} ({os.cpu_count()} cores, "
        "shared). Server time is AppTest's run of the page script on the imported sample (cold: the first run of "
        "that interaction in the process, caches filled by earlier rows kept; warm: median of three). "
        "Target: every interaction ≤ 1 s.",
        "",
        "| interaction | cold s | warm s | ≤ 1 s |",
        "|---|---|---|---|",
        *[f"| {r['interaction']} | {r['cold']:.2f} | {r['warm']:.2f} | {'yes' if r['warm'] <= 1 else 'no'} |"
          for r in pages],
        "",
        f"Network first draw in headless Chromium, {draw['nodes']} nodes and {draw['edges']} edges (seeded "
        "power-law graph), from loading the page until vis-network has drawn a stable picture "
        "(median of three). Target ≤ 2 s.",
        "",
        "| page | first draw s |",
        "|---|---|",
        f"| ours (`graph/viz.py`: server layout, physics off) | {_seconds(draw['ours'])} |",
        f"| pyvis defaults (`Network().from_nx`, physics on until stable; one run) | {_seconds(draw['pyvis_default'])} |",
        "",
        f"The server layout (seeded Fruchterman–Reingold, igraph above 500 nodes) takes {draw['layout']:.2f} s "
        "once per data version; the app caches it, so it is not part of a page's draw.",
        "",
    ]
    REPORT.write_text("\n".join(lines), encoding="utf-8")


def main():
    """Import the sample into a temporary store, measure, and write bench/APP_REPORT.md."""
    with tempfile.TemporaryDirectory() as folder:
        store = Path(folder) / "store"
        with writing(store) as g:
            import_files([SAMPLE], g)
        pages = page_times(store)
    draw = draw_times()
    _write_report(pages, draw)
    print(REPORT.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
