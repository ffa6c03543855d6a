-- Accepted rows of every UCDP release, ranked per event id: version 1 is the one the marts show
-- (latest release; for the same release, the latest fetch).
select
    *,
    row_number() over (
        partition by event_id
        order by release_order desc, loaded_at desc, load_id desc, row_number desc
    ) as version_rank,
    first_value(release) over (
        partition by event_id
        order by release_order desc, loaded_at desc, load_id desc, row_number desc
    ) as current_release,
    first_value(load_id) over (
        partition by event_id
        order by release_order desc, loaded_at desc, load_id desc, row_number desc
    ) as current_load_id
from {{ ref('int_ucdp__events_checked') }}
where rejection_reason is null and replaced_by_fetch is null
