-- PLACEHOLDER until outlet resolution lands.
select distinct
    outlet_id,
    outlet_id as outlet_name,
    'unknown' as kind
from {{ ref('fct_report_citations') }}
