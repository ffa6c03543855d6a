-- Names no seed maps, with the reports that name them and the seed to map them in (the report's
-- field-issues page).
select
    source,
    field,
    name,
    seed,
    reports
from {{ ref('audit_unmapped_names') }}
