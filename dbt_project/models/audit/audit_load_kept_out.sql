{{ config(alias='load_kept_out') }}
-- Per load: the civilian deaths its records state (each record's civilian figure as written, the
-- maximum where the source gives a range) and how many of them quarantined records keep out of
-- the marts. Out-of-scope records are not counted as kept out (they are outside what the marts
-- hold by definition), nor are superseded ones (a newer version stands for them), nor API events
-- outside the month their fetch asked for (their own month's fetch publishes them). A civilian
-- figure that cannot be read, or is negative or implausible, counts 0.
-- Checked by expectations/suites/kept_out.yml: more than 1 % kept out fails the build.
with records as (
    {%- for model in report_record_models() %}
        select
            '{{ model.source }}' as source,
            load_id,
            -- An API event dated in another month than its fetch asked for is published from
            -- that month's fetch: not kept out (macro outside_requested_month).
            status = 'quarantined' and not {{ model.published_elsewhere }} as kept_out,
            case
                when {{ model.civilian_deaths }} between 0 and {{ var('max_plausible_count') }}
                    then {{ model.civilian_deaths }}
                else 0
            end as civilian_deaths
        from {{ ref(model.model) }}
        {{ 'union all' if not loop.last }}
    {%- endfor %}
)

select
    load_id,
    source,
    count(*) as records,
    count(*) filter (where kept_out) as records_quarantined,
    sum(civilian_deaths)::bigint as civilian_deaths_stated,
    coalesce(sum(civilian_deaths) filter (where kept_out), 0)::bigint as civilian_deaths_quarantined,
    coalesce(
        sum(civilian_deaths) filter (where kept_out)
        / nullif(sum(civilian_deaths), 0),
        0
    )::double as quarantined_share
from records
group by all
