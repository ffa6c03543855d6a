{# Error: no ledger claim is about events after its document was published: the last day of its
   date or period is on or before the last day the publication date allows (dim_ledger_documents). #}
{% test ledger_claim_inside_document_lifetime(model) %}
select claims.*
from {{ model }} as claims
left join {{ ref('dim_ledger_documents') }} as documents on claims.document_id = documents.document_id
where not coalesce(coalesce(claims.event_date_end, claims.event_date) <= documents.published_date_end, false)
{% endtest %}
