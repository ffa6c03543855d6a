"""civcas without Dagster: settings, the warehouse life cycle, validation, run reports, the CLI."""
