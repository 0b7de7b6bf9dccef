"""Session-state keys, the shared store handle and cached query results (app side only)."""

import streamlit as st

from graph.analysis import analyse
from graph.queries import run_query
from graph.settings import get_setting
from graph.store import Store

__all__ = ["Keys", "init_session_state", "get_store", "cached_counts", "cached_analysis"]


class Keys:
    """Names of the session-state entries."""

    STORE_PATH = "store_path"


def init_session_state():
    """Fill session state with defaults once per session."""
    st.session_state.setdefault(Keys.STORE_PATH, get_setting("store"))


@st.cache_resource
def get_store(path):
    """One read-only store handle per process and path; it follows commits of any writer.

    Pages write (commit an import, record a decision) with ``graph.store.writing(path)``.
    """
    return Store.reader(path)


@st.cache_data
def cached_counts(path, data_version):
    """Key figures of the store; recomputed when the data version changes."""
    return run_query(get_store(path), "count_inventory")[0]


@st.cache_data
def cached_analysis(path, data_version):
    """The analysis of the store for today (the store caches it too, by data version)."""
    return analyse(get_store(path))
