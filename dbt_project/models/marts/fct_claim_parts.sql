-- A ledger claim that is part of another (part -> whole), compared measure by measure using the
-- minima: the part's minimum must not exceed the whole's minimum.
{%- set ledger_measures = ["civilians_killed", "civilians_injured", "children_killed", "women_killed"] %}
with claims as (
    select * from {{ ref('int_ledger__claims_triaged') }}
    where status = 'current'
),

pairs as (
    select
        'ledger:' || parts.claim_key as part_report_id,
        'ledger:' || wholes.claim_key as whole_report_id,
        {%- for measure in ledger_measures %}
            parts.{{ measure }}_min as part_{{ measure }}_min,
            wholes.{{ measure }}_min as whole_{{ measure }}_min,
            wholes.{{ measure }}_max as whole_{{ measure }}_max,
            coalesce(parts.{{ measure }}_min <= wholes.{{ measure }}_min, true) as {{ measure }}_within_whole,
        {%- endfor %}
        parts.claimant_id as part_claimant_id,
        wholes.claimant_id as whole_claimant_id
    from claims as parts
    inner join claims as wholes on parts.whole_claim_key = wholes.claim_key
)

select
    *,
    {% for measure in ledger_measures -%}
        {{ measure }}_within_whole{{ ' and ' if not loop.last }}
    {%- endfor %} as within_whole,
    nullif(concat_ws(
        ', ',
        {%- for measure in ledger_measures %}
            case when not {{ measure }}_within_whole then '{{ measure }}' end{{ ',' if not loop.last }}
        {%- endfor %}
    ), '') as measures_exceeding_whole
from pairs
