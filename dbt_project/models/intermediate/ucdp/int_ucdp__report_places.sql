-- What each current UCDP event says about where it happened, for admin-1 resolution.
select
    'ucdp:' || event_id as report_id,
    country_iso3,
    adm_1 as admin1_text,
    adm_2 as admin1_text_alt,
    where_coordinates as place,
    latitude,
    longitude
from {{ ref('int_ucdp__events') }}
