"""The README documents every setting and command; every canned query has a proper header."""

import pytest

from knotenpunkt.graph.queries import list_queries
from knotenpunkt.graph.settings import SETTINGS
from tests.conftest import ROOT
from tests.test_cli import COMMANDS

README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("setting", [s.name for s in SETTINGS])
def test_every_setting_is_in_the_readme(setting):
    assert f"`{setting}`" in README


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_readme(command):
    assert f"knotenpunkt {command}" in README


def test_every_query_has_summary_and_returns_and_parses(store):
    queries = list_queries()
    assert queries
    for q in queries:
        assert q.summary and q.returns
        store.query(q.text)  # parses (and runs) without error


def test_every_dependency_is_explained_in_the_readme():
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            assert f"| {name} {version} |" in README, name
