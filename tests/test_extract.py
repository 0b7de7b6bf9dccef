"""The analyses' frames: kept beside the data at import (Parquet), reused while the data is unchanged."""

import pandas as pd
import pytest

from knotenpunkt.graph.corrections import correct_measure
from knotenpunkt.graph.extract import FRAMES, query_frames, frames_key, load_frames, read_frames
from knotenpunkt.graph.store import Store
from knotenpunkt.ingest.importer import import_files

_TABLES = ("measures", "links", "ancestors", "districts", "cooperations", "memberships", "organisations")


@pytest.fixture(scope="module")
def imported(tmp_path_factory, sample_workbook):
    path = tmp_path_factory.mktemp("frames") / "store"
    store = Store(path)
    import_files([sample_workbook], store)
    store.close()
    return path


def test_the_import_keeps_the_frames_of_its_data(imported):
    reader = Store(imported, read_only=True)
    index = reader.read_json(f"{FRAMES}.json", None)
    assert index["key"] == frames_key(reader)
    assert (imported / "generations" / reader.generation / f"{FRAMES}.measures.parquet").is_file()


def test_kept_frames_equal_the_queried_ones_with_their_types(imported):
    reader = Store(imported, read_only=True)
    kept, queried = read_frames(reader), query_frames(reader)
    for name in _TABLES:
        pd.testing.assert_frame_equal(getattr(kept, name), getattr(queried, name))
    assert kept.labels == queried.labels
    assert {type(d) for d in kept.measures["start"].dropna()} == {type(d) for d in queried.measures["start"].dropna()}


def test_frames_are_not_reused_for_other_data(imported, monkeypatch):
    reader = Store(imported, read_only=True)
    monkeypatch.setattr("knotenpunkt.graph.extract.frames_key", lambda store: "another version of the data")
    calls = []
    real = query_frames
    monkeypatch.setattr("knotenpunkt.graph.extract.query_frames", lambda store: calls.append(1) or real(store))
    read_frames(reader)
    assert calls == [1]


def test_hiding_personal_data_keeps_the_frames_usable(imported):
    assert frames_key(Store(imported, read_only=True, personal_data=False)) == \
        frames_key(Store(imported, read_only=True))


def test_corrections_still_apply_over_kept_frames(tmp_path, sample_workbook):
    store = Store(tmp_path / "store")
    import_files([sample_workbook], store)
    measure = load_frames(store).measures["measure"].iloc[0]
    correct_measure(store, measure, {"title": "Korrigierter Titel"})
    assert store.read_tables(FRAMES, frames_key(store)) is not None  # the correction left the data as it was
    frames = load_frames(store)
    assert set(frames.measures.loc[frames.measures["measure"] == measure, "title"]) == {"Korrigierter Titel"}


def test_a_memory_store_keeps_frames_too(sample_workbook):
    store = Store()
    import_files([sample_workbook], store)
    assert store.read_tables(FRAMES, frames_key(store)) is not None
