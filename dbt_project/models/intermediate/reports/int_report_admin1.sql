-- PLACEHOLDER: exact admin-1 name match only (replaced by the spelling seed + coordinates).
select
    places.report_id,
    admin1.admin1_code,
    case when admin1.admin1_code is null then 'unresolved' else 'text' end as admin1_method,
    false as coordinates_outside_country
from {{ ref('int_report_places') }} as places
left join {{ ref('admin1') }} as admin1
    on places.country_iso3 = admin1.country_iso3
    and lower(trim(places.admin1_text)) = lower(admin1.admin1_name)
