"""Normalisation and splitting of cell texts."""

import pytest

from knotenpunkt.ingest.text import clean_cell, normalize_label, split_values


@pytest.mark.parametrize("text", ["Senior*innen", "Senior:innen", "SeniorInnen", "Senior_innen", "Senior/innen", "senior"])
def test_gender_forms_normalise_alike(text):
    assert normalize_label(text) == "senior"


def test_umlauts_and_sharp_s_are_folded():
    assert normalize_label("Nauborner Straße") == normalize_label("Nauborner Strasse") == "nauborner strasse"


def test_control_characters_are_stripped_but_line_breaks_kept():
    assert clean_cell("Sprach\x00café\x0b\nKinder") == "Sprachcafé\nKinder"


def test_split_on_mixed_separators():
    assert split_values("Frauen; Kinder, Jugendliche / Eltern\nSenioren und Ältere") == [
        "Frauen", "Kinder", "Jugendliche", "Eltern", "Senioren", "Ältere"]


def test_known_values_with_und_stay_whole():
    known = {"Eltern und Familien", "Frauen und Mütter"}
    assert split_values("Eltern und Familien, Frauen und Mütter und Kinder", is_known=known.__contains__) == [
        "Eltern und Familien", "Frauen und Mütter", "Kinder"]


@pytest.mark.parametrize("text, expected", [
    ("AWO Frauenhaus &quotLotte Lemke&quot", 'AWO Frauenhaus "Lotte Lemke"'),
    ("1. &amp 3. Hamburger Frauenhaus", "1. & 3. Hamburger Frauenhaus"),
    ("Bau &amp; Co &#8222;Muster&#8220;", "Bau & Co „Muster“"),
    ("Kinder&nbsp;und Jugend", "Kinder und Jugend"),
    ("AT&T, R&D, &ampel", "AT&T, R&D, &ampel"),
])
def test_html_character_references_become_characters_also_without_semicolon(text, expected):
    assert clean_cell(text) == expected
