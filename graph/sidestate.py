"""The side state an import keeps beside the data: remembered mapping and organisation decisions.

Both the importer (`ingest`) and the analyses (`graph.analysis`) need it, so it lives in the
core. The documents are written through the store facade (`graph.store.Store.write_json`),
inside the import's transaction: they switch with the data they belong to. The versions of
the inventory are the third kind of side state (`graph.versions`).
"""

__all__ = ["REMEMBERED", "LAST_ORGANISATIONS", "load_remembered", "remember", "last_organisations",
           "decide_organisations"]

REMEMBERED = "mapping.json"  # the user's mapping: columns, values, organisation decisions
LAST_ORGANISATIONS = "organisations.json"  # merges and open proposals of the last committed import


def load_remembered(store):
    """The mapping the store kept from the last import and from decisions in the app.

    Examples
    --------
    >>> from knotenpunkt.graph.store import Store
    >>> load_remembered(Store())
    {}
    """
    return store.read_json(REMEMBERED, {})


def remember(store, mapping, organisations=None):
    """Keep `mapping` for the next import, and the organisation results of this one (in the store's transaction)."""
    with store.transaction():
        store.write_json(REMEMBERED, mapping)
        if organisations is not None:
            store.write_json(LAST_ORGANISATIONS, organisations)


def last_organisations(store):
    """Merges and open proposals of the last committed import; each ``reason`` is ``{"de": …, "en": …}`` (a plain
    string in a store written before the reasons were translated), for `graph.texts.say`."""
    return store.read_json(LAST_ORGANISATIONS, {"merged": [], "proposals": []})


def decide_organisations(store, a, b, verdict):
    """Record the user's decision that names `a` and `b` are the same organisation or different ones.

    The decision replaces an earlier one on the same pair and takes effect at the next
    import (also of other files).

    Parameters
    ----------
    verdict : {"same", "different"}

    Examples
    --------
    >>> from knotenpunkt.graph.store import Store
    >>> g = Store()
    >>> decide_organisations(g, "AWO", "Arbeiterwohlfahrt", "same")
    >>> load_remembered(g)["organisations"]["same"]
    [['AWO', 'Arbeiterwohlfahrt']]
    """
    if verdict not in ("same", "different"):
        raise ValueError(verdict)
    mapping = load_remembered(store)
    decisions = mapping.setdefault("organisations", {})
    pair = frozenset((a, b))
    for key in ("same", "different"):
        decisions[key] = [p for p in decisions.get(key, []) if frozenset(p) != pair]
    decisions[verdict].append([a, b])
    remember(store, mapping)
