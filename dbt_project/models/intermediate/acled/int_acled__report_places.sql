-- What each current ACLED event says about where it happened, for admin-1 resolution.
select
    'acled:' || event_id as report_id,
    country_iso3,
    admin1 as admin1_text,
    admin2 as admin1_text_alt,
    location as place,
    latitude,
    longitude
from {{ ref('int_acled__events') }}
