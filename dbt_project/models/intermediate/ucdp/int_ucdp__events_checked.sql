-- Every landed UCDP row (API pages and GED file drops) with the fetch it came from and the reasons
-- it must be kept out of the marts (if any). Replaced rows are checked too; int_ucdp__rejected
-- gives them their own reason. A file drop has no fetch: the file (its load) stands for one.
with events as (
    select * from {{ ref('stg_ucdp__events') }}
    union all by name
    select * from {{ ref('stg_ucdp__ged_events') }}
),

loads as (
    select
        load_id,
        json_extract_string(request_params, '$.version') as release,
        json_extract_string(request_params, '$.fetch_id') as fetch_id,
        (json_extract_string(request_params, '$.month') || '-01')::date as requested_month
    from {{ source('raw', '_loads') }}
    where source = 'ucdp'
),

actors as (
    select
        lower(actor) as actor_key,
        belligerent_id
    from {{ ref('api_actor_belligerents') }}
    where source = 'ucdp'
),

located as (
    select
        events.*,
        loads.release,
        coalesce(loads.fetch_id, events.load_id) as fetch_id,
        loads.requested_month,
        -- UCDP release numbers compare part by part: 25.1 > 25.0.3 > 24.1.
        list_transform(string_split(loads.release, '.'), part -> try_cast(part as integer))
            as release_order,
        count(*) over (partition by coalesce(loads.fetch_id, events.load_id), events.event_id)
            as copies_in_fetch,
        row_number() over (
            partition by coalesce(loads.fetch_id, events.load_id), events.event_id
            order by events.load_id, events.row_number
        ) as copy_in_fetch,
        countries.country_iso3
    from events
    left join loads on events.load_id = loads.load_id
    left join {{ ref('countries') }} as countries
        on lower(trim(events.country)) = lower(countries.country_name)
),

checked as (
    select
        located.*,
        nullif(concat_ws(
            '; ',
            case when event_id is null or event_id = '' then 'id is empty' end,
            case
                when copy_in_fetch > 1
                    then 'id ' || event_id || ' appears ' || copies_in_fetch || ' times in fetch ' || fetch_id
            end,
            {{ event_date_problems('date_start_raw', 'date_start', 'date_start') }},
            case
                when
                    date_start is not null
                    and date_trunc('month', date_start) != requested_month
                    then
                        'date_start ' || date_start || ' is outside the requested month '
                        || strftime(requested_month, '%Y-%m') || ' (the event belongs to month '
                        || strftime(date_start, '%Y-%m') || ')'
            end,
            case
                when date_end < date_start
                    then 'date_end ' || date_end || ' is before date_start ' || date_start
            end,
            case
                when country_iso3 is null
                    then 'country ''' || coalesce(country, '') || ''' is not in seeds/countries.csv'
            end,
            case
                when side_a_actor.actor_key is null
                    then 'side_a ''' || coalesce(side_a, '') || ''' not in seeds/api_actor_belligerents.csv'
            end,
            case
                when side_b_actor.actor_key is null
                    then 'side_b ''' || coalesce(side_b, '') || ''' not in seeds/api_actor_belligerents.csv'
            end,
            {{ whole_number_problems('deaths_civilians') }},
            {{ whole_number_problems('deaths_unknown') }},
            {{ whole_number_problems('best') }},
            {{ whole_number_problems('low') }},
            {{ whole_number_problems('high') }},
            case when low > best then 'low ' || low || ' exceeds best ' || best end,
            case when best > high then 'best ' || best || ' exceeds high ' || high end,
            case
                when deaths_civilians > best
                    then 'deaths_civilians ' || deaths_civilians || ' exceeds best ' || best
            end,
            case
                when deaths_civilians = 0
                    then 'out of scope: no civilian deaths in this event (deaths_civilians = 0)'
            end
        ), '') as rejection_reason
    from located
    left join actors as side_a_actor on lower(located.side_a) = side_a_actor.actor_key
    left join actors as side_b_actor on lower(located.side_b) = side_b_actor.actor_key
)

select * from checked
