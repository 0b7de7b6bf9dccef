"""The one text catalogue: every key in German and English, the same placeholders, and the setting `language`."""

import ast
import re
import string
from pathlib import Path

import pytest

from knotenpunkt.graph.texts import LANGUAGES, TEXTS, language, placeholders, say, section, text

ROOT = Path(__file__).resolve().parents[1]


def test_every_key_has_both_languages_and_nothing_else():
    assert [key for key, entry in TEXTS.items() if set(entry) != set(LANGUAGES)] == []


def test_no_text_is_empty():
    assert [key for key, entry in TEXTS.items() if not all(str(entry[lang]).strip() for lang in LANGUAGES)] == []


def test_both_languages_have_the_same_placeholders():
    assert [key for key, entry in TEXTS.items() if placeholders(entry["de"]) != placeholders(entry["en"])] == []


def test_every_key_belongs_to_a_known_group():
    groups = {"ui", "report", "row", "finding", "error", "cli", "http", "label"}
    assert sorted({key.split(".")[0] for key in TEXTS} - groups) == []


def test_text_fills_placeholders_in_the_language_asked_for():
    assert text("ui.measures_shown", "de", shown=3, total=7) == "3 von 7 Angeboten"
    assert text("ui.measures_shown", "en", shown=3, total=7) == "3 of 7 measures"


def test_language_follows_the_setting(monkeypatch):
    monkeypatch.delenv("KNOTENPUNKT_LANGUAGE", raising=False)
    assert language() == "de"
    monkeypatch.setenv("KNOTENPUNKT_LANGUAGE", "en")
    assert language() == "en" and text("ui.yes") == "yes"
    assert language("de") == "de"  # an explicit language wins
    monkeypatch.setenv("KNOTENPUNKT_LANGUAGE", "fr")
    assert language() == "de"


def test_section_is_a_view_of_the_catalogue():
    assert section("ui")["app_title"] is TEXTS["ui.app_title"]


def test_the_app_report_and_row_report_take_their_texts_from_the_catalogue():
    from knotenpunkt.graph.report import TEXTS as REPORT
    from knotenpunkt.ingest.messages import MESSAGES, message

    assert REPORT["key_figures"] == TEXTS["report.key_figures"]
    assert MESSAGES["missing_title"][1:] == (TEXTS["row.missing_title"]["de"], TEXTS["row.missing_title"]["en"])
    assert message("not_a_date", value="x")["en"] == text("row.not_a_date", "en", value="x")


def _error_family():
    import knotenpunkt.graph.errors as errors

    return {name for name in errors.__all__ if issubclass(getattr(errors, name), errors.KGError)}


def _error_calls():
    """Every call of an error of the KGError family in the library and the views, with its first argument."""
    family = _error_family()
    for folder in ("graph", "ingest", "knotenpunkt", "pages"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call) and node.args:
                    name = getattr(node.func, "id", getattr(node.func, "attr", None))
                    if name in family:
                        yield f"{path.relative_to(ROOT)}:{node.lineno}", node.args[0]


