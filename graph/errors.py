"""One exception hierarchy for the library; the views translate it for people."""

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


class KGError(Exception):
    """Base class of every error Knotenpunkt raises on purpose."""


class IngestError(KGError):
    """A file cannot be imported; says where (file, sheet, row, column) and why.

    Parameters
    ----------
    message : str
        What happened and what to do next.
    file, sheet, row, column : optional
        Where it happened; `row` is the row number as the spreadsheet shows it.
    code : str, optional
        A stable machine-readable code such as ``"not_a_workbook"``.
    template : dict, optional
        The mapping detected so far, for the user to edit (``--write-mapping``).
    """

    def __init__(self, message, *, file=None, sheet=None, row=None, column=None, code="ingest_error", template=None):
        self.file, self.sheet, self.row, self.column, self.code = file, sheet, row, column, code
        self.template = template
        self.detail = message
        where = ", ".join(
            f"{name} {value}"
            for name, value in (("Datei", file), ("Blatt", sheet), ("Zeile", row), ("Spalte", column))
            if value is not None
        )
        super().__init__(f"{where}: {message}" if where else message)


class ValidationError(KGError):
    """The data does not conform to the SHACL shapes; carries pySHACL's ``results_text``."""

    def __init__(self, message, results_text=""):
        self.results_text = results_text
        super().__init__(message)


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
