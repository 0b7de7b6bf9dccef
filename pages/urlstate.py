"""Widget values in the address bar, so that a link reproduces a view (filters, colour, size, focus)."""

import datetime as dt

import streamlit as st

__all__ = ["token", "restore", "publish"]


def token(iri):
    """The short, readable form of an IRI in an address: its last path segment."""
    return str(iri).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _decode(raw, kind, options):
    by_token = {token(o): o for o in options or ()}
    if kind == "many":
        return [by_token[t] for t in raw.split(",") if t in by_token] or None
    if kind == "one":
        return by_token.get(raw)
    if kind == "date":
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            return None
    if kind == "int":
        return int(raw) if raw.isdigit() else None
    return raw if not options or raw in options else None


def _encode(value, kind):
    if value in (None, "", []):
        return None
    if kind == "many":
        return ",".join(token(v) for v in value)
    if kind == "one":
        return token(value)
    if kind == "date":
        return value.isoformat()
    return str(value)


def restore(spec):
    """Fill widget state from the address once per session and page (the address wins over defaults).

    Parameters
    ----------
    spec : dict
        Widget key → (URL parameter, kind, options): kind ``many`` (list of IRIs), ``one``
        (one IRI), ``date``, ``int`` or ``text`` (one of `options` when given).
    """
    for key, (param, kind, options) in spec.items():
        raw = st.query_params.get(param)
        if key in st.session_state or raw is None:
            continue
        value = _decode(raw, kind, options)
        if value is not None:
            st.session_state[key] = value


def publish(spec):
    """Write the current widget values into the address (empty ones removed, other parameters kept)."""
    for key, (param, kind, _) in spec.items():
        encoded = _encode(st.session_state.get(key), kind)
        if encoded is None:
            if param in st.query_params:
                del st.query_params[param]
        elif st.query_params.get(param) != encoded:
            st.query_params[param] = encoded
