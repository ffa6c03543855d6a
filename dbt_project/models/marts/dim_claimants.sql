-- One canonical claimant: who is quoted in a ledger claim (seeds/claimants.csv; the names as
-- written are merged through seeds/claimant_aliases.csv).
select
    claimant_id,
    claimant_name,
    kind
from {{ ref('claimants') }}
