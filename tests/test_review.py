"""What a planned import asks the user, and the answers turned back into a mapping."""

import pandas as pd

from knotenpunkt.ingest.importer import plan_import
from knotenpunkt.ingest.review import build_mapping, column_table, concept_options, proposal_table, row_table, sheet_table, value_table


def test_sheets_and_columns_are_the_detected_ones(sample_import, expected):
    _, plan = sample_import
    sheets = sheet_table(plan)
    assert dict(zip(sheets["kind"], sheets["sheet"])) == expected["sheets"]
    kind, columns = column_table(plan)[expected["sheets"]["measures"]]
    assert kind == "measures"
    assert set(expected["measure_columns"]) <= set(columns["header"])


def test_value_table_lists_unmapped_and_fuzzy_texts_with_suggestions(sample_import):
    _, plan = sample_import
    values = value_table(plan)
    assert set(values["how"]) <= {"lexical", "code", "fuzzy", "unmapped"} and "unmapped" in set(values["how"])
    read = values[values["how"] == "lexical"]
    assert (read["explanation"] != "").all() and read["concept"].notna().all()
    unmapped = values[values["how"] == "unmapped"]
    assert (unmapped["concept"].isna() & (unmapped["suggestions"] != "")).all()
    assert set(zip(values["role"], values["text"])) >= {(e["column"], e["text"]) for e in plan.report["unmapped"]}


def test_row_table_accounts_for_every_row(sample_import, expected):
    _, plan = sample_import
    rows = row_table(plan, "en")
    assert len(rows) == plan.counts["rows"]
    rejected = rows[rows["status"] == "rejected"]
    assert set(rejected["row"]) == {r["row"] for r in expected["rejected"]}
    assert rejected["messages"].str.len().gt(0).all()


def test_concept_options_are_the_vocabulary_in_the_language(sample_import):
    g, plan = sample_import
    options = concept_options(plan, g, "target_groups", "en")
    assert options and list(options.values()) == sorted(options.values(), key=str.lower)


def test_the_users_answers_change_the_next_plan(sample_import, sample_workbook):
    g, plan = sample_import
    values = value_table(plan)
    text = values.loc[values["how"] == "unmapped"].iloc[0]
    target = next(iter(concept_options(plan, g, text["role"])))
    proposal = proposal_table(plan).iloc[0]
    mapping = build_mapping(values=pd.DataFrame([{"role": text["role"], "text": text["text"], "concept": target}]),
                            same=[(proposal["a"], proposal["b"])])
    again = plan_import([sample_workbook], g, mapping=mapping)
    assert text["text"] not in set(value_table(again)["text"])
    assert {(p["a"], p["b"]) for p in again.report["organisations"]["proposals"]}.isdisjoint({(proposal["a"], proposal["b"])})
