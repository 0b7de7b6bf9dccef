"""Import: upload workbooks, review what the importer detected and decide, then commit in one transaction."""

import shutil
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from knotenpunkt.graph.errors import IngestError, KGError, ValidationError
from knotenpunkt.graph.store import writing
from knotenpunkt.ingest import review
from knotenpunkt.ingest.importer import commit_import, plan_import
from knotenpunkt.ingest.mapping import merge
from knotenpunkt.ingest.read import cell_text, read_file
from knotenpunkt.ingest.headers import ROLES
from knotenpunkt.ingest.text import clean_cell, normalize_label
from knotenpunkt.graph.exports import to_csv
from knotenpunkt.graph.texts import say
from knotenpunkt.pages.i18n import column_labels, current_language, plain, role_label, t
from knotenpunkt.pages.state import Keys, current_data

__all__ = ["render"]

_KEEP_TEXT = ""  # the choice "keep as text" in the value editor
_STATUSES = ("imported", "warning", "rejected")


def _save_uploads(files):
    """Write the uploaded files into this session's temporary folder, keeping their names."""
    folder = Path(st.session_state.setdefault(Keys.IMPORT_DIR, tempfile.mkdtemp(prefix="knotenpunkt-upload-")))
    paths = []
    for file in files:
        target = folder / Path(file.name).name
        target.write_bytes(file.getvalue())
        paths.append(target)
    return paths


def _plan(store, files, mapping):
    """Plan the import of the uploaded files with a progress bar; keep the plan in the session.

    A sheet whose needed columns are not recognised does not stop here: its headers go to
    the column editor (`_fix_columns`), which plans again with the user's roles.
    """
    bar = st.progress(0.0, text=t("import_reading"))
    paths = _save_uploads(files)
    st.session_state.pop(Keys.IMPORT_FIX, None)
    st.session_state.pop(Keys.IMPORT_PLAN, None)
    try:
        plan = plan_import(paths, store, mapping=mapping,
                           progress=lambda fraction, text: bar.progress(min(fraction, 1.0), text=text.message(current_language())))
        bar.progress(0.95, text=t("import_validating"))
        plan.validate()
    except IngestError as e:
        bar.empty()
        headers = _headers_of(paths, e) if e.code in ("missing_header", "duplicate_header") else None
        sheet = e.sheet
        if headers is None and e.code == "no_table" and (e.template or {}).get("columns"):
            sheet, columns = next(iter(e.template["columns"].items()))  # the headers found, none of them known
            headers = list(columns)
        if headers is None:
            st.error(e.message(current_language()))
            st.stop()
        st.session_state[Keys.IMPORT_FIX] = {"file": e.file, "sheet": sheet, "row": e.row,
                                             "column": getattr(e, "role", None) or e.column,
                                             "code": e.code, "headers": headers}
        return
    except KGError as e:
        bar.empty()
        st.error(e.message(current_language()))
        st.stop()
    bar.empty()
    st.session_state[Keys.IMPORT_PLAN] = plan


def _headers_of(paths, error):
    """The header cells of the row an import error points at, or None when they cannot be read."""
    try:
        path = next(p for p in paths if p.name == error.file) if error.file else paths[0]
        sheet = next(sh for sh in read_file(path).sheets if error.sheet in (None, sh.name))
        cells = sheet.rows[(error.row or 1) - 1]
    except (StopIteration, IndexError, KGError, OSError):
        return None
    headers = [clean_cell(cell_text(c)) for c in cells]
    return [h for h in headers if h] or None


def _clear_editors():
    """Forget the editors' state, so that they start from the new plan."""
    for key in [k for k in st.session_state if str(k).startswith(("columns_", "kind_", "values_", "import_proposals",
                                                                   "import_fix_"))]:
        del st.session_state[key]


def _guess_role(header, kind):
    """The role whose synonyms name this header exactly (normalised), or ""."""
    key = normalize_label(header)
    return next((role for role, synonyms in ROLES[kind].items() if key in {normalize_label(s) for s in synonyms}), "")


