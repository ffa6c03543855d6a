-- The current version of every accepted Airwars incident.
select * exclude (version_rank, current_load_id, copies_in_file, rejection_reason)
from {{ ref('int_airwars__incidents_versions') }}
where version_rank = 1
