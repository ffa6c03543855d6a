{# What int_link_reports reads of each linkable report, with a hash of it (input_hash): a report
   whose hash changed, or that is new, is built again (link_reports_changed). A report too vague
   in date or place, or spanning more than a week, can be an event of its own, never a link. #}
{% macro link_report_inputs() -%}
    with reports as (
        select * from {{ ref('fct_civilian_harm_reports') }}
        where scope = 'incident'
    ),

    levels as (
        select * from {{ ref('precision_levels') }}
    ),

    belligerents as (
        select
            report_id,
            list(distinct belligerent_id order by belligerent_id)
            -- Neither unknown nor unmapped (a name no seed maps yet) says who struck.
            filter (where belligerent_id not in ('unknown', 'unmapped')) as belligerent_ids
        from {{ ref('bridge_report_belligerents') }}
        group by report_id
    ),

    inputs as (
        select
            reports.report_id,
            reports.source,
            reports.claimant_id,
            reports.country_iso3,
            reports.admin1_code,
            reports.place,
            reports.event_date as date_from,
            coalesce(reports.event_date_end, reports.event_date) as date_to,
            -- A span's own days say how unsure the date is: beyond them only a day's window
            -- (UCDP's "range" is a week's precision, which would otherwise reach 7 days past it).
            case
                when reports.event_date_end > reports.event_date
                    then least(date_levels.link_window, day_level.link_window)
                else date_levels.link_window
            end as date_window_days,
            -- Coordinates count only when they locate more than a governorate.
            case when geo_levels.link_window is not null then reports.latitude end as latitude,
            case when geo_levels.link_window is not null then reports.longitude end as longitude,
            geo_levels.link_window as geo_window_km,
            reports.geo_precision,
            coalesce(belligerents.belligerent_ids, []) as belligerent_ids,
            reports.civilians_killed_min,
            reports.civilians_killed_max
        from reports
        left join levels as date_levels
            on reports.date_precision = date_levels.precision and date_levels.dimension = 'date'
        left join levels as geo_levels
            on reports.geo_precision = geo_levels.precision and geo_levels.dimension = 'geo'
        left join levels as day_level on day_level.dimension = 'date' and day_level.precision = 'day'
        left join belligerents on reports.report_id = belligerents.report_id
        where
            date_levels.link_window is not null
            and reports.geo_precision != 'country'
            and coalesce(reports.event_date_end, reports.event_date) - reports.event_date
            <= {{ var('max_link_span_days') }}
    )

    select
        *,
        hash(inputs) as input_hash
    from inputs
{%- endmacro %}

{# Touched reports of int_link_reports: the linkable reports it lacks or holds with another
   input_hash, and the reports it holds that are gone or no longer linkable. #}
{% macro link_reports_changed() -%}
    {{ keys_whose_rows_changed(link_report_inputs(), ['report_id', 'input_hash']) }}
{%- endmacro %}
