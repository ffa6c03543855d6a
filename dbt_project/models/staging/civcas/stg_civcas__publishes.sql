-- Every publish of this warehouse: the run and its time, and the publish it replaced.
with source as (
    select * from {{ source('civcas_audit', 'published_inputs') }}
),

renamed as (
    select
        run_id,
        published_at::timestamp as published_at,
        lead(published_at::timestamp) over (order by published_at, run_id) as replaced_at
    from source
)

select * from renamed
