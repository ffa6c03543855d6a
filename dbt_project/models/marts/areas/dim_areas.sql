-- One named area inside a city: the city, its parts (west Mosul: the city west of the Tigris),
-- its neighbourhoods (canonical list: seeds/named_areas.csv).
select
    area_id,
    area_name,
    kind,
    parent_area_id,
    country_iso3,
    admin1_code,
    latitude,
    longitude,
    radius_km
from {{ ref('named_areas') }}
