-- The current version of every accepted ACLED event.
select
    * exclude (
        version_rank,
        current_timestamp_value,
        current_load_id,
        copies_in_fetch,
        copy_in_fetch,
        rejection_reason
    )
from {{ ref('int_acled__events_versions') }}
where version_rank = 1
