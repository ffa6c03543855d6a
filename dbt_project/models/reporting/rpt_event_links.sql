-- The links between two reports of one event, with their evidence, for the event's page.
select
    events.event_id,
    links.report_id_a,
    links.report_id_b,
    links.days_apart,
    links.km_apart,
    links.same_admin1,
    links.belligerents_in_common,
    links.place_words_alike,
    links.figures_overlap,
    links.score,
    links.decided_by,
    links.decision_note
from {{ ref('fct_report_links') }} as links
inner join {{ ref('bridge_event_reports') }} as events on links.report_id_a = events.report_id
