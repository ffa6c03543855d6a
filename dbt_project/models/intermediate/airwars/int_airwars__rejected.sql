-- Airwars records kept out of the marts, each with its reason.
select
    'airwars' as source,
    load_id,
    source_file,
    row_number,
    'airwars_id=' || coalesce(airwars_id, '') as record_key,
    coalesce(
        rejection_reason,
        'superseded by a newer version of airwars_id ' || airwars_id || ' (load ' || current_load_id || ')'
    ) as reason,
    raw_record
from {{ ref('int_airwars__incidents_checked') }}
left join (
    select
        load_id,
        row_number,
        version_rank,
        current_load_id
    from {{ ref('int_airwars__incidents_versions') }}
) using (load_id, row_number)
where rejection_reason is not null or version_rank > 1

union all

select
    'airwars' as source,
    load_id,
    source_file,
    row_number,
    'incident_code=' || coalesce(incident_code, '') || ',source_order=' || coalesce(source_order_raw, '')
        as record_key,
    coalesce(
        rejection_reason, 'superseded by a newer export of the citations of incident_code '
        || incident_code
    ) as reason,
    raw_record
from {{ ref('int_airwars__citations_checked') }}
where rejection_reason is not null or is_superseded
