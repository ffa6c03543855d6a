-- Accepted rows of every UCDP release, ranked per event id: version 1 is the one the marts show.
-- Among API fetches the latest release wins (for the same release, the latest fetch); between an
-- API fetch and a GED file drop (which names no release) the newer landing wins.
with channel_ranked as (
    select
        *,
        row_number() over (
            partition by event_id, release is null
            order by release_order desc, loaded_at desc, load_id desc, row_number desc
        ) as channel_rank
    from {{ ref('int_ucdp__events_checked') }}
    where rejection_reason is null and replaced_by_fetch is null
)

select
    * exclude (channel_rank),
    row_number() over latest as version_rank,
    first_value(coalesce(release, 'GED file drop')) over latest as current_release,
    first_value(load_id) over latest as current_load_id
from channel_ranked
window latest as (
    partition by event_id order by channel_rank asc, loaded_at desc, load_id desc, row_number desc
)
