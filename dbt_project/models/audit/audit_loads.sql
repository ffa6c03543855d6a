{{ config(alias='loads') }}
-- One row per file or API page landed, with what became of its records.
with rejected as (
    select
        load_id,
        count(*) as rows_rejected
    from {{ ref('audit_rejected_records') }}
    group by load_id
)

select
    loads.load_id,
    loads.source,
    loads.source_file,
    loads.sha256,
    loads.rows_in,
    loads.rows_in - coalesce(rejected.rows_rejected, 0) as rows_accepted,
    coalesce(rejected.rows_rejected, 0) as rows_rejected,
    loads.loaded_at,
    loads.request_params
from {{ ref('stg_civcas__loads') }} as loads
left join rejected on loads.load_id = rejected.load_id
