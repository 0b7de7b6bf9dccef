"""The `knotenpunkt` command line, through typer's CliRunner."""

import json
import os
import re
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from knotenpunkt.cli import app
from knotenpunkt.graph.texts import TEXTS
from tests.conftest import ROOT

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
    assert "Example:" in result.output or "Beispiel:" in result.output  # in the setting's language


def test_every_command_and_option_has_its_help_in_the_catalogue_in_both_languages():
    names = {info.name or info.callback.__name__ for info in app.registered_commands}
    assert len(names) == 18
    keys = {"app_command" if name == "app" else name for name in names}
    assert all("Beispiel:" in TEXTS["cli.help." + k]["de"] and "Example:" in TEXTS["cli.help." + k]["en"] for k in keys)
    source = (ROOT / "knotenpunkt" / "cli.py").read_text(encoding="utf-8")
    assert 'help="' not in source  # every help text is a key: help=_help("…")
    used = set(re.findall(r'_help\("(\w+)"\)', source))
    assert sorted(k for k in used if "cli.help." + k not in TEXTS) == []
    assert sorted(k[len("cli.help."):] for k in TEXTS if k.startswith("cli.help.") and k[len("cli.help."):] not in used) == []


@pytest.mark.parametrize("lang, words", [("de", ["Bestandsaufnahmen in den Datenbestand übernehmen", "Beispiel:",
                                                 "Das Gebiet, falls es nicht aus der Datei hervorgeht",
                                                 '"Landkreis Gießen"']),
                                         ("en", ["Import inventories into the store", "Example:",
                                                 "The territory, if it cannot be read from the file",
                                                 '"Landkreis Gießen"'])])
def test_the_help_speaks_the_language_of_the_setting(lang, words):
    env = {**os.environ, "KNOTENPUNKT_LANGUAGE": lang}
    shown = subprocess.run([sys.executable, "-m", "knotenpunkt.cli", "import", "--help"], env=env,
                           capture_output=True, text=True, check=True).stdout
    shown = " ".join(shown.split())  # the help is wrapped to the terminal
    assert all(word in shown for word in words), shown


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


def test_a_dry_run_creates_no_store(tmp_path, sample_workbook):
    result = runner.invoke(app, ["import", str(sample_workbook), "--dry-run", "--store", str(tmp_path / "s")])
    assert result.exit_code == 0 and "Probelauf: nichts geschrieben." in result.output
    assert not (tmp_path / "s").exists()


def test_import_names_the_sheets_with_content_it_left_out(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Angebote"
    book.active.append(["Titel", "Träger", "Zielgruppe"])
    book.active.append(["Sprachcafé", "Caritas", "Geflüchtete"])
    notes = book.create_sheet("Notizen")
    notes.append(["Stand: Mai"])
    notes.append(["Bitte bis Juni ergänzen"])
    book.create_sheet("Leer")
    book.save(path := tmp_path / "bestand.xlsx")
    result = runner.invoke(app, ["import", str(path), "--city", "Wetzlar", "--dry-run", "--store", str(tmp_path / "s")])
    assert result.exit_code == 0
    skipped = [line for line in result.output.splitlines() if line.startswith("nicht übernommen")]
    assert skipped == ["nicht übernommen bestand.xlsx | Notizen | Zeilen mit Inhalt: 2 | Keine bekannte Tabelle erkannt "
                       "(Maßnahmen, Organisationen, Gebiete, Kooperationen, Netzwerke): keine Kopfzeile mit bekannten "
                       "Spaltennamen."]  # an empty sheet is not worth a line


def test_areas_taken_from_the_data_are_said_once(tmp_path):
    lines = ["Titel;Träger;Stadtteil"] + [f"Kurs {i};AWO;{place}" for i, place in
                                          enumerate(["Nordviertel", "Südhang", "Nordviertel", "Altstadt"])]
    (path := tmp_path / "bestand.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["import", str(path), "--city", "Beispielstadt", "--dry-run",
                                 "--store", str(tmp_path / "s")])
    out = result.output.splitlines()
    assert "Gebiete aus den Daten übernommen: 3 (in keiner Gebietsliste dieses Gebiets; ein Blatt mit " \
           "Gebieten und Einwohnerzahlen lässt sich mit importieren)" in out
    assert not [line for line in out if line.startswith("Warnung")]
    assert "Zeilen: 4, übernommen: 4, mit Warnung: 0, abgelehnt: 0" in out


