-- Report x alleged belligerent.
select
    report_id,
    unnest(belligerent_ids) as belligerent_id
from {{ ref('int_reports_unioned') }}
