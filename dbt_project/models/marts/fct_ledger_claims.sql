-- One accepted claim of the ledger, with what was written next to the numbers read from it.
-- Its figures, dates and place are in fct_civilian_harm_reports (same report_id).
{%- set ledger_measures = ["civilians_killed", "civilians_injured", "children_killed", "women_killed"] %}
with claims as (
    select * from {{ ref('int_ledger__claims_triaged') }}
    where status = 'current'
),

-- Month-precision period claims of each claimant, to compare with its averages.
monthly as (
    select
        claimant_id,
        event_date,
        event_date_end,
        civilians_killed_min,
        civilians_killed_max
    from claims
    where
        scope = 'period'
        and date_precision = 'month'
        and event_date = date_trunc('month', event_date)
        and event_date_end = last_day(event_date)
),

averages as (
    select
        claims.claim_key,
        count(monthly.event_date) as monthly_claims_inside,
        sum(monthly.civilians_killed_min) as monthly_killed_min_sum,
        sum(monthly.civilians_killed_max) as monthly_killed_max_sum
    from claims
    left join monthly
        on
            claims.claimant_id = monthly.claimant_id
            and claims.event_date <= monthly.event_date
            and claims.event_date_end >= monthly.event_date_end
    where claims.scope = 'average' and claims.average_per = 'month'
    group by claims.claim_key
)

select
    'ledger:' || claims.claim_key as report_id,
    claims.document_id,
    claims.claim_id,
    claims.claimant_id,
    claims.claimant as claimant_as_written,
    claims.scope,
    claims.event_date,
    claims.event_date_end,
    claims.date_precision,
    claims.date_text,
    claims.admin1 as admin1_as_written,
    claims.average_per,
    claims.average_units,
    {%- for measure in ledger_measures %}
        claims.{{ measure }}_text as {{ measure }}_as_written,
        claims.{{ measure }}_convention,
        claims.{{ measure }}_min,
        claims.{{ measure }}_max,
        claims.{{ measure }}_best,
    {%- endfor %}
    claims.implied_civilians_killed_min,
    claims.implied_civilians_killed_max,
    claims.implied_civilians_injured_min,
    claims.implied_civilians_injured_max,
    averages.monthly_claims_inside,
    averages.monthly_killed_min_sum,
    -- An average agrees with the same claimant's monthly figures inside its period when their sum
    -- stays within the total it implies, and (if every month is covered) reaches it, both within
    -- the tolerance var ledger_average_tolerance (default 25%).
    case
        when claims.scope = 'average' and claims.average_per = 'month' then
            coalesce(
                averages.monthly_killed_min_sum
                <= claims.implied_civilians_killed_max * (1 + {{ var('ledger_average_tolerance', 0.25) }}), true
            )
            and (
                averages.monthly_claims_inside < claims.average_units
                or coalesce(
                    averages.monthly_killed_max_sum
                    >= claims.implied_civilians_killed_min * (1 - {{ var('ledger_average_tolerance', 0.25) }}), true
                )
            )
    end as average_agrees_with_monthly_claims,
    'ledger:' || claims.whole_claim_key as part_of_report_id,
    claims.quote,
    claims.notes,
    claims.source_file,
    claims.line as source_line,
    claims.load_id
from claims
left join averages on claims.claim_key = averages.claim_key
