-- Valid incident rows ranked per airwars_id: version 1 is the one the marts show
-- (latest last_modified; for equal dates, the latest load).
select
    *,
    row_number() over (
        partition by airwars_id
        order by last_modified desc nulls last, loaded_at desc, load_id desc, row_number desc
    ) as version_rank,
    first_value(load_id) over (
        partition by airwars_id
        order by last_modified desc nulls last, loaded_at desc, load_id desc, row_number desc
    ) as current_load_id
from {{ ref('int_airwars__incidents_checked') }}
where rejection_reason is null
