-- Every landed Airwars citation row, triaged: quarantined for its problems, superseded by a later
-- export of its incident_code's citations, or current.
-- A citation belongs to an incident through incident_code, which Airwars reuses in a few cases:
-- such citations cannot be attributed and are quarantined rather than guessed.
-- Keys seen more than once, and each code's latest landing, are counted by grouping: a window
-- function would carry every column of every row (6M at 1M incidents) through its buffers.
-- Incremental: only the incident_codes that new loads list, or whose incidents were triaged again
-- since this table's last build, are triaged again (incremental_triage.sql).
{{ incremental_triage_config('incident_code') }}

-- Read three times (staged_rows_materialization: streamed in a build from scratch, held once in
-- an incremental one).
with staged as {{ staged_rows_materialization() }} (
    {{ rows_to_triage(
        ref('stg_airwars__incident_sources'),
        'incident_code',
        also=triaged_since_this(ref('int_airwars__incidents_triaged'), 'incident_code'),
    ) }}
),

repeated_in_file as (
    select
        load_id,
        incident_code,
        source_order_raw,
        count(*) as copies_in_file
    from staged
    group by all
    having count(*) > 1
),

latest_loads as (
    select
        incident_code,
        max(loaded_at) as latest_load_of_code
    from staged
    group by incident_code
),

citations as (
    select
        staged.*,
        coalesce(repeated_in_file.copies_in_file, 1) as copies_in_file,
        latest_loads.latest_load_of_code
    from staged
    left join repeated_in_file
        on
            staged.load_id = repeated_in_file.load_id
            and staged.incident_code is not distinct from repeated_in_file.incident_code
            and staged.source_order_raw is not distinct from repeated_in_file.source_order_raw
    left join latest_loads on staged.incident_code is not distinct from latest_loads.incident_code
),

incidents_by_code as (
    select
        incident_code,
        count(*) as incidents,
        -- Only an unambiguous code names its incident (any_value would pick one at random).
        case when count(*) = 1 then any_value(airwars_id) end as airwars_id,
        string_agg(airwars_id, ', ' order by airwars_id) as airwars_ids
    from {{ ref('int_airwars__incidents_triaged') }}
    where status = 'current' and {{ only_keys_triaged('incident_code') }}
    group by incident_code
),

checked as (
    select
        citations.*,
        incidents_by_code.airwars_id,
        nullif(concat_ws(
            '; ',
            case when citations.incident_code is null then 'incident_code is empty' end,
            case
                when citations.source_order_raw is null then 'source_order is empty'
                when not regexp_full_match(trim(citations.source_order_raw), '[0-9]+')
                    then 'source_order ''' || citations.source_order_raw || ''' is not a whole number'
            end,
            case
                when citations.copies_in_file > 1
                    then
                        'incident_code ' || citations.incident_code || ' with source_order '
                        || citations.source_order_raw || ' appears ' || citations.copies_in_file
                        || ' times in this file'
            end,
            case
                when citations.incident_code is not null and incidents_by_code.incidents is null
                    then
                        'incident_code ' || citations.incident_code
                        || ' is not an accepted incident (missing or quarantined)'
            end,
            case
                when incidents_by_code.incidents > 1
                    then
                        'incident_code ' || citations.incident_code || ' is shared by '
                        || incidents_by_code.incidents || ' incidents (airwars_id '
                        || incidents_by_code.airwars_ids || '): the citation cannot be attributed'
            end
        ), '') as rejection_reason,
        citations.loaded_at < citations.latest_load_of_code as is_superseded
    from citations
    left join incidents_by_code on citations.incident_code = incidents_by_code.incident_code
)

select
    * exclude (rejection_reason, is_superseded),
    case
        when rejection_reason is not null then 'quarantined'
        when is_superseded then 'superseded'
        else 'current'
    end as status,
    case
        when rejection_reason is not null then rejection_reason
        when is_superseded
            then 'superseded by a newer export of the citations of incident_code ' || incident_code
    end as reason,
    'incident_code=' || coalesce(incident_code, '') || ',source_order=' || coalesce(source_order_raw, '')
        as record_key,
    {{ triaged_at() }}
from checked
