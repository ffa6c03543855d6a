{{ config(alias='load_reconciliation') }}
-- Conservation, load by load: records landed, rejected and reaching the marts, each counted
-- independently from its own layer, so that a check can prove that nothing was lost or doubled.
with landed as (
    select
        _load_id as load_id,
        count(*) as rows_landed
    from (
        select _load_id from {{ source('raw', 'airwars_incidents') }}
        union all
        select _load_id from {{ source('raw', 'airwars_incident_sources') }}
        union all
        select _load_id from {{ source('raw', 'ledger_documents') }}
        union all
        select _load_id from {{ source('raw', 'ledger_claims') }}
        union all
        -- API sources: live and replaced rows (stg_ handles a source that never landed)
        select load_id as _load_id from {{ ref('stg_ucdp__events') }}
        union all
        select load_id as _load_id from {{ ref('stg_ucdp__ged_events') }}
        union all
        select load_id as _load_id from {{ ref('stg_acled__events') }}
        union all
        select load_id as _load_id from {{ source('raw', '_parse_rejects') }}
    )
    group by all
),

rejected as (
    select
        load_id,
        count(*) as rows_rejected
    from {{ ref('audit_rejected_records') }}
    group by all
),

in_marts as (
    select
        load_id,
        count(*) as rows_in_marts
    from (
        select load_id from {{ ref('fct_civilian_harm_reports') }}
        union all
        select load_id from {{ ref('fct_report_citations') }}
        union all
        select load_id from {{ ref('dim_ledger_documents') }}
    )
    group by all
)

select
    loads.load_id,
    loads.source,
    loads.source_file,
    loads.rows_in,
    coalesce(landed.rows_landed, 0) as rows_landed,
    coalesce(rejected.rows_rejected, 0) as rows_rejected,
    coalesce(in_marts.rows_in_marts, 0) as rows_in_marts,
    coalesce(rejected.rows_rejected, 0) + coalesce(in_marts.rows_in_marts, 0) as rows_accounted_for
from {{ source('raw', '_loads') }} as loads
left join landed on loads.load_id = landed.load_id
left join rejected on loads.load_id = rejected.load_id
left join in_marts on loads.load_id = in_marts.load_id
