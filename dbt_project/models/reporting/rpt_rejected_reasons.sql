-- Records kept out of the marts, by source and kind of reason (numbers in a reason become N, so
-- that reasons of one kind count together). Out of scope (readable, but no report of civilian
-- harm) is told apart from quarantined (a problem of the record).
select
    source,
    case when status = 'out_of_scope' then 'out of scope' else 'quarantined' end as kept_out_as,
    regexp_replace(reason, '[0-9]+', 'N', 'g') as reason_kind,
    count(*) as records,
    min(reason) as example
from {{ ref('audit_rejected_records') }}
group by all
