"""Dagster definitions, the warehouse life cycle (build, validate, publish) and the civcas CLI."""
