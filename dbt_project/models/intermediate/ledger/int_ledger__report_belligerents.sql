-- One row per accepted ledger claim and alleged belligerent; none written means unknown.
with names as (
    select distinct
        claim_key,
        trim(unnest(
            case
                when coalesce(json_array_length(belligerents_raw), 0) = 0 then ['Unknown']
                else from_json(belligerents_raw, '["varchar"]')
            end
        )) as alias
    from {{ ref('int_ledger__claims_triaged') }}
    where status = 'current'
)

select distinct
    'ledger:' || names.claim_key as report_id,
    aliases.belligerent_id
from names
inner join {{ ref('belligerent_aliases') }} as aliases on lower(names.alias) = lower(aliases.alias)
