-- Every landed Airwars incident row, triaged (status contract: docs in _airwars__models.yml):
-- quarantined when it cannot be identified, dated or placed in a country, or its civilian figure
-- is unusable; a problem with any other field nulls that field (an unknown belligerent is
-- alleged as `unmapped`) and is listed in `field_issues`, the record stays. Of the rest, the
-- current version per airwars_id or superseded by it.
-- The latest landing wins (files dropped together share one loaded_at), so dropping an earlier
-- export back withdraws a correction; within one landing, the latest last_modified, then the
-- latest load.
-- Counted by grouping: a window function would carry every column of every row.
-- Incremental: only the airwars_ids that new loads list are triaged again (incremental_triage.sql).
{{ incremental_triage_config('airwars_id') }}

-- Read three times (staged_rows_materialization: streamed in a build from scratch, held once in
-- an incremental one).
with staged as {{ staged_rows_materialization() }} (
    {{ rows_to_triage(ref('stg_airwars__incidents'), 'airwars_id') }}
),

repeated_in_file as (
    select
        load_id,
        airwars_id,
        count(*) as copies_in_file
    from staged
    group by all
    having count(*) > 1
),

incidents as (
    select
        staged.*,
        coalesce(repeated_in_file.copies_in_file, 1) as copies_in_file
    from staged
    left join repeated_in_file
        on
            staged.load_id = repeated_in_file.load_id
            and staged.airwars_id is not distinct from repeated_in_file.airwars_id
),

unknown_belligerents as (
    {{ unknown_belligerent_aliases('staged') }}
),

checked as (
    select
        incidents.*,
        countries.country_iso3,
        -- What keeps the record out of the marts.
        nullif(concat_ws(
            '; ',
            case when airwars_id is null or airwars_id = '' then 'airwars_id is empty' end,
            {{ repeated_in_file('airwars_id', 'airwars_id', 'copies_in_file') }},
            {{ event_date_problems('incident_date_raw', 'incident_date', 'incident_date') }},
            {{ unknown_country('incidents.country', 'countries.country_iso3') }},
            {{ whole_number_problems('civilians_killed_min') }},
            {{ whole_number_problems('civilians_killed_max') }},
            {{ min_above_max('civilians_killed') }},
            {{ above_incident_maximum('civilians_killed') }}
        ), '') as rejection_reason,
        -- What the record keeps, that field nulled.
        list_concat(
            {{ field_issues([
                field_issue('incident_date_end', 'incident_date_end_raw',
                    unreadable_value('incident_date_end', 'a date (YYYY-MM-DD)')),
                field_issue('incident_date_end', 'incident_date_end_raw',
                    end_before_start('incident_date_end', 'incident_date')),
                field_issue('latitude', 'latitude_raw', coordinate_problems('latitude', 90)),
                field_issue('longitude', 'longitude_raw', coordinate_problems('longitude', 180)),
                field_issue('last_modified', 'last_modified_raw',
                    unreadable_value('last_modified', 'a date (YYYY-MM-DD)')),
                field_issue('published_date', 'published_date_raw',
                    unreadable_value('published_date', 'a date (YYYY-MM-DD)')),
                field_issue('source_count', 'source_count_raw',
                    unreadable_value('source_count', 'a whole number')),
                field_issue('civilians_injured',
                    "'civilians_injured_min=' || civilians_injured_min_raw || ', civilians_injured_max=' || civilians_injured_max_raw",
                    above_incident_maximum('civilians_injured')),
            ] + breakdown_issues(['children_killed', 'women_killed', 'men_killed', 'civilians_injured'])) }},
            {{ unmapped_belligerent_issues('unknown_belligerents.alias_list', 'belligerents',
                'seeds/belligerent_aliases.csv') }}
        ) as field_issues
    from incidents
    left join {{ ref('countries') }} as countries on lower(trim(incidents.country)) = lower(countries.country_name)
    left join unknown_belligerents
        on
            incidents.load_id = unknown_belligerents.load_id
            and incidents.row_number = unknown_belligerents.row_number
),

ranked as (
    select
        *,
        {{ version_columns(
            'airwars_id',
            'rejection_reason is null',
            'loaded_at desc, last_modified desc nulls last'
        ) }},
        {{ landing_rank('airwars_id', 'loaded_at desc, last_modified desc nulls last') }}
    from checked
),

{{ newest_rejected_version('airwars_id') }}

select
    ranked.* exclude (
        rejection_reason, version_rank, current_load_id, copies_in_file, landing_rank
    ) replace (
        {{ unless_field_issue('incident_date_end') }} as incident_date_end,
        {{ degraded_coordinates() }},
        {{ degraded_breakdown(['children_killed', 'women_killed', 'men_killed', 'civilians_injured']) }}
    ),
    {{ triage_status('rejection_reason', 'version_rank', replaced='null') }} as status,
    case
        when rejection_reason is not null then rejection_reason
        when version_rank > 1
            then
                'superseded by a newer version of airwars_id ' || ranked.airwars_id
                || ' (load ' || current_load_id || ')'
    end as reason,
    {{ newer_version_rejected_reason() }},
    'airwars_id=' || coalesce(ranked.airwars_id, '') as record_key,
    {{ triaged_at() }}
from ranked
{{ join_newest_rejected_version('airwars_id') }}
