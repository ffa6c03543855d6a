-- One row per event of fct_harm_events and voice: each monitor's figure for the event, in long
-- form, so that a new source adds rows, not columns. A voice is a source (its reports in the
-- event summed: a source never counts the same deaths twice) or, for the ledger, one claim
-- (claims are compared, never summed), as in fct_harm_events.
with members as (
    select
        event_members.event_id,
        reports.report_id,
        reports.source,
        reports.claimant_id,
        reports.grading,
        reports.civilians_killed_min,
        reports.civilians_killed_max
    from {{ ref('int_event_members') }} as event_members
    inner join {{ ref('fct_civilian_harm_reports') }} as reports on event_members.report_id = reports.report_id
),

alleged as (
    select
        members.event_id,
        list(distinct belligerents.belligerent_id) filter (where belligerents.belligerent_id != 'unknown')
            as belligerent_ids
    from members
    inner join {{ ref('bridge_report_belligerents') }} as belligerents
        on members.report_id = belligerents.report_id
    group by members.event_id
),

voiced as (
    select
        members.*,
        coalesce(list_contains(alleged.belligerent_ids, accused.belligerent_id), false) as speaks_for_accused,
        case when members.source = 'ledger' then members.report_id else members.source end as voice
    from members
    left join alleged on members.event_id = alleged.event_id
    left join {{ ref('claimant_belligerents') }} as accused on members.claimant_id = accused.claimant_id
)

select
    voiced.event_id,
    voiced.voice,
    any_value(voiced.source) as source,
    any_value(voiced.claimant_id) as claimant_id,
    bool_or(voiced.speaks_for_accused) as speaks_for_accused,
    count(*) as n_reports,
    -- The figures of the voice's reports that give one (a minimum); none: no data, not 0. An
    -- unknown maximum of any of them leaves the voice's open above.
    sum(voiced.civilians_killed_min)::bigint as civilians_killed_min,
    case
        when
            count(voiced.civilians_killed_min)
            = count(voiced.civilians_killed_max) filter (where voiced.civilians_killed_min is not null)
            then sum(voiced.civilians_killed_max) filter (where voiced.civilians_killed_min is not null)::bigint
    end as civilians_killed_max,
    nullif(array_to_string(list_sort(list_distinct(list(voiced.grading))), ', '), '') as grading
from voiced
group by voiced.event_id, voiced.voice