def _literals(node):
    """The string constants an argument can be (through `a if c else b`), or None for text built in place."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _literals(node.body), _literals(node.orelse)
        return None if body is None or orelse is None else body + orelse
    if isinstance(node, (ast.JoinedStr, ast.BinOp)):
        return None
    return []  # a name passed on (a key chosen above, e.key of an error re-raised)


def test_no_error_is_raised_with_a_message_written_in_place():
    """Errors name a key of the catalogue; a message in German (or an f-string) would never be translated."""
    calls = list(_error_calls())
    assert len(calls) > 60
    built = [where for where, arg in calls if _literals(arg) is None]
    unknown = [(where, key) for where, arg in calls for key in _literals(arg) or [] if "error." + key not in TEXTS]
    assert built == [] and unknown == []


def test_an_error_speaks_both_languages_and_pickles(monkeypatch):
    import pickle

    from knotenpunkt.graph.errors import IngestError, QueryError

    monkeypatch.delenv("KNOTENPUNKT_LANGUAGE", raising=False)
    e = QueryError("query_unknown", name="x", known="a, b")
    assert str(e) == "Unbekannte Abfrage „x“. Vorhanden: a, b"
    assert e.message("en") == 'Unknown query "x". Available: a, b'
    copy = pickle.loads(pickle.dumps(e))
    assert (type(copy), copy.message("en")) == (QueryError, e.message("en"))
    e = IngestError("file_too_large", limit_mb=50, file="a.xlsx", sheet="B", row=3, code="too_large")
    assert str(e) == "Datei a.xlsx, Blatt B, Zeile 3: Die Datei ist größer als 50 MB (Einstellung `max_file_mb`)."
    assert e.message("en") == "File a.xlsx, sheet B, row 3: The file is larger than 50 MB (setting `max_file_mb`)."
    monkeypatch.setenv("KNOTENPUNKT_LANGUAGE", "en")
    assert str(e) == e.message("en")


def test_a_setting_error_names_the_setting_in_the_language_of_the_message(monkeypatch):
    from knotenpunkt.graph.errors import SettingError
    from knotenpunkt.graph.settings import get_setting

    monkeypatch.setenv("KNOTENPUNKT_PORT", "achtzig")
    with pytest.raises(SettingError) as caught:
        get_setting("port")
    assert caught.value.message("en") == '"achtzig" is not a whole number (setting port, environment variable KNOTENPUNKT_PORT).'
    assert str(caught.value) == "„achtzig“ ist keine ganze Zahl (Einstellung port, Umgebungsvariable KNOTENPUNKT_PORT)."


def test_an_error_with_a_sentence_instead_of_a_key_still_shows_it():
    from knotenpunkt.graph.errors import StoreError

    assert str(StoreError("Etwas ging schief.")) == "Etwas ging schief."


def test_the_import_reports_its_progress_in_either_language(sample_import, sample_workbook):
    from knotenpunkt.ingest.importer import plan_import

    seen = []
    plan_import([sample_workbook], sample_import[0], progress=lambda fraction, phrase: seen.append(phrase))
    assert [p.message("en") for p in seen][-1] == "Reading done"
    assert seen[0].message("de").startswith("Lese ") and seen[0].message("en").startswith("Reading ")
    assert "Matching organisations" in [p.message("en") for p in seen]


# -- the import's explanations, notes and reasons ------------------------------------------------------------

_SMALL_CSV = ("Angebot;Träger;Zielgruppe;Stadtteil\n"
              "Sprachcafé;AWO Lahn-Dill;Eltern mit Zuwanderungsgeschichte;Niedergirmes\n"
              "Deutschkurs;AWO Lahn-Dill e.V.;Flüchtlingskinder;Altstadt\n"
              "Hausaufgaben;Caritas Wetzlar;Geflüchete;Dalheim\n"
              "Treff;Caritas Wetzlar Migrationsdienst;Nachbarschaft allgemein;Dalheim\n")


@pytest.fixture
def small_import(tmp_path, monkeypatch):
    """A small CSV imported with the setting ``language`` at English: (store, plan)."""
    from knotenpunkt.graph.store import Store
    from knotenpunkt.ingest.importer import import_files

    monkeypatch.setenv("KNOTENPUNKT_LANGUAGE", "en")
    path = tmp_path / "angebote.csv"
    path.write_text(_SMALL_CSV, encoding="utf-8")
    g = Store()
    return g, import_files([path], g, city="Wetzlar")


def _message(plan, code, value):
    return next(m for r in plan.report["rows"] for m in r["messages"] if m["code"] == code and f"{value}" in m["en"])


def test_an_import_explains_its_matches_in_both_languages_whatever_the_setting(small_import):
    _, plan = small_import
    read = _message(plan, "explained_match", "Eltern mit Zuwanderungsgeschichte")
    assert read["de"] == ("„Eltern mit Zuwanderungsgeschichte“ zugeordnet zu „Eltern und Familien“ (Kopf: Eltern; "
                          "Zusatz: Zuwanderungsgeschichte (Kontext) → Eltern und Familien).")
    assert read["en"] == ('"Eltern mit Zuwanderungsgeschichte" mapped to "Parents and families" (head: Eltern; '
                          'qualifier: Zuwanderungsgeschichte (context) → Parents and families).')
    typo = _message(plan, "fuzzy_match", "Geflüchete")
    assert typo["de"] == "„Geflüchete“ ähnlich zugeordnet zu „Geflüchtete“ (Ähnlichkeit 96). Bitte prüfen."
    assert typo["en"] == '"Geflüchete" mapped by similarity to "Refugees" (score 96). Please check.'
    unmapped = _message(plan, "unmapped_value", "Nachbarschaft allgemein")
    assert "Vorschläge: Ehrenamtliche (51)" in unmapped["de"] and "Suggestions: Volunteers (51)" in unmapped["en"]


def test_an_import_gives_its_merge_reasons_notes_and_city_in_both_languages(small_import):
    from knotenpunkt.graph.sidestate import last_organisations
    from knotenpunkt.ingest.review import proposal_table, value_table

    g, plan = small_import
    merged = plan.report["organisations"]["merged"][0]
    assert merged["variants"] == ["AWO Lahn-Dill"]
    assert merged["reason"] == {"de": "gleicher Name nach Normalisierung (Schreibweise, Rechtsform, Abkürzungen)",
                                "en": "the same name once normalised (spelling, legal form, abbreviations)"}
    proposals = proposal_table(plan, "en")
    assert proposals["reason"].tolist() == ['one name adds "migrationsdienst" (a branch, or the same organisation?)']
    assert proposal_table(plan, "de")["reason"].tolist() == [
        "ein Name hat den Zusatz „migrationsdienst“ (Untergliederung oder dieselbe Organisation?)"]
    sheet = plan.report["files"][0]["sheets"][0]
    assert [say(n, "de") for n in sheet["notes"]] == ["Zeichenkodierung UTF-8, Trennzeichen Semikolon"]
    assert [say(n, "en") for n in sheet["notes"]] == ["Character encoding UTF-8, delimiter semicolon"]
    assert (say(plan.report["city"]["how"], "de"), say(plan.report["city"]["how"], "en")) == ("angegeben", "given")
    values = value_table(plan, "en").set_index("text")
    assert values.loc["Flüchtlingskinder", "explanation"] == \
        "head: Flüchtlingskinder; word parts: fluechtlings-, kinder → Refugees + Children"
    # kept in the store in both languages, for the Dubletten page and `knotenpunkt orgs` in either
    kept = last_organisations(g)
    assert kept["proposals"][0]["reason"]["en"] == proposals["reason"][0]
    assert kept["merged"][0]["reason"]["de"].startswith("gleicher Name")


def test_a_store_of_an_older_version_with_german_reasons_still_shows_them(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from knotenpunkt.cli import app
    from knotenpunkt.graph.sidestate import LAST_ORGANISATIONS
    from knotenpunkt.graph.store import open_store

    assert say("gleiche Namensbestandteile", "en") == "gleiche Namensbestandteile"
    assert say({"de": "ja", "en": "yes"}, "en") == "yes" and say(None, "en") == ""
    monkeypatch.setenv("KNOTENPUNKT_LANGUAGE", "en")
    path, store = tmp_path / "angebote.csv", str(tmp_path / "store")
    path.write_text(_SMALL_CSV, encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(app, ["import", str(path), "--store", store, "--city", "Wetzlar"]).exit_code == 0
    g = open_store(store, write=True)
    g.write_json(LAST_ORGANISATIONS, {"merged": [{"canonical": "AWO Lahn-Dill e.V.", "variants": ["AWO Lahn-Dill"],
                                                  "score": 100.0, "reason": "Kurzname laut Trägerliste"}],
                                      "proposals": [{"a": "Caritas Wetzlar", "b": "Caritas Wetzlar Migrationsdienst",
                                                     "score": 80.0, "reason": "ein Name hat den Zusatz"}]})
    g.close()
    shown = runner.invoke(app, ["orgs", "--store", store])
    assert shown.exit_code == 0 and "(100: Kurzname laut Trägerliste)" in shown.output
    assert "(80: ein Name hat den Zusatz)" in shown.output


def _german_fragments():
    """Literal pieces of the German import texts (``row.*``) that no English text contains: what an English
    report shows only when a text was fixed to German."""
    english = " ".join(entry["en"] for entry in TEXTS.values())
    out = set()
    for key, entry in TEXTS.items():
        if key.startswith("row."):
            for literal, *_ in string.Formatter().parse(entry["de"]):
                piece = literal.strip(" ;:,.()→–\"„“+-?")
                if len(piece) >= 4 and piece not in english:
                    out.add(piece)
    return out


def _english_outputs(plan):
    """Every text of an import's report a reader of English sees: the row messages, the sheets' reasons and
    notes, how the municipality was found, the organisation reasons, the values' explanations and suggestions."""
    report = plan.report
    yield report["city"]["how"]
    for row in report["rows"]:
        yield from (m["en"] for m in row["messages"])
        for entries in row["mapped"].values():
            for entry in entries if isinstance(entries, list) else [entries]:
                if isinstance(entry, dict):
                    yield from [entry.get("explanation"), *entry.get("suggestions", [])]
    for file in report["files"]:
        for sheet in file["sheets"]:
            yield from [sheet.get("reason_en"), *sheet["notes"]]
    yield from (p["reason"] for p in report["organisations"]["merged"] + report["organisations"]["proposals"])


