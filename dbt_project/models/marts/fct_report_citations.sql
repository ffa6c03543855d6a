-- One published item a report cites, with its canonical outlet, platform, language and date.
-- Incremental: the reports of citations prepared since its last build (incremental_by_key.sql).
{{ incremental_by_key_config('report_id', 'citation_reports_prepared_since') }}

with citations as (
    select * from {{ ref('int_citations__prepared') }}
    where {{ only_touched('report_id') }}
),

citation_outlets as (
    select * from {{ ref('int_citation_outlets') }}
    where {{ only_touched('report_id') }}
),

dates as (
    select * from {{ ref('int_citation_dates') }}
),

platform_texts as (
    select * from {{ ref('int_citation_platforms') }}
),

-- seed rows whose term is a web host (twitter.com, youtube.com, t.me, ...)
platform_hosts as (
    select
        lower(term) as host,
        platform
    from {{ ref('platforms') }}
    where contains(term, '.')
)

select
    citations.report_id,
    citations.citation_order,
    citation_outlets.outlet_id,
    citations.source_name,
    citation_outlets.outlet_match,
    coalesce(
        platform_texts.platform,
        hosts.platform,
        parent_hosts.platform,
        case when citations.url_host is not null then 'web' end
    ) as platform,
    platform_texts.language,
    citations.platform_raw as platform_text,
    dates.cited_date,
    nullif(trim(citations.source_date_raw), '') as cited_date_text,
    citations.url,
    citations.archive_url,
    citations.load_id
from citations
inner join citation_outlets
    on
        citations.report_id = citation_outlets.report_id
        and citations.citation_order = citation_outlets.citation_order
left join dates on citations.source_date_raw = dates.cited_date_text
left join platform_texts on citations.platform_raw = platform_texts.platform_text
left join platform_hosts as hosts on citations.url_host = hosts.host
left join platform_hosts as parent_hosts on citations.url_parent_host = parent_hosts.host
