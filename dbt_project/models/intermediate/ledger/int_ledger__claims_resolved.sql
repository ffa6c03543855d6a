-- The current ledger claims (of the latest version of each document) with their part_of chains
-- resolved. A claim is quarantined for its own problems, or when its part_of (directly or
-- further up) points to no claim, to a quarantined claim, or back to itself.
with recursive claims as (
    select * from {{ ref('int_ledger__claims_checked') }}
    where not is_superseded
),

-- Claims by key: a key used twice in one document is ambiguous (both copies are quarantined).
keys as (
    select
        claim_key,
        count(*) as copies,
        bool_or(own_problems is null) as any_fine,
        any_value(own_problems) as problems
    from claims
    group by claim_key
),

chain (claim_key, whole_claim_key, depth, visited) as (
    select
        claim_key,
        whole_claim_key,
        1,
        [claim_key]
    from claims
    where whole_claim_key is not null
    union all
    select
        chain.claim_key,
        claims.whole_claim_key,
        chain.depth + 1,
        list_append(chain.visited, chain.whole_claim_key)
    from chain
    inner join claims on chain.whole_claim_key = claims.claim_key
    where
        claims.whole_claim_key is not null
        and not list_contains(chain.visited, chain.whole_claim_key)
),

chain_problems as (
    select
        chain.claim_key,
        string_agg(
            case
                when
                    list_contains(chain.visited, chain.whole_claim_key) and chain.depth > 1
                    or chain.whole_claim_key = chain.claim_key
                    then 'part_of forms a cycle through ''' || chain.whole_claim_key || ''''
                when keys.claim_key is null and chain.depth = 1
                    then 'part_of ''' || chain.whole_claim_key || ''' points to no claim'
                when keys.claim_key is null
                    then 'part_of chain: ''' || chain.whole_claim_key || ''' points to no claim'
                when keys.copies > 1
                    then
                        'part_of ''' || chain.whole_claim_key || ''' is ambiguous (id used '
                        || keys.copies || ' times)'
                when not keys.any_fine
                    then
                        'part_of ''' || chain.whole_claim_key || ''' is a quarantined claim ('
                        || keys.problems || ')'
            end,
            '; ' order by chain.depth
        ) as problems
    from chain
    left join keys on chain.whole_claim_key = keys.claim_key
    group by chain.claim_key
)

select
    claims.*,
    nullif(concat_ws('; ', claims.own_problems, chain_problems.problems), '') as rejection_reason
from claims
left join chain_problems on claims.claim_key = chain_problems.claim_key
