-- One row per current Airwars incident and alleged belligerent; an empty list means unknown.
with named as (
    select
        airwars_id as event_id,
        unnest(belligerent_names) as name
    from {{ ref('int_airwars__incidents_triaged') }}
    where status = 'current'
)

{{ belligerents_of('airwars', 'named') }}
