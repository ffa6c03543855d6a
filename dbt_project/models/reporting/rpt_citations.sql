-- Each citation of a report with its outlet named, for the report's event page.
select
    citations.report_id,
    citations.citation_order,
    coalesce(outlets.outlet_name, citations.source_name) as outlet_name,
    citations.platform,
    citations.language,
    citations.cited_date,
    citations.url,
    citations.archive_url
from {{ ref('fct_report_citations') }} as citations
left join {{ ref('dim_outlets') }} as outlets on citations.outlet_id = outlets.outlet_id
