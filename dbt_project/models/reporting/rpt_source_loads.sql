-- Per source: its last load and the rows its loads brought in, accepted and rejected.
select
    source,
    max(loaded_at) as last_loaded_at,
    count(*) as loads,
    sum(rows_in)::bigint as rows_in,
    sum(rows_accepted)::bigint as rows_accepted,
    sum(rows_rejected)::bigint as rows_rejected
from {{ ref('audit_loads') }}
group by source
