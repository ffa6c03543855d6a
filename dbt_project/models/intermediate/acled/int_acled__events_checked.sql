-- Every landed ACLED row with the fetch it came from and the reasons it must be kept out of the
-- marts (if any). Replaced rows are checked too; int_acled__rejected gives them their own reason.
with events as (
    select * from {{ ref('stg_acled__events') }}
),

loads as (
    select
        load_id,
        json_extract_string(request_params, '$.fetch_id') as fetch_id,
        (json_extract_string(request_params, '$.month') || '-01')::date as requested_month
    from {{ source('raw', '_loads') }}
    where source = 'acled'
),

actors as (
    select
        lower(actor) as actor_key,
        belligerent_id
    from {{ ref('api_actor_belligerents') }}
    where source = 'acled'
),

located as (
    select
        events.*,
        loads.fetch_id,
        loads.requested_month,
        count(*) over (partition by loads.fetch_id, events.event_id) as copies_in_fetch,
        row_number() over (
            partition by loads.fetch_id, events.event_id order by events.load_id, events.row_number
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
            case when event_id is null or event_id = '' then 'event_id_cnty is empty' end,
            case
                when copy_in_fetch > 1
                    then
                        'event_id_cnty ' || event_id || ' appears ' || copies_in_fetch
                        || ' times in fetch ' || fetch_id
            end,
            {{ event_date_problems('event_date_raw', 'event_date', 'event_date') }},
            case
                when
                    event_date is not null
                    and date_trunc('month', event_date) != requested_month
                    then
                        'event_date ' || event_date || ' is outside the requested month '
                        || strftime(requested_month, '%Y-%m')
            end,
            case
                when country_iso3 is null
                    then 'country ''' || coalesce(country, '') || ''' is not in seeds/countries.csv'
            end,
            case
                when actor1_map.actor_key is null
                    then 'actor1 ''' || coalesce(actor1, '') || ''' not in seeds/api_actor_belligerents.csv'
            end,
            case
                when actor2 is not null and actor2_map.actor_key is null
                    then 'actor2 ''' || actor2 || ''' not in seeds/api_actor_belligerents.csv'
            end,
            {{ whole_number_problems('fatalities') }},
            case
                when source_timestamp is null
                    then 'timestamp ''' || coalesce(timestamp_raw, '') || ''' is not a Unix time'
            end,
            case
                when civilian_targeting is null
                    then 'out of scope: not a civilian-targeting event (civilian_targeting is empty)'
            end
        ), '') as rejection_reason
    from located
    left join actors as actor1_map on lower(located.actor1) = actor1_map.actor_key
    left join actors as actor2_map on lower(located.actor2) = actor2_map.actor_key
)

select * from checked
