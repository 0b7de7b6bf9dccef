"""Every setting in one table; the CLI, the app and the README are built from it.

A setting's value comes from, in rising order of precedence: its default, the
environment variable ``KNOTENPUNKT_<NAME>`` (upper case), and an explicit override
passed by the caller (a CLI flag).
"""

import os
from dataclasses import dataclass
from pathlib import Path

from knotenpunkt.graph.errors import SettingError
from knotenpunkt.graph.texts import Phrase

__all__ = ["Setting", "SETTINGS", "get_setting", "default_store_path"]

_CHOICES = {"query_network_isolation": ("auto", "required", "off"), "language": ("de", "en")}


@dataclass(frozen=True)
class Setting:
    """One setting: its name, default and a one-line help text (in English; ``cli.setting.<name>`` in the
    catalogue has it in German too, for `knotenpunkt settings`)."""

    name: str
    default: object
    help: str

    @property
    def env_var(self):
        """The environment variable that overrides the default."""
        return "KNOTENPUNKT_" + self.name.upper()


def default_store_path():
    """Where the on-disk store lives unless told otherwise: ``$XDG_DATA_HOME/knotenpunkt/store``."""
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return str(Path(base) / "knotenpunkt" / "store")


SETTINGS = (
    Setting("store", default_store_path(), "Directory of the on-disk store (one process owns it)."),
    Setting("sparql_endpoint", "", "URL of an external SPARQL 1.1 endpoint to use instead of the embedded store."),
    Setting("graph_store_endpoint", "", "Graph Store Protocol URL of that server for writes; empty: its sibling path `store`."),
    Setting("query_time_limit_ms", 10_000, "Time limit for one SPARQL query, in milliseconds."),
    Setting("max_returned_rows", 10_000, "Most rows a SPARQL query returns before it is truncated."),
    Setting("max_request_bytes", 1_048_576, "Largest SPARQL request body the endpoint accepts, in bytes."),
    Setting("query_memory_mb", 2048, "Address-space limit of one query worker, in MB (0: none)."),
    Setting("query_network_isolation", "auto", "Cut query workers off the network: auto (where Linux allows), required, or off."),
    Setting("backend_timeout_s", 0, "The query timeout the SPARQL server enforces itself (oxigraph serve --timeout-s); 0: unknown."),
    Setting("idle_timeout_s", 30, "Seconds the endpoint keeps an idle or slow connection open."),
    Setting("cors_origins", "", "Comma-separated origins allowed to call the endpoint from a browser; empty: none."),
    Setting("host", "127.0.0.1", "Address the SPARQL endpoint binds to."),
    Setting("port", 7878, "Port of the SPARQL endpoint."),
    Setting("include_personal_data", False, "Show contact persons, e-mails and phone numbers in exports and at the endpoint."),
    Setting("max_file_mb", 50, "Largest file the importer reads, in MB."),
    Setting("max_unpacked_mb", 300, "Largest unpacked size of a workbook, in MB (zip-bomb guard)."),
    Setting("max_cells", 2_000_000, "Most cells the importer reads from one file."),
    Setting("max_columns", 1000, "Most columns of one sheet the importer reads."),
    Setting("max_cell_chars", 100_000, "Longest cell text the importer reads, in characters."),
    Setting("fuzzy_threshold", 85, "Lowest fuzzy score (0–100) at which free text is mapped to a concept, with a warning."),
    Setting("org_merge_threshold", 90, "Lowest score (0–100) at which two organisation names are proposed as one."),
    Setting("language", "de", "Language of messages and labels: de or en."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def get_setting(name, override=None):
    """Return the value of setting `name`.

    Parameters
    ----------
    name : str
        A name from `SETTINGS`.
    override : optional
        A value given explicitly (a CLI flag); wins when not None.

    Returns
    -------
    object
        The value, converted to the type of the default.

    Raises
    ------
    KeyError
        If `name` is not a setting.
    SettingError
        If the value does not fit the setting (a word for a number, a negative size, an
        unknown choice); the message names the setting and its environment variable.

    Examples
    --------
    >>> get_setting("port", override="8000")
    8000
    """
    setting = _BY_NAME[name]
    raw = override if override is not None else os.environ.get(setting.env_var)
    if raw is None:
        return setting.default
    kind = type(setting.default)
    source = (Phrase("error.setting_source", name=setting.name) if override is not None
              else Phrase("error.setting_source_env", name=setting.name, env=setting.env_var))
    if kind is bool:
        if isinstance(raw, bool):
            return raw
        word = str(raw).strip().lower()
        if word not in {"1", "true", "yes", "ja", "on", "0", "false", "no", "nein", "off", ""}:
            raise SettingError("setting_not_bool", raw=raw, source=source)
        return word in {"1", "true", "yes", "ja", "on"}
    if kind is int:
        try:
            value = raw if isinstance(raw, int) else int(str(raw).strip())
        except ValueError:
            raise SettingError("setting_not_int", raw=raw, source=source) from None
        if value < 0 or (setting.name == "port" and value > 65535):
            raise SettingError("setting_port_range" if setting.name == "port" else "setting_negative", value=value,
                               source=source)
        return value
    value = kind(raw)
    if setting.name in _CHOICES and value not in _CHOICES[setting.name]:
        raise SettingError("setting_choice", raw=raw, source=source, choices=", ".join(_CHOICES[setting.name]))
    return value
