"""Session-state keys, the shared store handle and cached results (app side only)."""

import datetime as dt

import streamlit as st

from knotenpunkt.graph import network
from knotenpunkt.graph.analysis import analyse
from knotenpunkt.graph.catalogue import filter_options, load_measure_texts, measure_table
from knotenpunkt.graph.decisions import merge_names, other_names
from knotenpunkt.graph.errors import EmptyGraphError
from knotenpunkt.graph.extract import load_frames
from knotenpunkt.graph.queries import run_query
from knotenpunkt.graph.settings import get_setting
from knotenpunkt.graph.store import open_store
from knotenpunkt.graph.versions import diff
from knotenpunkt.graph.viz import compute_layout
from knotenpunkt.ingest.territory import stored_territories
from knotenpunkt.pages.i18n import t

__all__ = ["Keys", "init_session_state", "get_store", "cached_counts", "cached_analysis", "cached_frames",
           "cached_layout", "cached_centralities", "cached_communities", "cached_names", "cached_raw_names",
           "cached_territories", "territory_kind", "current_data",
           "require_data", "cached_diff", "cached_texts", "cached_measure_table", "cached_filter_options"]


class Keys:
    """Names of the session-state entries."""

    STORE_PATH = "store_path"
    AT = "at"  # the day the analyses look at (sidebar)
    IMPORT_DIR = "import_dir"  # temporary folder of this session's uploads
    IMPORT_PLAN = "import_plan"  # the planned import waiting for a commit
    IMPORT_FILES = "import_files"  # names and sizes of the files the plan was made from
    IMPORT_MAPPING = "import_mapping"  # the user's answers (columns, values, organisations)
    IMPORT_RESULT = "import_result"  # what the last commit wrote
    IMPORT_FIX = "import_fix"  # a sheet whose needed columns were not recognised: its headers, for the editor
    MEASURE = "measure"  # measure shown in detail
    ORGANISATION = "organisation"  # organisation shown on its profile


def init_session_state():
    """Fill session state with defaults once per session."""
    st.session_state.setdefault(Keys.STORE_PATH, get_setting("store"))
    st.session_state.setdefault(Keys.AT, dt.date.today())
    st.session_state.setdefault(Keys.IMPORT_MAPPING, {})


@st.cache_resource(show_spinner=False)
def get_store(path):
    """One read-only store handle per process and path; it follows commits of any writer.

    Pages write (commit an import, record a decision) with ``graph.store.writing(path)``.
    """
    return open_store(path)


def current_data():
    """The store path, the store handle and its data version (the cache key of everything below)."""
    path = st.session_state[Keys.STORE_PATH]
    store = get_store(path)
    return path, store, store.data_version()


def require_data(path, data_version, *, organisations=False):
    """Stop the page with a hint to import when the store holds no measures yet; a page about `organisations`
    also shows a store of organisations alone (a list of initiatives)."""
    counts = cached_counts(path, data_version)
    if counts["measures"] or organisations and counts["organisations"]:
        return
    st.info(t("no_measures").format(count=counts["organisations"]) if counts["organisations"] else t("no_data"))
    st.stop()


@st.cache_data(show_spinner=False)
def cached_counts(path, data_version):
    """Key figures of the store (the summary: counted at import, again at each decision or correction)."""
    return dict(run_query(get_store(path), "count_inventory")[0])


@st.cache_data(show_spinner=False)
def cached_territories(path, data_version):
    """The territories the store holds, with their kind (`ingest.territory.stored_territories`)."""
    return stored_territories(get_store(path))


def territory_kind(path, data_version):
    """The kind of the store's territory as the texts name it (`City.kind_key`): "stadt" for a store without
    one (the words as before), "other" for a store of several."""
    territories = cached_territories(path, data_version)
    return territories[0].kind_key if len(territories) == 1 else "other" if territories else "stadt"


@st.cache_data(max_entries=8, show_spinner=False)
def cached_analysis(path, data_version, at):
    """The analysis of the store for one day (the store caches it too, by data version)."""
    return analyse(get_store(path), start=at)


@st.cache_resource(max_entries=2, show_spinner=False)
def cached_frames(path, data_version):
    """The tables the analyses read (shared, read-only; they keep derived results such as the graph)."""
    return load_frames(get_store(path))


@st.cache_data(max_entries=4, show_spinner=False)
def cached_layout(path, data_version):
    """Positions of every organisation of the whole network, computed once per data version."""
    return compute_layout(network.build_cooperation_graph(cached_frames(path, data_version)))


@st.cache_data(max_entries=4, show_spinner=False)
def cached_centralities(path, data_version):
    """Degree, betweenness, closeness and eigenvector centrality of every organisation (None if none)."""
    try:
        return network.centralities(network.build_cooperation_graph(cached_frames(path, data_version)))
    except EmptyGraphError:
        return None


@st.cache_data(max_entries=4, show_spinner=False)
def cached_communities(path, data_version):
    """Organisation → the number of its community (1 = largest)."""
    G = network.build_cooperation_graph(cached_frames(path, data_version))
    return {n: i + 1 for i, group in enumerate(network.find_communities(G)) for n in group}


@st.cache_data(max_entries=4, show_spinner=False)
def cached_names(path, data_version):
    """Organisation → the other names it appears under."""
    return merge_names(cached_raw_names(path, data_version), cached_frames(path, data_version))


@st.cache_data(max_entries=4, show_spinner=False)
def cached_raw_names(path, data_version):
    """Organisation → the other names it appears under in the imported data (no decision applied)."""
    return other_names(get_store(path))


@st.cache_data(max_entries=4, show_spinner=False)
def cached_texts(path, data_version):
    """Description, languages, schedule and values kept as text of every measure (`load_measure_texts`)."""
    return load_measure_texts(get_store(path))


@st.cache_data(max_entries=4, show_spinner=False)
def cached_measure_table(path, data_version, lang):
    """Every measure as a row of the Angebote table (`graph.catalogue.measure_table`, texts included);
    the page filters its rows, so a filter costs no new table."""
    return measure_table(cached_frames(path, data_version), lang=lang, texts=cached_texts(path, data_version))


@st.cache_data(max_entries=4, show_spinner=False)
def cached_filter_options(path, data_version, lang):
    """The values each measure filter offers (`graph.catalogue.filter_options`)."""
    return filter_options(cached_frames(path, data_version), lang)


@st.cache_data(max_entries=4, show_spinner=False)
def cached_diff(path, data_version, at):
    """What changed since the version before the latest import (`graph.versions.diff`: organisation
    decisions are no change of the data)."""
    return diff(get_store(path), day=at, frames=cached_frames(path, data_version))