def test_import_prints_like_messages_once_with_their_rows(tmp_path, monkeypatch):
    """A value unmapped in 30 rows is one line naming how many rows and the first of them, rejections first;
    beyond 40 kinds of message the rest is counted and the row report named."""
    lines = ['Titel;Träger;"Zielgruppe\nTarget group"'] + [f"Kurs {i};AWO;Blau" for i in range(30)] + [";AWO;Kinder"]
    lines += [f"Treff {i};AWO;Farbton {chr(65 + i // 26)}{chr(97 + i % 26)}" for i in range(45)]
    (path := tmp_path / "bestand.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["import", str(path), "--city", "Wetzlar", "--dry-run", "--store", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    out = result.output.splitlines()
    assert out[0] == "abgelehnt | bestand.csv | bestand | Titel | Zeile 32 | Der Titel fehlt."
    assert out[1].startswith("Warnung | bestand.csv | bestand | Zielgruppe Target group | 30 Zeilen: 2, 3, 4, 5, 6, 7, 8, "
                             "9 … | „Blau“")  # a header of two lines on one
    assert sum(line.startswith(("abgelehnt |", "Warnung |")) for line in out) == 40
    assert "… und 7 weitere Meldungen in 7 Zeilen. Alle Meldungen Zeile für Zeile stehen im Zeilenbericht " \
           "(--report bericht.json)." in out
    monkeypatch.setenv("KNOTENPUNKT_LANGUAGE", "en")
    result = runner.invoke(app, ["import", str(path), "--city", "Wetzlar", "--dry-run", "--store", str(tmp_path / "s")])
    assert result.output.splitlines()[0] == "rejected | bestand.csv | bestand | Titel | row 32 | The title is missing."


def test_a_failed_first_import_leaves_no_store_behind(tmp_path):
    (path := tmp_path / "bestand.doc").write_text("kein Arbeitsblatt", encoding="utf-8")
    result = runner.invoke(app, ["import", str(path), "--store", str(tmp_path / "s")])
    assert result.exit_code == 2 and ".doc" in result.output
    assert not (tmp_path / "s").exists()


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
    assert json.loads(result.output)[0]["n"] >= 3  # target groups, fields of action, provider types


# -- errors a user can make: a German message naming what to change, exit code 2, no traceback (issue 16)

@pytest.mark.parametrize("args, env, text", [
    (["analyse", "--at", "9999-12-31"], {}, "--at/--from: 9999-12-31 liegt außerhalb der Jahre 1900 bis 2999"),
    (["analyse", "--months", "100000"], {}, "--months: 100000 ist nicht möglich"),
    (["export", "--out", "/nonexistent-dir/x.ttl"], {}, "Das Verzeichnis /nonexistent-dir gibt es nicht"),
    (["deck", "--out", "/nonexistent-dir/x.pptx"], {}, "bei --out einen anderen Ort angeben"),
    (["handout", "--out", "/nonexistent-dir/x.pdf"], {}, "bei --out einen anderen Ort angeben"),
    (["backup", "/proc/knotenpunkt-backup"], {}, "Datei oder Verzeichnis /proc/knotenpunkt-backup"),
    (["serve"], {"KNOTENPUNKT_PORT": "abc"}, "„abc“ ist keine ganze Zahl (Einstellung port, Umgebungsvariable KNOTENPUNKT_PORT)"),
    (["import", str(ROOT / "data/sample/wetzlar_massnahmen.csv")], {"KNOTENPUNKT_MAX_FILE_MB": "1.5"},
     "Umgebungsvariable KNOTENPUNKT_MAX_FILE_MB"),
    (["query", "coverage_in_area", "--param", "district=x>"], {}, "bitte den Wert bei --param prüfen"),
    (["sparql", "SELECT * WHERE {}"], {"KNOTENPUNKT_QUERY_NETWORK_ISOLATION": "sometimes"},
     "Einstellung query_network_isolation"),
])
def test_user_errors_end_in_a_message_and_exit_code_2(tmp_path, monkeypatch, args, env, text):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = runner.invoke(app, [*args, "--store", str(tmp_path / "store")])
    assert result.exit_code == 2, result.output
    assert text in result.output
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)


def test_serve_resolves_a_relative_store_path(tmp_path, monkeypatch, sample_workbook):
    from knotenpunkt.graph.sandbox import QueryPool

    store = tmp_path / "store"
    runner.invoke(app, ["import", str(sample_workbook), "--store", str(store)])
    monkeypatch.chdir(tmp_path)
    pool = QueryPool("store", time_limit_ms=5000, max_rows=5, workers=1)
    try:
        assert b'"boolean":true' in pool.run("ASK { ?m a kp:Measure }").body
    finally:
        pool.close()