def _fix_columns(store, files):
    """The column editor for a sheet whose needed columns were not recognised: choose roles, read again."""
    fix = st.session_state[Keys.IMPORT_FIX]
    needed = role_label(fix["column"]) if fix.get("column") else ""
    st.warning(plain(t("import_fix_" + fix["code"]).format(sheet=fix["sheet"] or fix["file"], row=fix["row"],
                                                            role=needed)))
    kinds = list(ROLES)
    forced = st.session_state[Keys.IMPORT_MAPPING].get("kinds", {}).get(fix["sheet"], "measures")
    kind = st.selectbox(t("import_fix_kind"), kinds, index=kinds.index(forced), format_func=lambda k: t("kind_" + k),
                        key="import_fix_kind")
    roles = list(ROLES[kind])
    labels = {role_label(r): r for r in roles}
    known = st.session_state[Keys.IMPORT_MAPPING].get("columns", {}).get(fix["sheet"], {})
    guessed = {h: known.get(h) if known.get(h) in roles else _guess_role(h, kind) for h in fix["headers"]}
    table = pd.DataFrame({"header": fix["headers"],
                          "role": [role_label(guessed[h]) if guessed[h] else t("role_none") for h in fix["headers"]]})
    edited = st.data_editor(table, hide_index=True, key=f"import_fix_{kind}", disabled=["header"],
                            column_config={"header": st.column_config.TextColumn(t("col_header")),
                                           "role": st.column_config.SelectboxColumn(t("col_role"),
                                                                                    options=[t("role_none"), *labels])})
    st.caption(t("import_fix_help"))
    if st.button(t("import_replan"), key="import_fix_replan", type="primary"):
        chosen = {r.header: labels[r.role] for r in edited.itertuples() if r.role in labels}
        mapping = merge(st.session_state[Keys.IMPORT_MAPPING],
                        {"columns": {fix["sheet"]: chosen}, "kinds": {fix["sheet"]: kind}})
        st.session_state[Keys.IMPORT_MAPPING] = mapping
        _plan(store, files, mapping)
        st.rerun()


def _territory(store, files, plan):
    """The territory the import is about, with its kind ("Land: Hessen"), and the rows read; when the files do
    not say it, a field to name it, and the files are read again with it."""
    st.info(plain(t("import_city").format(territory=say(plan.city.phrase(), current_language()),
                                          rows=plan.counts["rows"])))
    if plan.city.known:
        return
    st.warning(t("import_city_unknown"))
    if given := clean_cell(st.text_input(t("import_city_input"), key="import_city_input")):
        st.session_state[Keys.IMPORT_MAPPING] = merge(st.session_state[Keys.IMPORT_MAPPING], {"city": given})
        _plan(store, files, st.session_state[Keys.IMPORT_MAPPING])
        st.rerun()


def _columns(plan):
    """The detected sheets and the editable column mapping of each used sheet."""
    st.subheader(t("import_sheets"))
    sheets = review.sheet_table(plan, current_language())
    sheets["kind"] = sheets["kind"].map(lambda kind: t("kind_" + kind) if kind else "")
    st.dataframe(sheets.rename(columns=column_labels(sheets.columns)), hide_index=True)
    edited, kinds = {}, {}
    for sheet, (detected, table) in review.column_table(plan).items():
        unmapped = (table["role"] == "").any()
        with st.expander(f"{t('import_columns')}: {plain(sheet)} ({t('kind_' + detected)})", expanded=bool(unmapped)):
            options = list(ROLES)
            kind = st.selectbox(t("import_fix_kind"), options, index=options.index(detected), key=f"kind_{sheet}",
                                format_func=lambda k: t("kind_" + k))
            if kind != detected:
                kinds[sheet] = kind
            labels = {role_label(r): r for r in review.column_roles(kind)}
            shown = table.assign(role=table["role"].map(lambda r: role_label(r) if r in review.column_roles(kind) else t("role_none")))
            result = st.data_editor(
                shown, hide_index=True, key=f"columns_{sheet}_{kind}", disabled=["header"],
                column_config={"header": st.column_config.TextColumn(t("col_header")),
                               "role": st.column_config.SelectboxColumn(t("col_role"), options=[t("role_none"), *labels])})
            if unmapped:
                st.caption(t("import_columns_help"))
        edited[sheet] = result.assign(role=result["role"].map(lambda label: labels.get(label, "")))
    return edited, kinds


