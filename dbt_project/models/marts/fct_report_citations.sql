-- PLACEHOLDER until outlet resolution lands: one published item a report cites.
select
    citations.report_id,
    citations.citation_order,
    lower(regexp_replace(citations.source_name, '[^A-Za-z0-9]+', '', 'g')) as outlet_id,
    citations.platform_raw as platform,
    null::varchar as language,
    null::date as cited_date,
    citations.url,
    citations.load_id
from {{ ref('int_airwars__citations') }} as citations
