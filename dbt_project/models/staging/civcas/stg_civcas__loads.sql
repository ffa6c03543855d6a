-- The load log: one row per file or API page landed, with the API request's fetch, month and
-- release read out of request_params.
with source as (
    select * from {{ source('civcas', '_loads') }}
),

renamed as (
    select
        load_id,
        source,
        source_file,
        sha256,
        rows_in,
        loaded_at,
        request_params,
        json_extract_string(request_params, '$.fetch_id') as fetch_id,
        json_extract_string(request_params, '$.version') as release,
        (json_extract_string(request_params, '$.month') || '-01')::date as requested_month
    from source
)

select * from renamed
