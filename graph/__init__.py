"""Store, queries, network and gap analysis, exports."""
