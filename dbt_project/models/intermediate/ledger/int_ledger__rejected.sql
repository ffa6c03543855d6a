-- Ledger records kept out of the marts, each with its reason: quarantined claims, and documents
-- and claims replaced by a newer version of their document.
select
    'ledger' as source,
    load_id,
    source_file,
    row_number,
    'document_id=' || coalesce(document_id, '') as record_key,
    'superseded by a newer version of document ' || document_id || ' (' || current_source_file
    || ', load ' || current_load_id || ')' as reason,
    raw_record
from {{ ref('int_ledger__documents_versions') }}
where version_rank > 1

union all

select
    'ledger' as source,
    load_id,
    source_file,
    row_number,
    'claim=' || coalesce(claim_key, '') as record_key,
    'superseded by a newer version of document ' || document_id || ' (' || current_source_file
    || ', load ' || current_load_id || ')' as reason,
    raw_record
from {{ ref('int_ledger__claims_checked') }}
where is_superseded

union all

select
    'ledger' as source,
    load_id,
    source_file,
    row_number,
    'claim=' || coalesce(claim_key, '') as record_key,
    rejection_reason as reason,
    raw_record
from {{ ref('int_ledger__claims_resolved') }}
where rejection_reason is not null
