{{ config(alias='rejected_records') }}
-- Every record kept out of the marts, with a reason a person can act on.
with rejected as (
    select * from {{ ref('int_airwars__rejected') }}
    union all by name
    select * from {{ ref('int_ledger__rejected') }}
    union all by name
    select * from {{ ref('int_ucdp__rejected') }}
    union all by name
    select * from {{ ref('int_acled__rejected') }}
),

unparseable as (
    select
        source,
        load_id,
        source_file,
        row_number,
        null::varchar as record_key,
        reason,
        raw_record
    from {{ source('raw', '_parse_rejects') }}
)

select * from rejected
union all by name
select * from unparseable
