-- One row per current ACLED event and alleged belligerent: actor1 and actor2, victims left out;
-- an event naming no belligerent is alleged against "unknown".
with named as (
    select
        event_id,
        actor1 as actor
    from {{ ref('int_acled__events_triaged') }}
    where status = 'current'
    union
    select
        event_id,
        actor2 as actor
    from {{ ref('int_acled__events_triaged') }}
    where status = 'current' and actor2 is not null
),

mapped as (
    select
        named.event_id,
        nullif(actors.belligerent_id, '') as belligerent_id
    from named
    inner join {{ ref('api_actor_belligerents') }} as actors
        on actors.source = 'acled' and lower(named.actor) = lower(actors.actor)
)

{{ belligerents_or_unknown('acled', 'mapped') }}
