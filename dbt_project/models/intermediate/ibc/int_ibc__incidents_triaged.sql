-- Every landed Iraq Body Count incident, triaged: quarantined when it cannot be identified (no
-- code, or a code the export gives to several incidents), dated or counted; out of scope before
-- var('earliest_event_date'); else the current version per code (latest export) or superseded.
-- Weapons are read through seeds/ibc_weapons.csv into strike types and, where the weapons say
-- so, the kind of belligerent.
with incidents as (
    select
        *,
        count(*) over (partition by load_id, ibc_code) as copies_in_file
    from {{ ref('stg_ibc__incidents') }}
),

weapon_parts as (
    select
        incidents.load_id,
        incidents.row_number,
        trim(part) as weapon
    from incidents,
        unnest(string_split(lower(incidents.weapons), ',')) as parts (part)
    where trim(part) != ''
),

weapon_terms as (
    select
        weapon_parts.load_id,
        weapon_parts.row_number,
        list_sort(list_distinct(list(coalesce(vocabulary.strike_type, 'unknown'))))
            as strike_types,
        list_sort(list_distinct(list_filter(
            list(vocabulary.belligerent_kind), kind -> kind is not null
        ))) as belligerent_kinds,
        list_sort(list_distinct(list_filter(
            list(vocabulary.belligerent_id), belligerent -> belligerent is not null
        ))) as weapon_belligerent_ids
    from weapon_parts
    left join {{ ref('ibc_weapons') }} as vocabulary
        on weapon_parts.weapon = lower(vocabulary.weapon)
    group by all
),

checked as (
    select
        incidents.*,
        coalesce(weapon_terms.strike_types, ['unknown']) as strike_types,
        coalesce(weapon_terms.belligerent_kinds, []) as belligerent_kinds,
        coalesce(weapon_terms.weapon_belligerent_ids, []) as weapon_belligerent_ids,
        incidents.reported_min > incidents.reported_max as figures_reversed,
        nullif(concat_ws(
            '; ',
            case when ibc_code is null or ibc_code = '' then 'IBC code is empty' end,
            {{ repeated_in_file('IBC code', 'ibc_code', 'copies_in_file', 'export') }},
            case
                when nullif(trim(start_date_raw), '') is null then 'Start Date is empty'
                when start_date is null
                    then 'Start Date ''' || start_date_raw || ''' is not a date (like 28 Feb 2017)'
                when start_date > current_date then 'Start Date ' || start_date || ' is in the future'
            end,
            {{ whole_number_problems('reported_min') }},
            {{ whole_number_problems('reported_max') }},
            case
                when reported_min_raw is null and reported_max_raw is null
                    then 'no Reported Minimum and no Reported Maximum: cannot be counted'
            end
        ), '') as quarantine_reason,
        case
            when start_date < date '{{ var("earliest_event_date") }}'
                then
                    'out of scope: Start Date ' || start_date
                    || ' is before {{ var("earliest_event_date") }}, the period civcas covers'
        end as out_of_scope_reason,
        {{ rejection_reason('quarantine_reason', 'out_of_scope_reason') }} as rejection_reason
    from incidents
    left join weapon_terms
        on incidents.load_id = weapon_terms.load_id and incidents.row_number = weapon_terms.row_number
),

ranked as (
    select
        *,
        {{ version_columns('ibc_code', 'rejection_reason is null', 'loaded_at desc') }}
    from checked
)

select
    * exclude (
        quarantine_reason, out_of_scope_reason, rejection_reason, version_rank, current_load_id, copies_in_file
    ),
    {{ triage_status('quarantine_reason', 'version_rank', 'null', 'out_of_scope_reason') }} as status,
    case
        when rejection_reason is not null then rejection_reason
        when version_rank > 1 then 'superseded by load ' || current_load_id
    end as reason,
    'ibc_code=' || coalesce(ibc_code, '') as record_key
from ranked
