-- What each accepted ledger claim says about where it happened, for admin-1 resolution.
select
    'ledger:' || claim_key as report_id,
    country_iso3,
    admin1 as admin1_text,
    null::varchar as admin1_text_alt,
    place,
    latitude,
    longitude
from {{ ref('int_ledger__claims') }}
