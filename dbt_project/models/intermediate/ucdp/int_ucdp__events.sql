-- The current version of every accepted UCDP event.
select * exclude (version_rank, current_release, current_load_id, copies_in_fetch, copy_in_fetch, rejection_reason)
from {{ ref('int_ucdp__events_versions') }}
where version_rank = 1
