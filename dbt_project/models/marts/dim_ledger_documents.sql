-- One document of the claims ledger (the current version of its file).
with documents as (
    select * from {{ ref('int_ledger__documents_triaged') }}
    where status = 'current'
),

claims as (
    select
        load_id,
        count(*) as claims
    from {{ ref('int_ledger__claims_triaged') }}
    where status = 'current'
    group by load_id
)

select
    documents.document_id,
    documents.publisher,
    documents.title,
    documents.url,
    documents.language,
    documents.published_date,
    documents.published_date_end,
    documents.published_precision,
    coalesce(claims.claims, 0) as accepted_claims,
    documents.notes,
    documents.source_file,
    documents.load_id
from documents
left join claims on documents.load_id = claims.load_id
