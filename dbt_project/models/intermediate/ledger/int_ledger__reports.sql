-- Accepted ledger claims in the shape of fct_civilian_harm_reports, with what they say about where
-- they happened (admin1_text, resolved to an admin-1 in int_report_admin1).
-- Belligerents: the names it gives; none written means unknown.
with current_claims as (
    select * from {{ ref('int_ledger__claims_triaged') }}
    where status = 'current'
),

belligerents as (
    {{ belligerents_of('ledger', 'current_claims', 'claim_key', 'belligerent_names') }}
)

select
    'ledger:' || claim_key as report_id,
    'ledger' as source,
    claim_key as source_record_id,
    event_date,
    event_date_end,
    date_precision,
    country_iso3,
    place,
    admin1 as admin1_text,
    null::varchar as admin1_text_alt,
    latitude,
    longitude,
    case
        when latitude is not null and longitude is not null then 'coordinates'
        when place is not null then 'place'
        when admin1 is not null then 'admin1'
        else 'country'
    end as geo_precision,
    scope,
    null::varchar as strike_status,
    null::varchar as grading,
    -- A claim counts no men: men_killed_* stay empty (int_reports_unioned unions by name).
    {{ figure_range_columns([
        'civilians_killed', 'children_killed', 'women_killed', 'civilians_injured'
    ]) }},
    document_url as source_url,
    claimant_id,
    implied_civilians_killed_min,
    implied_civilians_killed_max,
    load_id,
    belligerents.belligerent_ids,
    {{ built_at() }}
from current_claims
left join belligerents on current_claims.claim_key = belligerents.event_id
