-- The outlet of every accepted citation. In order: the source_name's key listed in the seeds;
-- else the key of the URL's account, site or parent site listed in the seeds; else an unlisted
-- outlet whose outlet_id is the source_name's key; else (no usable name) 'unknown'.
-- Incremental: the reports of citations prepared since its last build (incremental_by_key.sql).
{{ incremental_by_key_config('report_id', 'citation_reports_prepared_since') }}

with citations as (
    select * from {{ ref('int_citations__prepared') }}
    where {{ only_touched('report_id') }}
),

spellings as (
    select * from {{ ref('int_outlet_spellings') }}
),

listed_keys as (
    select * from {{ ref('int_outlet_listed_keys') }}
),

resolved_spellings as (
    select
        spellings.spelling,
        spellings.outlet_key,
        listed_keys.outlet_id as listed_outlet_id
    from spellings
    left join listed_keys on spellings.outlet_key = listed_keys.outlet_key
),

matched as (
    select
        citations.report_id,
        citations.citation_order,
        citations.source_name,
        names.outlet_key as name_key,
        names.listed_outlet_id as name_outlet_id,
        coalesce(accounts.listed_outlet_id, hosts.listed_outlet_id, parent_hosts.listed_outlet_id)
            as url_outlet_id,
        case
            when accounts.listed_outlet_id is not null then 'listed_url_account'
            when hosts.listed_outlet_id is not null or parent_hosts.listed_outlet_id is not null
                then 'listed_url_site'
        end as url_match
    from citations
    left join resolved_spellings as names on citations.source_name = names.spelling
    left join resolved_spellings as accounts on citations.url_account = accounts.spelling
    left join resolved_spellings as hosts on citations.url_host = hosts.spelling
    left join resolved_spellings as parent_hosts on citations.url_parent_host = parent_hosts.spelling
)

select
    report_id,
    citation_order,
    source_name,
    name_key,
    coalesce(name_outlet_id, url_outlet_id, name_key, 'unknown') as outlet_id,
    case
        when name_outlet_id is not null then 'listed_name'
        when url_outlet_id is not null then url_match
        when name_key is not null then 'unlisted_name'
        else 'no_name'
    end as outlet_match,
    {{ built_at() }}
from matched
