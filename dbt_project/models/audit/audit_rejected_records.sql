{{ config(alias='rejected_records') }}
-- Every record kept out of the marts, with a reason a person can act on: every triaged row that
-- is not current (every triaged model of var('report_sources')), and every record no parser
-- could read.
{%- set triaged = report_source_models('triaged') %}
with rejected as (
    {%- for source_name, model in triaged %}
        select
            '{{ source_name }}' as source,
            load_id,
            source_file,
            row_number,
            record_key,
            status,
            reason,
            raw_record
        from {{ ref(model) }}
        where status != 'current'
        {{ 'union all' if not loop.last }}
    {%- endfor %}
),

unparseable as (
    select
        source,
        load_id,
        source_file,
        row_number,
        null::varchar as record_key,
        'unreadable' as status,
        reason,
        raw_record
    from {{ ref('stg_civcas__parse_rejects') }}
),

-- Analysts' decisions not applied: rejected, or of a file landed again since.
decisions as (
    select
        'decisions' as source,
        load_id,
        source_file,
        row_number,
        report_id_a_raw || ' / ' || report_id_b_raw as record_key,
        -- a decision rule refused it, or a newer landing of its file replaced it
        case when status = 'rejected' then 'quarantined' else status end as status,
        problems as reason,
        raw_record
    from {{ ref('int_decisions__link_decisions_triaged') }}
    where status != 'current'
)

select * from rejected
union all by name
select * from unparseable
union all by name
select * from decisions
