-- One row per current UCDP event and alleged belligerent: side_a and side_b, victims left out,
-- plus the belligerents seeds/ucdp_dyad_belligerents.csv alleges for the event's dyad (a
-- judgement: UCDP codes dyads, not who struck); an event naming no belligerent is "unknown".
with current_events as (
    select * from {{ ref('int_ucdp__events_triaged') }}
    where status = 'current'
),

named as (
    select
        event_id,
        unnest([side_a, side_b]) as name
    from current_events
),

by_dyad as (
    select
        current_events.event_id,
        dyads.belligerent_id
    from current_events
    inner join {{ ref('ucdp_dyad_belligerents') }} as dyads
        on current_events.dyad_name = dyads.dyad_name
)

{{ belligerents_of('ucdp', 'named', api=true, also='by_dyad') }}
