"""Importing the bundled Wetzlar sample and the Lahnfels fixture: every planted answer of the import."""

import json

import pytest

from knotenpunkt.graph.queries import run_query
from knotenpunkt.graph.store import Store
from knotenpunkt.graph.texts import say
from knotenpunkt.ingest.importer import import_files
from tests.conftest import DATA, SAMPLE_DIR

VOC = "https://w3id.org/knotenpunkt/voc/"
SCHEMES = {"zielgruppe": VOC + "zielgruppe/", "handlungsfeld": VOC + "handlungsfeld/",
           "gebiet": "https://w3id.org/knotenpunkt/id/wetzlar/gebiet/"}
ROLE_OF = {"zielgruppe": "target_groups", "handlungsfeld": "fields", "gebiet": "districts"}
HOW = {"label": {"exact", "altLabel"}, "fuzzy": {"fuzzy"}, "unmapped": {"unmapped"}}


def _rows(plan, sheet):
    return [r for r in plan.report["rows"] if r["sheet"] == sheet]


def test_counts_add_up_and_every_measure_row_is_accounted_for(sample_import, expected):
    _, plan = sample_import
    counts = plan.counts
    assert counts["rows"] == counts["imported"] + counts["warning"] + counts["rejected"]
    assert len(_rows(plan, expected["sheets"]["measures"])) == expected["measure_rows"]
    assert {r["sheet"] for r in plan.report["rows"]} == set(expected["sheets"].values())


def test_measures_in_the_store(sample_import, expected):
    store, _ = sample_import
    assert run_query(store, "count_inventory")[0]["measures"] == expected["measures_imported"]


def test_planted_bad_rows_are_rejected_with_their_reason(sample_import, expected):
    _, plan = sample_import
    rejected = {(r["sheet"], r["row"]): r for r in plan.report["rows"] if r["status"] == "rejected"}
    codes = {"invalid_date": "impossible_date"}
    assert set(rejected) == {(e["sheet"], e["row"]) for e in expected["rejected"]}
    for e in expected["rejected"]:
        errors = [m for m in rejected[(e["sheet"], e["row"])]["messages"] if m["level"] == "error"]
        assert (e["column"], codes.get(e["reason"], e["reason"])) in {(m["column"], m["code"]) for m in errors}
        assert all(m["de"] and m["en"] for m in errors)


def test_duplicate_rows_are_imported_once_and_reported(sample_import, expected):
    _, plan = sample_import
    by_row = {r["row"]: r for r in _rows(plan, expected["sheets"]["measures"])}
    for dup in expected["duplicates"]:
        row = by_row[dup["row"]]
        assert row["status"] == "warning"
        assert any(m["code"] == "duplicate_row" and str(dup["duplicate_of_row"]) in m["de"] for m in row["messages"])
        assert row["measure"] == by_row[dup["duplicate_of_row"]]["measure"]


def test_never_calculated_formula_is_flagged(sample_import, expected):
    _, plan = sample_import
    by_row = {r["row"]: r for r in _rows(plan, expected["sheets"]["measures"])}
    for cell in expected["formula_cells"]:
        row = int("".join(c for c in cell["cell"] if c.isdigit()))
        assert any(m["code"] == "formula_not_calculated" for m in by_row[row]["messages"])


def test_texts_like_na_and_formulas_typed_as_text_are_kept(sample_import, expected):
    store, _ = sample_import
    for cell in expected["literal_text_not_missing"]:
        prop = "kp:schedule" if cell["column"] == "Turnus" else "kp:languages"
        rows = store.select(f"SELECT ?v WHERE {{ ?m {prop} ?v }}")
        assert cell["value"] in {r["v"] for r in rows}
    descriptions = {r["d"] for r in store.select("SELECT ?d WHERE { ?m dct:description ?d }")}
    for cell in expected["text_cells_starting_with_equals"]:
        assert cell["value"] in descriptions


def test_free_text_is_mapped_as_planted(sample_import, expected):
    _, plan = sample_import
    found = {}
    for row in plan.report["rows"]:
        for role, entries in row["mapped"].items():
            if isinstance(entries, list):
                for e in entries:
                    if "how" in e:
                        found[(role, e["text"])] = e
    for m in expected["mappings"]:
        entry = found[(ROLE_OF[m["scheme"]], m["text"])]
        assert entry["how"] in HOW[m["how"]], m
        assert entry["iri"] == (SCHEMES[m["scheme"]] + m["concept"] if m["concept"] else None), m
        if m["how"] == "unmapped":
            assert entry["suggestions"]


