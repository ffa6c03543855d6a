-- What each build changed in the reports, links and events since the publish it copied, read
-- from their snapshots: one row per record and build that added, revised, withdrew or restored it.
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail') }}

with report_versions as (
    select
        'report' as entity,
        report_id as record_key,
        source as report_source,
        dbt_valid_from,
        dbt_is_deleted
    from {{ ref('snap_civilian_harm_reports') }}
),

link_versions as (
    select
        'link' as entity,
        report_id_a || ' ~ ' || report_id_b as record_key,
        null::varchar as report_source,
        dbt_valid_from,
        dbt_is_deleted
    from {{ ref('snap_report_links') }}
),

event_versions as (
    select
        'event' as entity,
        event_id as record_key,
        null::varchar as report_source,
        dbt_valid_from,
        dbt_is_deleted
    from {{ ref('snap_harm_events') }}
),

versions as (
    select * from report_versions
    union all
    select * from link_versions
    union all
    select * from event_versions
),

{% if is_incremental() %}
-- Only the records a new snapshot touched; their earlier versions say what the new one changed.
touched as (
    select distinct
        entity,
        record_key
    from versions
    where dbt_valid_from > (select max(snapshot_at) from {{ this }})
),
{% endif %}

sequenced as (
    select
        versions.*,
        versions.dbt_is_deleted = 'True' as deleted,
        lag(versions.dbt_is_deleted = 'True') over (
            partition by versions.entity, versions.record_key order by versions.dbt_valid_from
        ) as previously_deleted
    from versions
    {% if is_incremental() %}
        inner join touched using (entity, record_key)
    {% endif %}
),

publishes as (
    select * from {{ ref('stg_civcas__publishes') }}
),

changes as (
    select
        entity,
        record_key,
        case
            when deleted then 'withdrawn'
            when previously_deleted is null then 'added'
            when previously_deleted then 'restored'
            else 'revised'
        end as change,
        report_source,
        dbt_valid_from as snapshot_at
    from sequenced
    -- A record already withdrawn and still absent is no change.
    where not (deleted and coalesce(previously_deleted, false))
    {% if is_incremental() %}
        and dbt_valid_from > (select max(snapshot_at) from {{ this }})
    {% endif %}
),

final as (
    select
        changes.entity,
        changes.record_key,
        changes.change,
        changes.report_source,
        changes.snapshot_at,
        publishes.run_id as since_run_id,
        publishes.published_at as since_published_at
    from changes
    left join publishes
        on
            changes.snapshot_at > publishes.published_at
            and (publishes.replaced_at is null or changes.snapshot_at <= publishes.replaced_at)
)

select * from final
