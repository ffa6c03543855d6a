-- Accepted ACLED rows ranked per event id: version 1 is the one the marts show (latest ACLED
-- `timestamp`; for equal timestamps, the latest fetch).
select
    *,
    row_number() over (
        partition by event_id
        order by source_timestamp desc, loaded_at desc, load_id desc, row_number desc
    ) as version_rank,
    first_value(source_timestamp) over (
        partition by event_id
        order by source_timestamp desc, loaded_at desc, load_id desc, row_number desc
    ) as current_timestamp_value,
    first_value(load_id) over (
        partition by event_id
        order by source_timestamp desc, loaded_at desc, load_id desc, row_number desc
    ) as current_load_id
from {{ ref('int_acled__events_checked') }}
where rejection_reason is null and replaced_by_fetch is null
