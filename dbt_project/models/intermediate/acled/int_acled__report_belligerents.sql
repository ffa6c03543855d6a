-- One row per current ACLED event and alleged belligerent: actor1 and actor2, victims left out;
-- an event naming no belligerent is alleged against "unknown".
with named as (
    select
        event_id,
        unnest([actor1, actor2]) as name
    from {{ ref('int_acled__events_triaged') }}
    where status = 'current'
)

{{ belligerents_of('acled', 'named', api=true) }}
