-- One row per current UCDP event and alleged belligerent: side_a and side_b, victims left out,
-- plus the belligerents seeds/ucdp_dyad_belligerents.csv alleges for the event's dyad (a
-- judgement: UCDP codes dyads, not who struck); an event naming no belligerent is "unknown".
with sides as (
    select
        event_id,
        side_a as actor
    from {{ ref('int_ucdp__events_triaged') }}
    where status = 'current'
    union
    select
        event_id,
        side_b as actor
    from {{ ref('int_ucdp__events_triaged') }}
    where status = 'current'
),

mapped as (
    select
        sides.event_id,
        nullif(actors.belligerent_id, '') as belligerent_id
    from sides
    inner join {{ ref('api_actor_belligerents') }} as actors
        on actors.source = 'ucdp' and lower(sides.actor) = lower(actors.actor)
    union
    select
        events.event_id,
        dyads.belligerent_id
    from {{ ref('int_ucdp__events_triaged') }} as events
    inner join {{ ref('ucdp_dyad_belligerents') }} as dyads on events.dyad_name = dyads.dyad_name
    where events.status = 'current'
)

{{ belligerents_or_unknown('ucdp', 'mapped') }}
