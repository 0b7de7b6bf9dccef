"""No reader ever opens what a writer writes: readers of every kind during a series of imports.

Readers run the whole time: the SPARQL endpoint (`knotenpunkt serve`, a separate process with its
query workers), the app's store handle (`graph.store.open_store`, as `pages/state.get_store` opens
it) in a thread of this process, and the CLI (`knotenpunkt sparql` in processes of their own).
Meanwhile imports alternate September (3 measures) and November (2). Every answer must come
without an error and from one state: the measures counted and the summary's key figure agree.
"""

import json
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter

import pytest

from knotenpunkt.graph.store import open_store
from tests.conftest import ROOT
from tests.test_endpoint import start_server
from tests.test_transactions import MEASURES_QUERY, import_in_process, write_inventories


def _check(counts, measures, summary):
    """Count one answer: ok when measures and summary agree on one of the two states, else mixed."""
    counts["reads"] += 1
    counts["ok" if measures == summary and measures in (2, 3) else "mixed"] += 1
    counts[f"state {measures}"] += 1


def _endpoint_reader(url, counts, stop):
    data = urllib.parse.urlencode({"query": MEASURES_QUERY}).encode()
    while not stop.is_set():
        try:
            request = urllib.request.Request(url + "/sparql", data=data, headers={"Accept": "application/sparql-results+json"})
            with urllib.request.urlopen(request, timeout=60) as response:
                row = json.loads(response.read())["results"]["bindings"][0]
            _check(counts, int(row["measures"]["value"]), int(row["summary"]["value"]) if "summary" in row else None)
        except Exception as e:  # noqa: BLE001 - every failure counts
            counts["errors"] += 1
            counts.setdefault("first error", repr(e))


def _app_reader(path, counts, stop):
    store = open_store(path)  # the app's read-only handle: follows every commit
    while not stop.is_set():
        try:
            row = store.select(MEASURES_QUERY)[0]
            _check(counts, row["measures"], row["summary"])
            time.sleep(0.002)  # a page's pace, leaving the two cores to the imports
        except Exception as e:  # noqa: BLE001
            counts["errors"] += 1
            counts.setdefault("first error", repr(e))


def _cli_reader(path, counts, stop):
    while not stop.is_set():
        done = subprocess.run([sys.executable, "-m", "knotenpunkt.cli", "sparql", MEASURES_QUERY, "--format", "json",
                               "--store", str(path)], cwd=ROOT, capture_output=True, text=True, timeout=300)
        if done.returncode != 0:
            counts["errors"] += 1
            counts.setdefault("first error", done.stderr[-500:])
            continue
        row = json.loads(done.stdout)[0]
        _check(counts, row["measures"], row["summary"])


def stress(tmp_path, imports):
    """Run `imports` imports with the three readers; return the counts per reader."""
    september, november = write_inventories(tmp_path)
    store = tmp_path / "store"
    assert import_in_process(september, store).returncode == 0
    process, url = start_server(store)
    # the server logs every request to its stderr pipe: drain it, or it blocks after 64 KB (~1,000 requests)
    threading.Thread(target=lambda: process.stderr.read(), daemon=True).start()
    counts = {name: Counter() for name in ("endpoint", "app", "cli")}
    stop = threading.Event()
    readers = [threading.Thread(target=_endpoint_reader, args=(url, counts["endpoint"], stop)),
               threading.Thread(target=_app_reader, args=(store, counts["app"], stop)),
               threading.Thread(target=_cli_reader, args=(store, counts["cli"], stop))]
    try:
        for reader in readers:
            reader.start()
        failed = []
        for i in range(imports):
            done = import_in_process(november if i % 2 == 0 else september, store)
            if done.returncode != 0:
                failed.append(done.stderr)
        time.sleep(1)
    finally:
        stop.set()
        for reader in readers:
            reader.join(120)
        process.terminate()
        process.wait(10)
    assert failed == []
    generations = [p.name for p in (store / "generations").iterdir()]
    print(f"\n{imports} imports; generations left: {generations}")
    for name, c in counts.items():
        print(f"{name}: {c['reads']} answers, {c['errors']} errors, {c['mixed']} mixed, "
              f"{c['state 3']} September, {c['state 2']} November {c.get('first error', '')}")
    return counts


@pytest.mark.slow
def test_twenty_imports_with_readers_give_no_error_and_no_mixed_answer(tmp_path):
    counts = stress(tmp_path, 20)
    for name, c in counts.items():
        assert c["errors"] == 0 and c["mixed"] == 0, (name, c)
        assert c["reads"] > 0, name
    assert counts["endpoint"]["state 2"] and counts["endpoint"]["state 3"]  # the readers followed the imports
    assert counts["app"]["state 2"] and counts["app"]["state 3"]


def test_readers_during_a_few_imports_give_no_error_and_no_mixed_answer(tmp_path):
    counts = stress(tmp_path, 2)
    for name, c in counts.items():
        assert c["errors"] == 0 and c["mixed"] == 0, (name, c)
        assert c["reads"] > 0, name
