-- Each report's date and place precision on the common scale (seeds/precision_levels.csv), mapped
-- from the source's own words (seeds/precision_codes.csv).
with reports as (
    select
        report_id,
        source,
        date_precision as date_precision_source,
        coalesce(geo_precision, '(not stated)') as geo_precision_source
    from {{ ref('int_reports_unioned') }}
),

codes as (
    select * from {{ ref('precision_codes') }}
)

select
    reports.report_id,
    date_codes.precision as date_precision,
    reports.date_precision_source,
    geo_codes.precision as geo_precision,
    nullif(reports.geo_precision_source, '(not stated)') as geo_precision_source
from reports
left join codes as date_codes
    on
        reports.source = date_codes.source
        and date_codes.dimension = 'date'
        and reports.date_precision_source = date_codes.source_precision
left join codes as geo_codes
    on
        reports.source = geo_codes.source
        and geo_codes.dimension = 'geo'
        and reports.geo_precision_source = geo_codes.source_precision
