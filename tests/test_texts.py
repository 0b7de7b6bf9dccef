"""The one text catalogue: every key in German and English, the same placeholders, and the setting `language`."""

import ast
from pathlib import Path

import pytest

from knotenpunkt.graph.texts import LANGUAGES, TEXTS, language, placeholders, section, text

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
