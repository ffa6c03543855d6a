"""Dagster glue only: the definitions in `defs/` by domain, and the in-process run of `civcas run`.
The warehouse life cycle, settings, reports and the CLI are the `civcas` package."""
