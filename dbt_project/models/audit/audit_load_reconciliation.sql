{{ config(alias='load_reconciliation') }}
-- Conservation, load by load: records landed, rejected and reaching the marts, each counted
-- independently from its own layer, so that a check can prove that nothing was lost or doubled.
with landed as (
    select
        load_id,
        count(*) as rows_landed
    -- every staging model of every source (API sources: live and replaced rows)
    from (
        {%- for source_name, model in report_source_models('staged') %}
            select load_id from {{ ref(model) }}
            union all
        {%- endfor %}
        select load_id from {{ ref('stg_civcas__parse_rejects') }}
        union all
        select load_id from {{ ref('stg_decisions__link_decisions') }}
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
        union all
        select load_id from {{ ref('fct_link_decisions') }}
        union all
        select load_id from {{ ref('fct_source_withdrawals') }}
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
from {{ ref('stg_civcas__loads') }} as loads
left join landed on loads.load_id = landed.load_id
left join rejected on loads.load_id = rejected.load_id
left join in_marts on loads.load_id = in_marts.load_id