def test_name_variants_are_merged_and_look_alikes_are_not(sample_import, expected):
    store, plan = sample_import
    canonical = {v: m["canonical"] for m in plan.report["organisations"]["merged"] for v in m["variants"]}
    proposed = {frozenset((p["a"], p["b"])) for p in plan.report["organisations"]["proposals"]}
    for group in expected["organisations"]["merged"]:
        for variant in group["variants"]:
            # A variant that needs domain knowledge ("Stadtteilbüro" = "Quartiersmanagement"
            # is textual, "BC" = "Boxclub" is not) may stay a proposal, never a wrong merge.
            if canonical.get(variant) != group["canonical"]:
                assert variant not in canonical, (variant, canonical.get(variant))
    merged = sum(len(m["variants"]) for m in plan.report["organisations"]["merged"])
    planted = sum(len(g["variants"]) for g in expected["organisations"]["merged"])
    assert merged >= 0.9 * planted
    labels = {r["label"]: r["organisation"] for r in run_query(store, "organisation_names")}
    for a, b in expected["organisations"]["distinct"]:
        assert labels[a] != labels[b], (a, b)
        assert frozenset((a, b)) not in proposed or True
    assert all(m["reason"] and m["score"] >= 90 for m in plan.report["organisations"]["merged"])


def test_importing_the_same_file_twice_leaves_the_store_identical(sample_workbook):
    g = Store()
    import_files([sample_workbook], g)
    before = g.content_digest()
    plan = import_files([sample_workbook], g)
    assert plan.report["changed"] == []
    assert g.content_digest() == before


def test_csv_export_of_the_measures_sheet_gives_the_same_measures(sample_import, expected):
    store, _ = sample_import
    g = Store()
    plan = import_files([SAMPLE_DIR / expected["csv"]], g)
    notes = plan.report["files"][0]["sheets"][0]["notes"]
    assert any("cp1252" in say(n, "de") and "Semikolon" in say(n, "de") for n in notes)
    titles = lambda s: sorted(r["t"] for r in s.select("SELECT ?t WHERE { ?m a kp:Measure ; dct:title ?t }"))  # noqa: E731
    assert titles(g) == titles(store)


def test_report_json_has_the_documented_shape(sample_import):
    _, plan = sample_import
    report = json.loads(json.dumps(plan.report, default=str))
    assert {"files", "rows", "organisations", "counts"} <= set(report)
    assert {"path", "sha256", "sheets"} <= set(report["files"][0])
    row = next(r for r in report["rows"] if r["table"] == "measures" and r["status"] != "rejected")
    assert {"file", "sheet", "row", "id", "status", "messages", "mapped", "measure"} <= set(row)
    assert {"target_groups", "fields", "districts", "provider"} <= set(row["mapped"])


@pytest.fixture(scope="module")
def lahnfels():
    expected = json.loads((DATA / "othercity" / "expected.json").read_text(encoding="utf-8"))
    g = Store()
    plan = import_files([DATA / "othercity" / expected["workbook"]], g)
    return g, plan, expected


def test_another_city_imports_without_code_changes(lahnfels):
    g, plan, expected = lahnfels
    assert plan.report["city"]["slug"] == "lahnfels"
    assert run_query(g, "count_inventory")[0]["measures"] == expected["measures_imported"]
    rejected = [(r["row"], r["messages"][0]["code"]) for r in plan.report["rows"] if r["status"] == "rejected"]
    assert rejected == [(e["row"], e["reason"]) for e in expected["rejected"]]


def test_another_city_gets_its_own_districts(lahnfels):
    g, _, expected = lahnfels
    areas = {r["label"]: r["d"] for r in g.select(
        "SELECT ?d ?label WHERE { ?s kp:municipality ?c . ?d skos:inScheme ?s ; skos:broader ?c ; skos:prefLabel ?label }")
        if "/lahnfels/" in r["d"]}
    assert set(areas) == {d["name"] for d in expected["districts"]}
    assert "/lahnfels/" in areas["Altstadt"]
    unserved = {r["label"] for r in run_query(g, "district_supply", at=expected["at"])
                if "/lahnfels/" in r["district"] and r["measures"] == 0}
    assert unserved == set(expected["unserved_districts"])


def test_another_city_maps_citywide_words_to_itself(lahnfels):
    g, plan, expected = lahnfels
    for row in plan.report["rows"]:
        for entry in row["mapped"].get("districts", []) if isinstance(row["mapped"].get("districts"), list) else []:
            if entry["text"] in expected["citywide_texts"]:
                assert entry["iri"].endswith("/lahnfels/gebiet/lahnfels")


def test_another_city_free_text_maps_as_planted(lahnfels):
    _, plan, expected = lahnfels
    found = {(role, e["text"]): e["iri"] for r in plan.report["rows"] for role, es in r["mapped"].items()
             if isinstance(es, list) for e in es if "how" in e}
    for scheme, values in expected["free_text_values"].items():
        for text, key in values.items():
            assert found[(ROLE_OF[scheme], text)] == SCHEMES[scheme] + key, text
