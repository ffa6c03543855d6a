-- One row per current Airwars incident and alleged belligerent; an empty list means unknown.
with names as (
    select distinct
        airwars_id,
        trim(unnest(string_split(coalesce(nullif(trim(belligerents), ''), 'Unknown'), ','))) as alias
    from {{ ref('int_airwars__incidents_triaged') }}
    where status = 'current'
)

select distinct
    'airwars:' || names.airwars_id as report_id,
    aliases.belligerent_id
from names
inner join {{ ref('belligerent_aliases') }} as aliases on lower(names.alias) = lower(aliases.alias)
