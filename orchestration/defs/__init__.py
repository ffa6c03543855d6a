"""Dagster definitions by domain, loaded by `dg.components.load_defs`
(orchestration/definitions.py)."""