def _values(plan, store, lang):
    """The free-text values to decide, one editor per kind of value; returns the decisions."""
    values = review.value_table(plan, lang)
    st.subheader(t("import_values").format(count=len(values)))
    if values.empty:
        return values
    st.caption(t("import_values_help"))
    decided = []
    for role, group in values.groupby("role", sort=False):
        options = review.concept_options(plan, store, role, lang)
        by_label = {label: iri for iri, label in options.items()}
        first = group["concept"].map(lambda iri: options.get(iri, _KEEP_TEXT))
        shown = group.assign(choice=first, how=group["how"].map(lambda how: t("how_" + how)),
                             suggestions=group["explanation"].where(group["explanation"] != "", group["suggestions"]))
        edited = st.data_editor(
            shown[["text", "how", "suggestions", "rows", "choice"]], hide_index=True, key=f"values_{role}",
            disabled=["text", "how", "suggestions", "rows"],
            column_config={"text": t("col_text"), "how": t("col_how"), "suggestions": t("col_suggestions"),
                           "rows": t("col_rows"),
                           "choice": st.column_config.SelectboxColumn(t("role_" + role), options=[_KEEP_TEXT, *by_label])})
        # A value read from its wording stays as read (it may name two concepts) unless the user changes it.
        keep = group["how"].isin(["fuzzy", "unmapped"]).to_numpy() | (edited["choice"] != first).to_numpy()
        decided.append(pd.DataFrame({"role": role, "text": edited["text"][keep],
                                     "concept": edited["choice"][keep].map(lambda label: by_label.get(label))}))
    return pd.concat(decided, ignore_index=True)


def _proposals(plan, lang):
    """Organisation names that may be the same organisation, to confirm, reject or set back to open.

    The pairs decided in this session stay listed with their decision (a merged pair is no longer a
    proposal of the plan), so that setting one back to "offen" undoes it.
    """
    proposals = review.proposal_table(plan, lang)
    decided = st.session_state[Keys.IMPORT_MAPPING].get("organisations", {})
    verdict_of = {frozenset(p): v for v in ("same", "different") for p in decided.get(v, [])}
    listed = {frozenset((r.a, r.b)) for r in proposals.itertuples()}
    extra = [{"a": a, "b": b, "score": None, "reason": ""} for pair, v in verdict_of.items() if pair not in listed
             for a, b in [sorted(pair)]]
    proposals = pd.concat([proposals, pd.DataFrame(extra, columns=proposals.columns)], ignore_index=True)
    st.subheader(t("org_proposals").format(count=len(proposals)))
    if proposals.empty:
        return [], []
    st.caption(t("import_proposals_help"))
    choices = {"": t("open"), "same": t("same"), "different": t("different")}
    shown = proposals.assign(
        decision=[choices[verdict_of.get(frozenset((r.a, r.b)), "")] for r in proposals.itertuples()],
        score=proposals["score"].map(lambda v: "" if pd.isna(v) else f"{round(float(v))} %"))
    edited = st.data_editor(shown, hide_index=True, key="import_proposals", disabled=["a", "b", "score", "reason"],
                            column_config={"a": t("col_name_a"), "b": t("col_name_b"), "score": t("score"),
                                           "reason": t("col_reason"),
                                           "decision": st.column_config.SelectboxColumn(t("col_decision"),
                                                                                        options=list(choices.values()))})
    pairs = {verdict: [(r.a, r.b) for r in edited.itertuples() if r.decision == choices[verdict]]
             for verdict in ("same", "different")}
    return pairs["same"], pairs["different"]


def _replan(store, files, columns, values, kinds, same, different):
    """Read the files again with the answers in the editors; the organisation decisions replace earlier ones."""
    answers = review.build_mapping(columns=columns, values=values, same=same, different=different)
    if kinds:
        answers["kinds"] = kinds
    base = {k: v for k, v in st.session_state[Keys.IMPORT_MAPPING].items() if k != "organisations"}
    st.session_state[Keys.IMPORT_MAPPING] = merge(base, answers)
    _clear_editors()
    _plan(store, files, st.session_state[Keys.IMPORT_MAPPING])
    st.rerun()


