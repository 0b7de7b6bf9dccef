"""The app in a real browser: Debian's chromium driven by Playwright against `streamlit run`."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from urllib.parse import urlparse

import pytest

from graph.store import Store
from ingest.importer import import_files
from tests.conftest import ROOT

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = ROOT / "tests" / "screenshots"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory, sample_workbook):
    if not os.path.exists(CHROMIUM):
        pytest.fail("chromium is not installed; run `make test`, which installs it")
    store = tmp_path_factory.mktemp("browser") / "store"
    import_files([sample_workbook], Store(store))
    port = _free_port()
    env = {**os.environ, "KNOTENPUNKT_STORE": str(store)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("streamlit did not start: " + proc.stdout.read().decode(errors="replace")[-2000:])
    yield url
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture
def page(app_url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic"])
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.outside_requests = []
        page.on("request", lambda r: urlparse(r.url).hostname not in ("127.0.0.1", "localhost", None)
                and not r.url.startswith(("data:", "blob:", "about:")) and page.outside_requests.append(r.url))
        yield page
        browser.close()


def test_overview_shows_counts_from_the_store(page, app_url, expected):
    page.goto(app_url)
    page.get_by_text("Angebote und Maßnahmen").wait_for(timeout=30_000)
    metric = page.locator('[data-testid="stMetric"]').filter(has_text="Angebote und Maßnahmen")
    assert str(expected["measures_imported"]) in metric.inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "uebersicht.png"), full_page=True)
    assert page.outside_requests == []
