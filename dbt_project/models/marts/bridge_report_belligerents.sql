-- Report x alleged belligerent.
-- Incremental: the reports int_reports_unioned built since its last build, and those gone
-- (incremental_by_key.sql).
{{ incremental_by_key_config('report_id', 'unioned_reports_built_since') }}

select
    report_id,
    unnest(belligerent_ids) as belligerent_id
from {{ ref('int_reports_unioned') }}
where {{ only_touched('report_id') }}