@pytest.mark.parametrize("which", ["small", "sample"])
def test_an_import_report_read_in_english_holds_no_german_text(which, request):
    plan = request.getfixturevalue(which + "_import")[1]
    fragments = re.compile("|".join(rf"\b{re.escape(f)}\b" for f in sorted(_german_fragments(), key=len, reverse=True)))
    shown = [say(value, "en") for value in _english_outputs(plan)]
    assert len(shown) > 20
    assert [s for s in shown if "„" in s or "“" in s or fragments.search(s)] == []


def test_no_user_text_is_written_in_place_with_german_quotation_marks():
    """A string with „…“ outside a docstring is a German message written in the code; it belongs in the catalogue."""
    found = []
    for folder in ("graph", "ingest", "knotenpunkt", "pages"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                          if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                          and node.body and isinstance(node.body[0], ast.Expr)}
            found += [f"{path.relative_to(ROOT)}:{node.lineno}" for node in ast.walk(tree)
                      if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
                      and ("„" in node.value or "“" in node.value)]
    assert found == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_knotenpunkt_import_and_orgs_speak_the_language_of_the_setting(tmp_path, monkeypatch, lang):
    from typer.testing import CliRunner

    from knotenpunkt.cli import app

    monkeypatch.setenv("KNOTENPUNKT_LANGUAGE", lang)
    path, store = tmp_path / "angebote.csv", str(tmp_path / "store")
    path.write_text(_SMALL_CSV, encoding="utf-8")
    runner = CliRunner()
    imported = runner.invoke(app, ["import", str(path), "--store", store, "--city", "Wetzlar"])
    orgs = runner.invoke(app, ["orgs", "--store", store])
    assert imported.exit_code == 0 and orgs.exit_code == 0, imported.output + orgs.output
    output = imported.output + orgs.output
    reason = text("row.org.one_extra", lang, extra="migrationsdienst")
    assert text("cli.city", lang, name="Wetzlar", how=text("row.city.given", lang)) in output and reason in output
    if lang == "en":
        fragments = re.compile("|".join(rf"\b{re.escape(f)}\b" for f in _german_fragments()))
        assert "„" not in output and "“" not in output and not fragments.search(output), output
