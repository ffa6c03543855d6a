-- Every withdrawal a source announced (ACLED's deletions feed), and whether it withdrew a report
-- this warehouse holds: the report leaves the marts and fct_publish_changes lists it withdrawn.
with deletions as (
    select * from {{ ref('int_acled__deletions_triaged') }}
    where status = 'current'
),

withdrawn as (
    select distinct event_id
    from {{ ref('int_acled__events_triaged') }}
    where status = 'withdrawn'
)

select
    'acled:' || deletions.event_id as report_id,
    'acled' as source,
    deletions.event_id as source_record_id,
    deletions.deleted_at as withdrawn_at,
    withdrawn.event_id is not null as withdrew_report,
    deletions.load_id,
    deletions.row_number
from deletions
left join withdrawn on deletions.event_id = withdrawn.event_id
