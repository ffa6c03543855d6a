-- Report x named area it lies in: the finest area its coordinates or text support and every
-- area holding that one (al-Jadida, west Mosul, Mosul). Rules: int_report_areas.
select
    report_id,
    area_id,
    area_id = finest_area_id as is_finest,
    area_method
from {{ ref('int_report_areas') }}
