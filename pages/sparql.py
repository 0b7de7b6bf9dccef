"""SPARQL: the canned queries with forms for their parameters, and a free editor (Datasette-style).

The query is kept in the page URL (``?q=NAME&p_<param>=…`` or ``?q=custom&sparql=…``), so a
link shares it. Queries run through the same `graph.sandbox.QueryPool` as the endpoint:
read-only, with the time limit and the row cap of the settings.
"""

import datetime as dt
import json

import pandas as pd
import streamlit as st

from knotenpunkt.graph.catalogue import filter_options
from knotenpunkt.graph.errors import QueryError
from knotenpunkt.graph.exports import to_csv
from knotenpunkt.graph.queries import list_queries, prepare
from knotenpunkt.graph.sandbox import QueryPool, check_query
from knotenpunkt.graph.settings import get_setting
from knotenpunkt.pages.i18n import current_language, plain, t
from knotenpunkt.pages.state import cached_frames, current_data

__all__ = ["render"]

CUSTOM = "custom"
_EXAMPLE = ("SELECT ?measure ?title WHERE {\n  ?measure a kp:Measure ; dct:title ?title .\n}\nORDER BY ?title\nLIMIT 20")


@st.cache_resource(show_spinner=False)
def _pool(path):
    """One pool of query workers per app process and store."""
    return QueryPool(path, time_limit_ms=get_setting("query_time_limit_ms"), max_rows=get_setting("max_returned_rows"),
                     personal_data=get_setting("include_personal_data"))


def _options(path, version, param):
    """Choices for an IRI parameter (IRI → label), or None where a text field fits better."""
    frames = cached_frames(path, version)
    if param.name == "measure":
        return dict(sorted(zip(frames.measures["measure"], frames.measures["title"]), key=lambda kv: kv[1]))
    return filter_options(frames, current_language()).get(param.name)


def _param_input(path, version, param):
    """The widget of one parameter; its value is mirrored in the URL as ``p_<name>``."""
    key = "p_" + param.name
    given = st.query_params.get(key) or None
    label = f"{param.name} ({param.type}{', ' + t('sparql_optional') if param.optional else ''})"
    if param.type == "date":
        try:
            day = dt.date.fromisoformat(given) if given else None
        except ValueError:  # a shared link with a day that does not exist (2024-02-31)
            st.warning(t("sparql_bad_date").format(param=param.name, value=given))
            day = None
        value = st.date_input(label, value=day, format="DD.MM.YYYY", help=param.doc, key="sparql_" + key)
        return value.isoformat() if value else None
    if param.type == "IRI" and (options := _options(path, version, param)):
        choices = [None, *options]
        index = choices.index(given) if given in choices else 0
        return st.selectbox(label, choices, index=index, help=param.doc, key="sparql_" + key,
                            format_func=lambda iri: "–" if iri is None else options[iri])
    return st.text_input(label, value=given or "", help=param.doc, key="sparql_" + key) or None


def _show(answer, form):
    """Results as a table with CSV and JSON downloads (SELECT), a yes/no (ASK) or Turtle (CONSTRUCT)."""
    if form in ("CONSTRUCT", "DESCRIBE"):
        st.code(answer.body.decode("utf-8"), language="turtle")
        st.download_button(t("download_turtle"), answer.body, "knotenpunkt.ttl", "text/turtle")
    else:
        data = json.loads(answer.body)
        if "boolean" in data:
            st.metric(t("sparql_answer"), t("yes") if data["boolean"] else t("no"))
            return
        variables = data["head"]["vars"]
        table = pd.DataFrame([[b.get(v, {}).get("value") for v in variables] for b in data["results"]["bindings"]],
                             columns=variables)
        st.caption(t("sparql_rows").format(rows=answer.rows))
        st.dataframe(table, hide_index=True)
        left, right = st.columns(2)
        left.download_button(t("download_csv"), to_csv(table), "knotenpunkt.csv", "text/csv")
        right.download_button(t("download_json"), answer.body, "knotenpunkt.json", "application/sparql-results+json")
    if answer.truncated:
        st.warning(t("sparql_truncated").format(rows=answer.rows))


def render():
    """Draw the SPARQL page."""
    path, _, version = current_data()
    st.title(t("page_sparql"))
    st.caption(t("sparql_intro"))
    queries = {q.name: q for q in list_queries()}
    names = [*queries, CUSTOM]
    chosen = st.query_params.get("q", names[0])
    chosen = chosen if chosen in names else names[0]
    name = st.selectbox(t("sparql_choose"), names, index=names.index(chosen),
                        format_func=lambda n: t("sparql_custom") if n == CUSTOM else f"{n} – {queries[n].summary}")
    url = {"q": name}
    if name == CUSTOM:
        text = st.text_area(t("sparql_editor"), value=st.query_params.get("sparql", _EXAMPLE), height=220)
        url["sparql"] = text
        bindings = None
    else:
        query = queries[name]
        values = {p.name: _param_input(path, version, p) for p in query.params}
        url.update({"p_" + k: v for k, v in values.items() if v})
    run = st.button(t("sparql_run"), type="primary")
    if "lang" in st.query_params:
        url["lang"] = st.query_params["lang"]
    if dict(st.query_params) != url:
        st.query_params.from_dict(url)
    if not run:
        return
    try:
        if name != CUSTOM:
            text, bindings = prepare(name, values)
        form = check_query(text)
        media_type = "text/turtle" if form in ("CONSTRUCT", "DESCRIBE") else "application/sparql-results+json"
        answer = _pool(path).run(text, media_type, checked=True, bindings=bindings)
    except QueryError as e:
        st.error(plain(e))
        return
    _show(answer, form)
