-- Report x alleged belligerent.
select
    report_belligerents.report_id,
    report_belligerents.belligerent_id
from {{ ref('int_report_belligerents') }} as report_belligerents
inner join {{ ref('fct_civilian_harm_reports') }} as reports
    on report_belligerents.report_id = reports.report_id