def test_the_language_setting_switches_the_cli_to_english(tmp_path, monkeypatch, sample_workbook):
    store = str(tmp_path / "store")
    monkeypatch.setenv("KNOTENPUNKT_LANGUAGE", "en")
    result = runner.invoke(app, ["import", str(sample_workbook), "--store", store])
    assert result.exit_code == 0, result.output
    assert "Saved." in result.output and "Rows: " in result.output and "Gespeichert" not in result.output
    missing = runner.invoke(app, ["import", str(tmp_path / "fehlt.xlsx"), "--store", store])
    assert missing.exit_code == 2
    assert missing.output == f"Error: File {tmp_path / 'fehlt.xlsx'}: The file does not exist.\n"
    unknown = runner.invoke(app, ["query", "count_inventory", "-p", "x=1", "--store", store])
    assert "has no parameters x; possible: none" in unknown.output
    analysis = runner.invoke(app, ["analyse", "--store", store])
    assert "Findings:" in analysis.output and "Befunde" not in analysis.output


def test_a_wrong_language_setting_is_named(monkeypatch):
    monkeypatch.setenv("KNOTENPUNKT_LANGUAGE", "fr")
    result = runner.invoke(app, ["settings"])
    assert result.exit_code == 2
    assert "KNOTENPUNKT_LANGUAGE" in result.output and "de, en" in result.output


def test_every_setting_is_described_in_both_languages_the_english_as_in_the_settings_table(monkeypatch):
    from knotenpunkt.graph.settings import SETTINGS

    assert [s.name for s in SETTINGS if TEXTS.get("cli.setting." + s.name, {}).get("en") != s.help] == []
    assert len([k for k in TEXTS if k.startswith("cli.setting.")]) == len(SETTINGS)
    monkeypatch.setenv("KNOTENPUNKT_LANGUAGE", "de")
    assert TEXTS["cli.setting.port"]["de"] in runner.invoke(app, ["settings"]).output



def test_a_repaired_value_of_personal_data_is_not_printed(tmp_path):
    """A mis-encoded contact person's name is repaired, and the console and the row report say so without the
    name; a repaired title is shown with its value."""
    text = "Angebot;Träger;Ansprechperson;Telefon\nCafÃ© International;AWO;Andreas BÃ¤risch;\n" \
           "Lernhilfe;Caritas;;+49(0)3501 -â\u0081\u00a0 5091303\n"
    (path := tmp_path / "bestand.csv").write_text(text, encoding="utf-8")
    report = tmp_path / "bericht.json"
    result = runner.invoke(app, ["import", str(path), "--city", "Wetzlar", "--dry-run", "--store", str(tmp_path / "s"),
                                 "--report", str(report)])
    assert result.exit_code == 0, result.output
    written = report.read_text(encoding="utf-8")
    for shown in (result.output, written):
        assert "Bärisch" not in shown and "BÃ¤risch" not in shown and "5091303" not in shown
        assert "Café International" in shown
    assert "Warnung | bestand.csv | bestand | Ansprechperson | Zeile 2 | Falsch kodierter Text in personenbezogenen " \
           "Daten repariert (der Wert wird hier nicht gezeigt)." in result.output.splitlines()


def test_import_says_how_many_proposals_there_are_beyond_the_listed_ones(tmp_path, monkeypatch):
    monkeypatch.setattr("knotenpunkt.ingest.orgs.REVIEW_LIMIT", 1)
    lines = ["Angebot;Träger", "Kurs 1;Frauenhaus Koblenz", "Kurs 2;Frauenhaus Mayen-Koblenz",
             "Kurs 3;Autonomes Frauenhaus Duisburg", "Kurs 4;Frauenhaus Duisburg gGmbH", "Kurs 5;Abramsen, Ilse"]
    (path := tmp_path / "bestand.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["import", str(path), "--city", "Wetzlar", "--dry-run", "--store", str(tmp_path / "s")])
    out = result.output.splitlines()
    assert "Organisationen: 4, zusammengeführte Namen: 0, offene Vorschläge: 2 (die ersten 1 gelistet)" in out
    assert any(line.startswith("Privatpersonen statt Organisationen: 1 (") for line in out)


def test_import_says_once_how_many_organisations_of_one_name_it_kept_apart_by_place(tmp_path):
    lines = ["Name,Straße,Ort", "Frauenhaus,Hauptstr. 1,Bamberg", "Frauenhaus,Ringstr. 2,Bayreuth",
             "Caritas Wetzlar,Weg 3,Wetzlar"]
    (path := tmp_path / "liste.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["import", str(path), "--city", "Deutschland", "--dry-run", "--store", str(tmp_path / "s")])
    out = result.output.splitlines()
    assert "Organisationen mit demselben Namen an verschiedenen Orten auseinandergehalten: 2 (der Ort steht im Namen, " \
           "z. B. „Frauenhaus – Bamberg“)" in out
    assert "Organisationen: 3, zusammengeführte Namen: 0, offene Vorschläge: 0" in out
