-- The analysts' decisions the reconciliation applies: one per pair, ids ordered
-- (report_id_a < report_id_b), from the rows int_decisions__link_decisions_triaged accepts. The
-- one place decision pairs are ordered: int_report_links and fct_link_candidates join on them as
-- they are.
select
    pair_a as report_id_a,
    pair_b as report_id_b,
    decision,
    note,
    decided_by,
    source_file,
    row_number
from {{ ref('int_decisions__link_decisions_triaged') }}
where applied