def _decisions_changed(same, different):
    """Whether the organisation decisions in the editor differ from those the plan was read with."""
    before = st.session_state[Keys.IMPORT_MAPPING].get("organisations", {})
    now = {"same": same, "different": different}
    return any({frozenset(p) for p in before.get(v, [])} != {frozenset(p) for p in now[v]} for v in now)


def _rows(plan, lang):
    """The report on every row: filter by status and sheet, download as CSV."""
    rows = review.row_table(plan, lang)
    st.subheader(t("import_rows"))
    cols = st.columns(len(_STATUSES))
    for column, status in zip(cols, _STATUSES, strict=True):
        column.metric(t("status_" + status), plan.counts[status])
    left, right = st.columns(2)
    statuses = left.multiselect(t("col_status"), _STATUSES, default=["warning", "rejected"], key="import_status",
                                format_func=lambda s: t("status_" + s))
    sheets = right.multiselect(t("col_sheet"), sorted(rows["sheet"].unique()), key="import_sheet",
                               placeholder=t("choose"))
    shown = rows[rows["status"].isin(statuses) & (rows["sheet"].isin(sheets) if sheets else True)]
    shown = shown.assign(status=shown["status"].map(lambda s: t("status_" + s)))
    st.dataframe(shown.rename(columns=column_labels(shown.columns)), hide_index=True)
    st.download_button(t("download_report"), to_csv(shown.rename(columns=column_labels(shown.columns))),
                       file_name="zeilenbericht.csv", mime="text/csv")


def _commit(path, plan):
    """Write the plan in one transaction; nothing is written before the button is pressed."""
    conforms, results_text, _ = plan.validate()
    if not conforms:
        st.error(t("import_not_conform"))
        st.code(results_text)
        return
    label = st.text_input(t("version_label"), key="import_label", placeholder=t("version_label_help"))
    add = st.checkbox(t("import_add"), key="import_add", help=t("import_add_help"))
    if st.button(t("import_commit"), type="primary", key="import_commit"):
        try:
            with writing(path) as store:
                result = commit_import(plan, store, label=label or None, add=add)
        except KGError as e:  # e.g. another process is writing, or the data does not conform
            st.error(e.message(current_language()))
            if isinstance(e, ValidationError):
                st.code(e.results_text)
            return
        st.session_state[Keys.IMPORT_RESULT] = {"changed": len(result["changed"]), **plan.counts}
        for key in (Keys.IMPORT_PLAN, Keys.IMPORT_FILES, Keys.IMPORT_MAPPING, Keys.IMPORT_FIX):
            st.session_state.pop(key, None)
        shutil.rmtree(st.session_state.pop(Keys.IMPORT_DIR), ignore_errors=True)  # the uploads are in the store now
        st.rerun()


def render():
    """Draw the import page."""
    path, store, _ = current_data()
    st.title(t("page_import"))
    st.caption(t("import_help"))
    lang = current_language()
    if done := st.session_state.pop(Keys.IMPORT_RESULT, None):
        st.success(t("import_done").format(**done))
    files = st.file_uploader(t("import_upload"), type=["xlsx", "xlsm", "xls", "ods", "csv"], accept_multiple_files=True,
                             key="import_upload")
    if not files:
        return
    signature = [(f.name, f.size) for f in files]
    if st.session_state.get(Keys.IMPORT_FILES) != signature:
        st.session_state[Keys.IMPORT_FILES] = signature
        st.session_state[Keys.IMPORT_MAPPING] = {}
        _plan(store, files, {})
    if Keys.IMPORT_FIX in st.session_state:
        _fix_columns(store, files)
        return
    plan = st.session_state[Keys.IMPORT_PLAN]
    _territory(store, files, plan)
    columns, kinds = _columns(plan)
    if kinds:  # another kind of table: read again at once, so that its columns are detected for that kind
        st.session_state[Keys.IMPORT_MAPPING] = merge(st.session_state[Keys.IMPORT_MAPPING], {"kinds": kinds})
        _clear_editors()
        _plan(store, files, st.session_state[Keys.IMPORT_MAPPING])
        st.rerun()
    values = _values(plan, store, lang)
    same, different = _proposals(plan, lang)
    if _decisions_changed(same, different) or st.button(t("import_replan"), key="import_replan"):
        _replan(store, files, columns, values, kinds, same, different)
    _rows(plan, lang)
    _commit(path, plan)
