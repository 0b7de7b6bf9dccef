"""The one text catalogue: every key in German and English, the same placeholders, and the setting `language`."""

import ast
from pathlib import Path

import pytest

from graph.texts import LANGUAGES, TEXTS, language, placeholders, section, text

ROOT = Path(__file__).resolve().parents[1]


def test_every_key_has_both_languages_and_nothing_else():
    assert [key for key, entry in TEXTS.items() if set(entry) != set(LANGUAGES)] == []


def test_no_text_is_empty():
    assert [key for key, entry in TEXTS.items() if not all(str(entry[lang]).strip() for lang in LANGUAGES)] == []


def test_both_languages_have_the_same_placeholders():
    assert [key for key, entry in TEXTS.items() if placeholders(entry["de"]) != placeholders(entry["en"])] == []


def test_every_key_belongs_to_a_known_group():
    groups = {"ui", "report", "row", "finding", "error", "cli"}
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
    from graph.report import TEXTS as REPORT
    from ingest.messages import MESSAGES, message

    assert REPORT["key_figures"] == TEXTS["report.key_figures"]
    assert MESSAGES["missing_title"][1:] == (TEXTS["row.missing_title"]["de"], TEXTS["row.missing_title"]["en"])
    assert message("not_a_date", value="x")["en"] == text("row.not_a_date", "en", value="x")
