"""`knotenpunkt import` and `status` name the territory with its kind: Land, Landkreis, Stadt, or that it was not
recognised (with how to say it), in the setting's language."""

import pytest
from typer.testing import CliRunner

from knotenpunkt.cli import app

runner = CliRunner()

_CSV = ("Angebot;Träger;Zielgruppe;Ort\n"
        "Sprachcafé;AWO;Geflüchtete;Bergheim\n"
        "Deutschkurs;Caritas;Frauen;Talhausen\n")


def _import(tmp_path, name="angebote.csv", *args):
    path = tmp_path / name
    path.write_text(_CSV, encoding="utf-8")
    store = str(tmp_path / "store")
    result = runner.invoke(app, ["import", str(path), "--store", store, *args])
    assert result.exit_code == 0, result.output
    return result.output.splitlines(), store


@pytest.mark.parametrize("city, line", [
    ("Hessen", "Land: Hessen (angegeben)"),
    ("Landkreis Gießen", "Landkreis: Gießen (angegeben)"),
    ("Lahnau", "Stadt: Lahnau (angegeben)"),
    ("Region Hannover", "Region: Hannover (angegeben)"),
])
def test_import_names_the_territory_with_its_kind(tmp_path, city, line):
    lines, _ = _import(tmp_path, "angebote.csv", "--city", city, "--dry-run")
    assert line in lines


def test_a_lands_list_is_a_land_from_its_file_name_and_never_a_city(tmp_path):
    lines, _ = _import(tmp_path, "liste_der_vorhaben_hessen.csv", "--dry-run")
    assert "Land: Hessen (im Titel oder Dateinamen erkannt: „Hessen“)" in lines
    assert not [line for line in lines if line.startswith(("Stadt:", "Kommune:"))]


@pytest.mark.parametrize("city, shown", [("Hessen", "Land: Hessen"), ("Landkreis Gießen", "Landkreis: Gießen"),
                                         ("Lahnau", "Stadt: Lahnau")])
def test_status_and_an_import_not_done_again_name_the_stored_territory(tmp_path, city, shown):
    lines, store = _import(tmp_path, "angebote.csv", "--city", city)
    assert "Gespeichert." in lines
    again, _ = _import(tmp_path, "angebote.csv", "--city", city)  # nothing new: the kind comes from the store
    assert any(line.startswith("Keine Änderung") for line in again) and f"{shown} (angegeben)" in again
    status = runner.invoke(app, ["status", "--store", store])
    assert status.exit_code == 0 and status.output.splitlines()[0] == shown


def test_an_unknown_territory_says_how_to_give_it(tmp_path):
    lines, _ = _import(tmp_path, "angebote.csv", "--dry-run")
    assert ('Gebiet: nicht erkannt – bitte mit --city angeben, z. B. --city Wetzlar, --city "Landkreis Gießen"'
            ', --city Hessen oder für eine bundesweite Liste --city Deutschland') in lines


@pytest.mark.parametrize("given", ["Deutschland", "bundesweit", "Bund"])
def test_a_nationwide_list_is_about_the_federation(tmp_path, given):
    lines, _ = _import(tmp_path, "angebote.csv", "--dry-run", "--city", given)
    assert "Bund: Deutschland (angegeben)" in lines


@pytest.mark.parametrize("city, line", [("Hessen", "State: Hessen (given)"),
                                        ("Landkreis Gießen", "District: Gießen (given)"),
                                        ("Lahnau", "City: Lahnau (given)")])
def test_the_territory_line_in_english(tmp_path, monkeypatch, city, line):
    monkeypatch.setenv("KNOTENPUNKT_LANGUAGE", "en")
    lines, store = _import(tmp_path, "angebote.csv", "--city", city)
    assert line in lines
    status = runner.invoke(app, ["status", "--store", store])
    assert status.output.splitlines()[0] == line.split(" (")[0]


def test_status_of_an_empty_store_names_no_territory(tmp_path):
    status = runner.invoke(app, ["status", "--store", str(tmp_path / "store")])
    assert status.exit_code == 0, status.output
    assert status.output.splitlines()[0].startswith("measures:")
