-- What each current Airwars incident says about where it happened, for admin-1 resolution.
select
    'airwars:' || airwars_id as report_id,
    country_iso3,
    governorate as admin1_text,
    region as admin1_text_alt,
    location as place,
    latitude,
    longitude
from {{ ref('int_airwars__incidents') }}
