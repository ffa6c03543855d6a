-- Reports of civilian harm from every source of var('report_sources'), in one shape, with what
-- each says about where it happened (the input of int_report_admin1), its date and place
-- precision on the common scale (seeds/precision_levels.csv, mapped from the source's own words
-- by seeds/precision_codes.csv) and the belligerents it alleges.
-- Incremental: the reports its sources built since its last build, and those gone
-- (source_reports_built_since; incremental_by_key.sql).
{{ incremental_by_key_config('report_id', 'source_reports_built_since') }}

with unioned as (
    select * from ({{ union_report_source_models('reports') }}) as reports
    where {{ only_touched('report_id') }}
),

codes as (
    select * from {{ ref('precision_codes') }}
)

select
    unioned.* exclude (date_precision, geo_precision, built_at),
    date_codes.precision as date_precision,
    unioned.date_precision as date_precision_source,
    geo_codes.precision as geo_precision,
    unioned.geo_precision as geo_precision_source,
    {{ built_at() }}
from unioned
left join codes as date_codes
    on
        unioned.source = date_codes.source
        and date_codes.dimension = 'date'
        and unioned.date_precision = date_codes.source_precision
left join codes as geo_codes
    on
        unioned.source = geo_codes.source
        and geo_codes.dimension = 'geo'
        and coalesce(unioned.geo_precision, '(not stated)') = geo_codes.source_precision
