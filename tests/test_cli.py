"""The `knotenpunkt` command line, through typer's CliRunner."""

import json

import pytest
from typer.testing import CliRunner

from knotenpunkt.cli import app

runner = CliRunner()
COMMANDS = ["import", "status", "queries", "query", "sparql", "export", "backup", "restore", "analyse", "orgs",
            "settings"]


def test_help_lists_every_command():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in COMMANDS:
        assert command in result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_text_and_an_example(command):
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Example: knotenpunkt" in result.output or "Example:" in result.output


def test_import_then_status_and_query(tmp_path, sample_workbook, expected):
    store = str(tmp_path / "store")
    report = tmp_path / "r.json"
    result = runner.invoke(app, ["import", str(sample_workbook), "--store", store, "--report", str(report)])
    assert result.exit_code == 0, result.output
    assert "Gespeichert." in result.output
    counts = json.loads(report.read_text(encoding="utf-8"))["counts"]
    assert counts["rows"] == counts["imported"] + counts["warning"] + counts["rejected"]
    status = runner.invoke(app, ["status", "--store", store])
    assert f"measures: {expected['measures_imported']}" in status.output
    again = runner.invoke(app, ["import", str(sample_workbook), "--store", store])
    assert "Keine Änderung" in again.output
    as_json = runner.invoke(app, ["query", "count_inventory", "--format", "json", "--store", store])
    assert json.loads(as_json.output)[0]["measures"] == expected["measures_imported"]


def test_query_with_unknown_parameter_fails_with_exit_2(tmp_path):
    result = runner.invoke(app, ["query", "count_inventory", "-p", "x=1", "--store", str(tmp_path / "s")])
    assert result.exit_code == 2
    assert "kennt die Parameter x nicht" in result.output


def test_import_of_a_missing_file_names_it(tmp_path):
    result = runner.invoke(app, ["import", str(tmp_path / "fehlt.xlsx"), "--store", str(tmp_path / "s")])
    assert result.exit_code == 2
    assert "fehlt.xlsx" in result.output and "gibt es nicht" in result.output


def test_export_writes_turtle(tmp_path):
    out = tmp_path / "bestand.ttl"
    result = runner.invoke(app, ["export", "--out", str(out), "--store", str(tmp_path / "s")])
    assert result.exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("@prefix")


@pytest.mark.parametrize("text, message", [
    ("DROP ALL", "Nur lesende Abfragen"),
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "SERVICE ist nicht erlaubt"),
    ("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", "FROM und FROM NAMED sind nicht erlaubt"),
    ("SELECT WHERE {", "fehlerhaft"),
])
def test_sparql_refuses_updates_service_and_from_before_running(tmp_path, text, message):
    result = runner.invoke(app, ["sparql", text, "--store", str(tmp_path / "s")])
    assert result.exit_code == 2
    assert message in result.output


def test_sparql_answers_a_select(tmp_path):
    result = runner.invoke(app, ["sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?c a skos:ConceptScheme }", "--format",
                                 "json", "--store", str(tmp_path / "s")])
    assert result.exit_code == 0
    assert json.loads(result.output)[0]["n"] >= 3  # the vocabularies; territories come with imports
