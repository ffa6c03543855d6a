"""When the full build runs on its own."""

import dagster as dg

from orchestration.jobs import build_job

daily_build_schedule = dg.ScheduleDefinition(
    name="civcas_daily_build",
    job=build_job,
    cron_schedule="0 5 * * *",
    execution_timezone="UTC",
    description="Rebuild and publish every day at 05:00 UTC.",
)
