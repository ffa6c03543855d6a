-- The analysts' decisions on pairs of reports that reach the reconciliation: every current row
-- of the decisions files (one per pair is applied: the latest of alike decisions), by file and
-- row. Rows not applied for a problem are in audit.decision_problems and audit.rejected_records.
select
    source_file,
    row_number,
    load_id,
    pair_a as report_id_a,
    pair_b as report_id_b,
    decision,
    note,
    decided_by,
    applied,
    problems
from {{ ref('int_decisions__link_decisions_triaged') }}
where status = 'current'
