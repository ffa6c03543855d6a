-- Every landed decision with its status: `current` (applied), `superseded` (its file landed
-- again since: civcas review appends to a file) or `rejected`, and every problem
-- found (`problems`, also for a row applied after a correction). Rejected: a decision that is
-- neither `same` nor `different`, a pair of one report with itself, a report no source holds, a
-- row without who decided, or two decisions on one pair (in either order) that disagree. A stray
-- space around an id is trimmed and the row applied; the problem is still listed. A pair decided
-- twice alike is applied once (the latest row).
with landed as (
    select
        *,
        load_id != last(load_id order by loaded_at, load_id) over (partition by source_file) as superseded,
        least(report_id_a, report_id_b) as pair_a,
        greatest(report_id_a, report_id_b) as pair_b
    from {{ ref('stg_decisions__link_decisions') }}
),

decisions as (
    select * exclude (superseded) from landed
    where not superseded
),

known as (
    select report_id from {{ ref('fct_civilian_harm_reports') }}
),

pairs as (
    select
        pair_a,
        pair_b,
        count(distinct decision) filter (where decision in ('same', 'different')) > 1 as conflicting,
        string_agg(source_file || ' row ' || row_number, ', ' order by source_file, row_number) as rows_of_pair
    from decisions
    group by pair_a, pair_b
),

checked as (
    select
        decisions.*,
        list_filter([
            case when decisions.decision not in ('same', 'different') then 'decision is not same or different' end,
            case when decisions.report_id_a = decisions.report_id_b then 'a report paired with itself' end,
            case
                when decisions.report_id_a not in (select report_id from known)
                    then 'report_id_a ' || decisions.report_id_a || ' is no known report'
            end,
            case
                when decisions.report_id_b not in (select report_id from known)
                    then 'report_id_b ' || decisions.report_id_b || ' is no known report'
            end,
            case when coalesce(decisions.decided_by, '') = '' then 'decided_by is empty' end,
            case
                when pairs.conflicting
                    then 'same and different both decided for this pair (' || pairs.rows_of_pair || ')'
            end
        ], problem -> problem is not null) as rejections,
        list_filter([
            case
                when decisions.report_id_a_raw != decisions.report_id_a
                    then 'report_id_a ''' || decisions.report_id_a_raw || ''' has stray spaces (trimmed)'
            end,
            case
                when decisions.report_id_b_raw != decisions.report_id_b
                    then 'report_id_b ''' || decisions.report_id_b_raw || ''' has stray spaces (trimmed)'
            end
        ], problem -> problem is not null) as corrections
    from decisions
    inner join pairs on decisions.pair_a = pairs.pair_a and decisions.pair_b = pairs.pair_b
)

select
    * exclude (rejections, corrections),
    case when len(rejections) > 0 then 'rejected' else 'current' end as status,
    array_to_string(list_concat(rejections, corrections), '; ') as problems,
    -- The latest of several alike decisions on one pair is the one applied.
    len(rejections) = 0 and row_number() over (
        partition by pair_a, pair_b, len(rejections) = 0 order by loaded_at desc, source_file desc, row_number desc
    ) = 1 as applied
from checked
union all by name
select
    * exclude (superseded),
    'superseded' as status,
    'its file ' || source_file || ' landed again since' as problems,
    false as applied
from landed
where superseded
