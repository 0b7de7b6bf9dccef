"""One exception hierarchy for the library; each error writes its message from the text catalogue."""

from knotenpunkt.graph.texts import TEXTS, text

__all__ = [
    "KGError",
    "IngestError",
    "ValidationError",
    "StoreError",
    "QueryError",
    "QueryTimeout",
    "ServiceLimitError",
    "QueryMemoryError",
    "ReadOnlyError",
    "EmptyGraphError",
    "SettingError",
]


def _restore(cls, state):
    """Rebuild a pickled error (query workers send theirs to the parent process)."""
    error = cls.__new__(cls)
    error.__dict__.update(state)
    error.args = (state["key"],)
    return error


class KGError(Exception):
    """Base class of every error Knotenpunkt raises on purpose.

    The error carries a key of the text catalogue (``error.<key>`` in `graph.texts`) and the
    values of its placeholders, and writes its message in either language: ``str(e)`` in the
    setting ``language``, ``e.message("en")`` in English.

    Parameters
    ----------
    key : str
        The message, ``error.<key>`` in the catalogue.
    **params
        Values for the message's placeholders (names, numbers, settings).

    Examples
    --------
    >>> e = StoreError("store_read_only")
    >>> e.message("en").startswith("This access to the store is read-only")
    True
    """

    def __init__(self, key, /, **params):
        self.key, self.params = key, params
        super().__init__(key)

    def message(self, lang=None):
        """The message in `lang` (default: the setting ``language``).

        A key missing from the catalogue (a sentence passed by code not yet converted) is shown as
        it is rather than hiding the error behind a KeyError; ``tests/test_texts.py`` finds such calls.
        """
        if "error." + self.key not in TEXTS:
            return self.key
        return text("error." + self.key, lang, **self.params)

    def __str__(self):
        return self.message()

    def __reduce__(self):
        return _restore, (type(self), dict(self.__dict__))


class IngestError(KGError):
    """A file cannot be imported; says where (file, sheet, row, column) and why.

    Parameters
    ----------
    key : str
        What happened and what to do next: ``error.<key>`` in the text catalogue.
    file, sheet, row, column : optional
        Where it happened; `row` is the row number as the spreadsheet shows it.
    code : str, optional
        A stable machine-readable code such as ``"not_a_workbook"``.
    template : dict, optional
        The mapping detected so far, for the user to edit (``--write-mapping``).
    **params
        Values for the message's placeholders.
    """

    def __init__(self, key, /, *, file=None, sheet=None, row=None, column=None, code="ingest_error", template=None,
                 **params):
        super().__init__(key, **params)
        self.file, self.sheet, self.row, self.column, self.code = file, sheet, row, column, code
        self.template = template

    @property
    def detail(self):
        """The message without the place, in the setting ``language``."""
        return self.detail_in()

    def detail_in(self, lang=None):
        """The message without the place, in `lang`."""
        return super().message(lang)

    def message(self, lang=None):
        """Place and message in `lang`: ``Datei a.xlsx, Blatt B, Zeile 3: …``."""
        where = ", ".join(text("error.where_" + name, lang, value=value)
                          for name, value in (("file", self.file), ("sheet", self.sheet), ("row", self.row),
                                              ("column", self.column))
                          if value is not None)
        detail = self.detail_in(lang)
        return f"{where}: {detail}" if where else detail


class ValidationError(KGError):
    """The data does not conform to the SHACL shapes; carries pySHACL's ``results_text``."""

    def __init__(self, key, results_text="", /, **params):
        super().__init__(key, **params)
        self.results_text = results_text


class StoreError(KGError):
    """The store cannot be opened, written, backed up or restored."""


class QueryError(KGError):
    """A query is malformed, unknown, or not allowed (an update, SERVICE, LOAD, FROM)."""


class ReadOnlyError(QueryError):
    """A SPARQL update was sent where only reading is allowed."""


class QueryTimeout(QueryError):
    """A query ran longer than the time limit."""


class ServiceLimitError(QueryError):
    """A limit of the service, not a fault of the query text, stopped it (HTTP 503)."""


class QueryMemoryError(ServiceLimitError):
    """A query needed more memory than its worker may use (setting ``query_memory_mb``)."""


class SettingError(KGError):
    """A setting has a value of the wrong kind; names the setting and its variable."""


class EmptyGraphError(KGError):
    """An analysis needs a graph with nodes and got an empty one."""
