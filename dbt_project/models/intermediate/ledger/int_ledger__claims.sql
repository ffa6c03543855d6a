-- The accepted ledger claims: current version, no problem of their own or of their part_of chain.
-- An average claim also carries the total it implies (the rate times the units of its period).
with accepted as (
    select * from {{ ref('int_ledger__claims_resolved') }}
    where rejection_reason is null
),

periods as (
    select
        *,
        date_first_day as event_date,
        case
            when coalesce(period_last_day, date_first_day) > date_first_day
                then period_last_day
        end as event_date_end
    from accepted
),

units as (
    select
        *,
        case
            when scope = 'average' then
                case average_per
                    when 'day' then date_diff('day', event_date, event_date_end) + 1
                    when 'week' then round((date_diff('day', event_date, event_date_end) + 1) / 7)
                    -- whole months from the first day up to the day after the last
                    when 'month' then date_diff('month', event_date, event_date_end + 1)
                    when 'year' then date_diff('year', event_date, event_date_end + 1)
                end
        end::bigint as average_units
    from periods
)

select
    *,
    civilians_killed_min * average_units as implied_civilians_killed_min,
    civilians_killed_max * average_units as implied_civilians_killed_max,
    civilians_injured_min * average_units as implied_civilians_injured_min,
    civilians_injured_max * average_units as implied_civilians_injured_max
from units
