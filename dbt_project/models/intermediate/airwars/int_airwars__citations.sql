-- Accepted citations of the current incident versions, in the fact table's shape.
select
    'airwars:' || airwars_id as report_id,
    source_order as citation_order,
    source_name,
    platform as platform_raw,
    source_date_raw,
    url,
    archive_url,
    load_id,
    source_file,
    row_number
from {{ ref('int_airwars__citations_checked') }}
where rejection_reason is null and not is_superseded
