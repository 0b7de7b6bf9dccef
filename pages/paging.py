"""A search box and page numbers for long lists (Dubletten at 10,000 measures: hundreds of groups)."""

import math

import streamlit as st

from knotenpunkt.pages.i18n import t

__all__ = ["PAGE_SIZE", "search_and_page", "page_slice"]

PAGE_SIZE = 20


def page_slice(items, page, size=PAGE_SIZE):
    """The items of page `page` (1-based, clipped to the pages there are) and the number of pages.

    Examples
    --------
    >>> page_slice(list(range(45)), 3, 20)
    ([40, 41, 42, 43, 44], 3)
    >>> page_slice([], 1, 20)
    ([], 1)
    """
    pages = max(1, math.ceil(len(items) / size))
    page = min(max(1, page), pages)
    return items[(page - 1) * size:page * size], pages


def search_and_page(items, key, *, text=lambda item: str(item), size=PAGE_SIZE):
    """Draw a search box and, when needed, a page number; return the items to show on this page.

    Parameters
    ----------
    items : list
    key : str
        Prefix of the widgets' keys.
    text : callable
        The searchable text of an item.
    """
    query = st.text_input(t("filter_text"), key=f"{key}_search").strip().lower()
    if query:
        items = [item for item in items if all(word in text(item).lower() for word in query.split())]
    if not items:
        if query:
            st.caption(t("nothing_matches"))
        return []
    pages = max(1, math.ceil(len(items) / size))
    page = st.number_input(t("page_number"), 1, pages, 1, key=f"{key}_page") if pages > 1 else 1
    shown, _ = page_slice(items, page, size)
    first = (min(page, pages) - 1) * size + 1
    st.caption(t("showing").format(first=first, last=first + len(shown) - 1, total=len(items)))
    return shown
