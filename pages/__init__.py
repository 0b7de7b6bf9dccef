"""Streamlit pages: thin views that call `graph/` and `ingest/` and render."""
