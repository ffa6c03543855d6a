-- One row per current UCDP event and alleged belligerent: side_a and side_b, victims left out;
-- an event naming no belligerent is alleged against "unknown".
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
)

{{ belligerents_or_unknown('ucdp', 'mapped') }}
