{{ config(alias='decision_problems') }}
-- Every analysts' decision row with a problem, naming its file and row: the rejected ones (not
-- applied) and those applied after a correction (an id's stray spaces trimmed).
select
    source_file,
    row_number,
    load_id,
    report_id_a_raw as report_id_a,
    report_id_b_raw as report_id_b,
    decision,
    decided_by,
    status,
    problems
from {{ ref('int_decisions__link_decisions_triaged') }}
where problems != '' and status != 'superseded'
