-- Every landed ledger claim with its figures read, triaged: superseded when its document was landed
-- again; quarantined for its own problems, or when its part_of (directly or further up) points to
-- no claim, to a quarantined claim, or back to itself; else current. A current average claim also
-- carries the total it implies (the rate times the units of its period).
{%- set ledger_measures = ["civilians_killed", "civilians_injured", "children_killed", "women_killed"] %}
with recursive claims as (
    select
        *,
        count(*) over (partition by load_id, claim_id) as copies_in_document
    from {{ ref('stg_ledger__claims') }}
),

documents as (
    select * from {{ ref('int_ledger__documents_triaged') }}
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
        list({ 'field': measure, 'problem': 'unreadable quantity: ' || problem } order by measure)
        filter (where problem is not null) as figure_problems
    from {{ ref('int_ledger__figures') }}
    group by all
),

claimants as (
    select
        lower(trim(alias)) as alias,
        claimant_id
    from {{ ref('claimant_aliases') }}
),

unknown_belligerents as (
    {{ unknown_belligerent_aliases(ref('stg_ledger__claims')) }}
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
    left join {{ ref('countries') }} as countries on lower(claims.country) = lower(countries.country_name)
    left join unknown_belligerents
        on
            claims.load_id = unknown_belligerents.load_id
            and claims.row_number = unknown_belligerents.row_number
    left join figures
        on
            claims.load_id = figures.load_id
            and claims.row_number = figures.row_number
),

-- Each problem of a claim with the YAML field it is about (null: the claim as a whole), for
-- `civcas ledger check` to point at.
listed as (
    select
        *,
        list_concat(
            list_filter([
                {
                    'field': null,
                    'problem': case when not document_landed then 'the claim''s document was not landed with it' end
                },
                { 'field': 'id', 'problem': case when claim_id is null or claim_id = '' then 'id is empty' end },
                {
                    'field': 'id',
                    'problem': {{ repeated_in_file('claim id', 'claim_id', 'copies_in_document', 'document') }}
                },
                {
                    'field': 'claimant',
                    'problem': case
                        when claimant is null then 'claimant is empty'
                        when claimant_id is null
                            then 'claimant ''' || claimant || ''' is not in seeds/claimant_aliases.csv'
                    end
                },
                {
                    'field': 'scope',
                    'problem': case
                        when scope is null then 'scope is empty'
                        when scope not in ('incident', 'period', 'average')
                            then 'scope ''' || scope || ''' is not incident, period or average'
                    end
                },
                {
                    'field': 'date',
                    'problem': case
                        when date_raw is null then 'date is empty'
                        when date_first_day is null
                            then 'date ''' || date_raw || ''' is not a date (YYYY-MM-DD, YYYY-MM or YYYY)'
                        when date_first_day < date '{{ var("earliest_event_date") }}'
                            then
                                'date ' || date_raw
                                || ' is before {{ var("earliest_event_date") }}, impossible for this conflict'
                        when date_first_day > current_date then 'date ' || date_raw || ' is in the future'
                    end
                },
                {
                    'field': 'date_end',
                    'problem': case
                        when date_end_raw is not null and date_end_first_day is null
                            then 'date_end ''' || date_end_raw || ''' is not a date (YYYY-MM-DD, YYYY-MM or YYYY)'
                        when date_end_last_day < date_first_day
                            then 'date_end ' || date_end_raw || ' is before date ' || date_raw
                    end
                },
                {
                    -- The last day a claim reaches is its date_end's when it has one.
                    'field': case when date_end_raw is null then 'date' else 'date_end' end,
                    'problem': case
                        when coalesce(period_last_day, date_first_day) > published_date_end
                            then
                                'the claim reaches ' || coalesce(period_last_day, date_first_day)
                                || ', after its document was published (' || published_date_end || ')'
                    end
                },
                {
                    'field': 'date_precision',
                    'problem': case
                        when date_precision not in ('day', 'range', 'month', 'year', 'approximate')
                            then
                                'date_precision ''' || date_precision
                                || ''' is not day, range, month, year or approximate'
                    end
                },
                {
                    'field': 'average_per',
                    'problem': case
                        when scope = 'average' and average_per is null
                            then 'an average claim needs average_per (day, week, month or year)'
                        when scope = 'average' and average_per not in ('day', 'week', 'month', 'year')
                            then 'average_per ''' || average_per || ''' is not day, week, month or year'
                    end
                },
                {
                    'field': 'date',
                    'problem': case
                        when
                            scope = 'average' and average_per in ('day', 'week', 'month', 'year')
                            and period_last_day is null
                            then 'an average needs a period: give date_end or a month or year as date'
                    end
                },
                {
                    'field': 'country',
                    'problem': case
                        when country is null then 'country is empty'
                        when country_iso3 is null
                            then 'country ''' || country || ''' is not in seeds/countries.csv'
                    end
                },
                { 'field': 'latitude', 'problem': {{ coordinate_problems('latitude', 90) }} },
                { 'field': 'longitude', 'problem': {{ coordinate_problems('longitude', 180) }} },
                {
                    'field': 'belligerents',
                    'problem': case
                        when unknown_belligerents is not null
                            then 'belligerents ' || unknown_belligerents || ' not in seeds/belligerent_aliases.csv'
                    end
                },
                {
                    'field': null,
                    'problem': case
                        when civilians_killed_text is null and civilians_injured_text is null
                            then 'the claim gives no figure (civilians_killed or civilians_injured)'
                    end
                },
                {%- for measure in ['civilians_killed', 'civilians_injured'] %}
                    {
                        'field': '{{ measure }}',
                        'problem': case
                            when
                                scope = 'incident'
                                and coalesce({{ measure }}_max, {{ measure }}_min)
                                > {{ var('max_incident_' ~ measure) }}
                                then
                                    '''' || {{ measure }}_text || ''' reaches '
                                    || coalesce({{ measure }}_max, {{ measure }}_min)
                                    || ', more than one incident plausibly counts'
                                    || ' ({{ var("max_incident_" ~ measure) }}): give the claim scope'
                                    || ' period, or a closer figure'
                        end
                    },
                {%- endfor %}
            ], found -> found.problem is not null),
            coalesce(figure_problems, [])
        ) as own_problem_list
    from joined
),

