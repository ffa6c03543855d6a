-- Records kept in the marts with a secondary field nulled (or their belligerent `unmapped`), by
-- source, field and kind of reason (numbers in a reason become N, so that reasons of one kind
-- count together); what the report's field-issues page lists.
select
    source,
    field,
    regexp_replace(reason, '[0-9]+', 'N', 'g') as reason_kind,
    count(*) as issues,
    count(distinct report_id) as reports,
    min(reason) as example
from {{ ref('audit_field_issues') }}
group by all
