{{ config(alias='rejected_records') }}
-- Every record kept out of the marts, with a reason a person can act on: every triaged row that
-- is not current, and every record no parser could read.
with rejected as (
    select
        'airwars' as source,
        load_id,
        source_file,
        row_number,
        record_key,
        reason,
        raw_record
    from {{ ref('int_airwars__incidents_triaged') }}
    where status != 'current'
    union all
    select
        'airwars' as source,
        load_id,
        source_file,
        row_number,
        record_key,
        reason,
        raw_record
    from {{ ref('int_airwars__citations_triaged') }}
    where status != 'current'
    union all
    select
        'ledger' as source,
        load_id,
        source_file,
        row_number,
        record_key,
        reason,
        raw_record
    from {{ ref('int_ledger__documents_triaged') }}
    where status != 'current'
    union all
    select
        'ledger' as source,
        load_id,
        source_file,
        row_number,
        record_key,
        reason,
        raw_record
    from {{ ref('int_ledger__claims_triaged') }}
    where status != 'current'
    union all
    select
        'ucdp' as source,
        load_id,
        source_file,
        row_number,
        record_key,
        reason,
        raw_record
    from {{ ref('int_ucdp__events_triaged') }}
    where status != 'current'
    union all
    select
        'acled' as source,
        load_id,
        source_file,
        row_number,
        record_key,
        reason,
        raw_record
    from {{ ref('int_acled__events_triaged') }}
    where status != 'current'
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
    from {{ ref('stg_civcas__parse_rejects') }}
)

select * from rejected
union all by name
select * from unparseable