checked as (
    select
        *,
        {{ ledger_problems_text('own_problem_list') }} as own_problems
    from listed
),

-- part_of chains are resolved among the claims of the current document versions.
not_superseded as (
    select * from checked
    where not is_superseded
),

-- Claims by key: a key used twice in one document is ambiguous (both copies are quarantined).
keys as (
    select
        claim_key,
        count(*) as copies,
        bool_or(own_problems is null) as any_fine,
        any_value(own_problems) as problems
    from not_superseded
    group by claim_key
),

chain (claim_key, whole_claim_key, depth, visited) as (
    select
        claim_key,
        whole_claim_key,
        1,
        [claim_key]
    from not_superseded
    where whole_claim_key is not null
    union all
    select
        chain.claim_key,
        claims.whole_claim_key,
        chain.depth + 1,
        list_append(chain.visited, chain.whole_claim_key)
    from chain
    inner join not_superseded as claims on chain.whole_claim_key = claims.claim_key
    where
        claims.whole_claim_key is not null
        and not list_contains(chain.visited, chain.whole_claim_key)
),

chain_steps as (
    select
        chain.claim_key,
        chain.depth,
        case
            when
                list_contains(chain.visited, chain.whole_claim_key) and chain.depth > 1
                or chain.whole_claim_key = chain.claim_key
                then 'part_of forms a cycle through ''' || chain.whole_claim_key || ''''
            when keys.claim_key is null and chain.depth = 1
                then 'part_of ''' || chain.whole_claim_key || ''' points to no claim'
            when keys.claim_key is null
                then 'part_of chain: ''' || chain.whole_claim_key || ''' points to no claim'
            when keys.copies > 1
                then
                    'part_of ''' || chain.whole_claim_key || ''' is ambiguous (id used '
                    || keys.copies || ' times)'
            when not keys.any_fine
                then
                    'part_of ''' || chain.whole_claim_key || ''' is a quarantined claim ('
                    || keys.problems || ')'
        end as problem
    from chain
    left join keys on chain.whole_claim_key = keys.claim_key
),

chain_problems as (
    select
        claim_key,
        list({ 'field': 'part_of', 'problem': problem } order by depth) filter (where problem is not null)
            as problem_list
    from chain_steps
    group by claim_key
),

resolved as (
    select
        checked.*,
        case
            when not checked.is_superseded
                then list_concat(checked.own_problem_list, coalesce(chain_problems.problem_list, []))
        end as problems
    from checked
    left join chain_problems on checked.claim_key = chain_problems.claim_key
),

reasoned as (
    select
        *,
        {{ ledger_problems_text('problems') }} as rejection_reason
    from resolved
),

periods as (
    select
        *,
        date_first_day as event_date,
        case
            when coalesce(period_last_day, date_first_day) > date_first_day
                then period_last_day
        end as event_date_end
    from reasoned
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
    * exclude (rejection_reason, own_problem_list, figure_problems, problems),
    -- Each problem with the YAML field it is about: what `civcas ledger check` points at.
    nullif(problems, []) as problems,
    case
        when is_superseded then 'superseded'
        when rejection_reason is not null then 'quarantined'
        else 'current'
    end as status,
    case
        when is_superseded
            then
                'superseded by a newer version of document ' || document_id || ' (' || current_source_file
                || ', load ' || current_load_id || ')'
        else rejection_reason
    end as reason,
    'claim=' || coalesce(claim_key, '') as record_key,
    civilians_killed_min * average_units as implied_civilians_killed_min,
    civilians_killed_max * average_units as implied_civilians_killed_max,
    civilians_injured_min * average_units as implied_civilians_injured_min,
    civilians_injured_max * average_units as implied_civilians_injured_max
from units
