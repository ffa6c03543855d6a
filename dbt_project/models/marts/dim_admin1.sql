-- One first-level administrative division (canonical list: seeds/admin1.csv).
select
    admin1_code,
    country_iso3,
    admin1_name
from {{ ref('admin1') }}
