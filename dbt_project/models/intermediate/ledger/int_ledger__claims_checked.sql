-- Every landed ledger claim with its figures read and the problems of its own values (if any).
-- part_of is resolved in int_ledger__claims_resolved, once every claim's own problems are known.
{%- set ledger_measures = ["civilians_killed", "civilians_injured", "children_killed", "women_killed"] %}
with claims as (
    select
        *,
        count(*) over (partition by load_id, claim_id) as copies_in_document
    from {{ ref('stg_ledger__claims') }}
),

documents as (
    select * from {{ ref('int_ledger__documents_versions') }}
),

figures as (
    select
        load_id,
        row_number,
        {%- for measure in ledger_measures %}
            any_value(quantity_min) filter (where measure = '{{ measure }}') as {{ measure }}_min,
            any_value(quantity_max) filter (where measure = '{{ measure }}') as {{ measure }}_max,
            any_value(quantity_best) filter (where measure = '{{ measure }}') as {{ measure }}_best,
            any_value(convention) filter (where measure = '{{ measure }}') as {{ measure }}_convention,
        {%- endfor %}
        string_agg(measure || ': unreadable quantity: ' || problem, '; ' order by measure)
            as figure_problems
    from {{ ref('int_ledger__figures') }}
    group by all
),

claimants as (
    select
        lower(trim(alias)) as alias,
        claimant_id
    from {{ ref('claimant_aliases') }}
),

countries as (
    select * from {{ ref('countries') }}
),

belligerent_names as (
    select
        load_id,
        row_number,
        trim(unnest(from_json(coalesce(belligerents_raw, '[]'), '["varchar"]'))) as alias
    from {{ ref('stg_ledger__claims') }}
),

unknown_belligerents as (
    {{ unknown_belligerent_aliases('belligerent_names') }}
),

joined as (
    select
        claims.*,
        documents.document_id is not null as document_landed,
        documents.published_date,
        documents.published_date_end,
        documents.url as document_url,
        coalesce(documents.load_id != documents.current_load_id, false) as is_superseded,
        documents.current_load_id,
        documents.current_source_file,
        claims.document_id || '/' || claims.claim_id as claim_key,
        case
            when claims.part_of like '%/%' then claims.part_of
            when claims.part_of is not null then claims.document_id || '/' || claims.part_of
        end as whole_claim_key,
        claimants.claimant_id,
        countries.country_iso3,
        -- Default: the precision of what is written; two days are a range of days.
        coalesce(claims.date_precision_raw, case
            when claims.date_end_raw is null then claims.date_form
            when 'year' in (claims.date_form, claims.date_end_form) then 'year'
            when 'month' in (claims.date_form, claims.date_end_form) then 'month'
            else 'range'
        end) as date_precision,
        coalesce(
            claims.date_end_last_day,
            case when claims.date_form in ('month', 'year') then claims.date_last_day end
        ) as period_last_day,
        unknown_belligerents.aliases as unknown_belligerents,
        figures.* exclude (load_id, row_number)
    from claims
    left join documents on claims.load_id = documents.load_id
    left join claimants on lower(claims.claimant) = claimants.alias
    left join countries on lower(claims.country) = lower(countries.country_name)
    left join unknown_belligerents
        on
            claims.load_id = unknown_belligerents.load_id
            and claims.row_number = unknown_belligerents.row_number
    left join figures
        on
            claims.load_id = figures.load_id
            and claims.row_number = figures.row_number
)

select
    *,
    nullif(concat_ws(
        '; ',
        case when not document_landed then 'the claim''s document was not landed with it' end,
        case when claim_id is null or claim_id = '' then 'id is empty' end,
        case
            when copies_in_document > 1
                then
                    'claim id ' || claim_id || ' appears ' || copies_in_document
                    || ' times in this document'
        end,
        case
            when claimant is null then 'claimant is empty'
            when claimant_id is null
                then 'claimant ''' || claimant || ''' is not in seeds/claimant_aliases.csv'
        end,
        case
            when scope is null then 'scope is empty'
            when scope not in ('incident', 'period', 'average')
                then 'scope ''' || scope || ''' is not incident, period or average'
        end,
        case
            when date_raw is null then 'date is empty'
            when date_first_day is null
                then 'date ''' || date_raw || ''' is not a date (YYYY-MM-DD, YYYY-MM or YYYY)'
            when date_first_day < date '{{ var("earliest_event_date") }}'
                then 'date ' || date_raw || ' is before {{ var("earliest_event_date") }}, impossible for this conflict'
            when date_first_day > current_date then 'date ' || date_raw || ' is in the future'
        end,
        case
            when date_end_raw is not null and date_end_first_day is null
                then 'date_end ''' || date_end_raw || ''' is not a date (YYYY-MM-DD, YYYY-MM or YYYY)'
            when date_end_last_day < date_first_day
                then 'date_end ' || date_end_raw || ' is before date ' || date_raw
        end,
        case
            when coalesce(period_last_day, date_first_day) > published_date_end
                then
                    'the claim reaches ' || coalesce(period_last_day, date_first_day)
                    || ', after its document was published (' || published_date_end || ')'
        end,
        case
            when date_precision not in ('day', 'range', 'month', 'year', 'approximate')
                then
                    'date_precision ''' || date_precision
                    || ''' is not day, range, month, year or approximate'
        end,
        case
            when scope = 'average' and average_per is null
                then 'an average claim needs average_per (day, week, month or year)'
            when scope = 'average' and average_per not in ('day', 'week', 'month', 'year')
                then 'average_per ''' || average_per || ''' is not day, week, month or year'
            when scope = 'average' and period_last_day is null
                then 'an average needs a period: give date_end or a month or year as date'
        end,
        case
            when country is null then 'country is empty'
            when country_iso3 is null
                then 'country ''' || country || ''' is not in seeds/countries.csv'
        end,
        case
            when latitude_raw is not null and (latitude is null or latitude not between -90 and 90)
                then 'latitude ''' || latitude_raw || ''' is not a number between -90 and 90'
        end,
        case
            when longitude_raw is not null and (longitude is null or longitude not between -180 and 180)
                then 'longitude ''' || longitude_raw || ''' is not a number between -180 and 180'
        end,
        case
            when unknown_belligerents is not null
                then 'belligerents ' || unknown_belligerents || ' not in seeds/belligerent_aliases.csv'
        end,
        case
            when civilians_killed_text is null and civilians_injured_text is null
                then 'the claim gives no figure (civilians_killed or civilians_injured)'
        end,
        figure_problems
    ), '') as own_problems
from joined
