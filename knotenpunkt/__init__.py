"""Knotenpunkt: knowledge graph and stakeholder-network explorer for local integration work."""

__version__ = "0.1.0"
