-- One row per accepted ledger claim and alleged belligerent; none written means unknown.
with named as (
    select
        claim_key as event_id,
        unnest(belligerent_names) as name
    from {{ ref('int_ledger__claims_triaged') }}
    where status = 'current'
)

{{ belligerents_of('ledger', 'named') }}
