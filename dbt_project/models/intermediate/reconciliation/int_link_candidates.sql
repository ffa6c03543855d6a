-- Candidate pairs of reports (report_id_a < report_id_b) with the evidence for and against their
-- being one event, and whether the rules link them. Pairs come from blocking, never from all
-- pairs: same country, same week of one report's window padded by its date window, and (when
-- both have coordinates) neighbouring grid cells. Same-source pairs are never candidates, except
-- ledger claims of different claimants: they are left out inside the blocking joins (a single
-- source's million reports would otherwise pair up by the hundred million before being dropped).
-- Incremental: the pairs of the reports int_link_reports built since its last build, or that it no
-- longer holds (link_reports_built_since; incremental_by_key.sql). Only the reports near a touched
-- one are blocked: the same country, dates within both date windows and a week.
{{ incremental_by_key_config(
    'report_id', 'link_reports_built_since', key_columns=['report_id_a', 'report_id_b']
) }}

with reports as (
    select
        *,
        floor(latitude / {{ var('link_grid_degrees') }})::integer as cell_y,
        floor(longitude / {{ var('link_grid_degrees') }})::integer as cell_x,
        (date_from - date '2000-01-03') // 7 as week_from,
        (date_to - date '2000-01-03') // 7 as week_to,
        (date_from - date_window_days - date '2000-01-03') // 7 as padded_week_from,
        (date_to + date_window_days - date '2000-01-03') // 7 as padded_week_to
    -- linkable is read only by the incremental build's filter
    from {{ ref('int_link_reports') }} as linkable  -- noqa: AL05
    {%- if is_incremental() %}
        where exists (
            select 1 from {{ ref('int_link_reports') }} as touched
            where
                {{ only_touched('touched.report_id') }}
                and touched.country_iso3 = linkable.country_iso3
                and linkable.date_from - linkable.date_window_days
                <= touched.date_to + touched.date_window_days + 7
                and linkable.date_to + linkable.date_window_days
                >= touched.date_from - touched.date_window_days - 7
        )
    {%- endif %}
),

offsets as (
    select
        dy.step as dy,
        dx.step as dx
    from (select unnest([-1, 0, 1]) as step) as dy
    cross join (select unnest([-1, 0, 1]) as step) as dx
),

-- Every week a report's padded window reaches, and the grid cells around its own.
padded as (
    select
        reports.report_id,
        reports.source,
        reports.claimant_id,
        reports.country_iso3,
        unnest(range(reports.padded_week_from, reports.padded_week_to + 1)) as week,
        reports.cell_y + offsets.dy as cell_y,
        reports.cell_x + offsets.dx as cell_x,
        offsets.dy = 0 and offsets.dx = 0 as is_own_cell
    from reports
    inner join offsets on reports.cell_y is not null or (offsets.dy = 0 and offsets.dx = 0)
),

report_sources as (
    select distinct source from reports
),

-- Every week a report's own dates cover, in its own cell, once per source its reports may link
-- to (partner_source): the blocking joins match on it, so one source's reports are never paired
-- with each other only to be dropped (sources_may_link still decides).
own as (
    select
        reports.report_id,
        reports.source,
        reports.claimant_id,
        reports.country_iso3,
        unnest(range(reports.week_from, reports.week_to + 1)) as week,
        reports.cell_y,
        reports.cell_x,
        partners.source as partner_source
    from reports
    inner join report_sources as partners
        on reports.source != partners.source or {{ links_within_source('reports.source') }}
),

blocked as (
    select
        padded.report_id as report_x,
        own.report_id as report_y
    from padded
    inner join own
        on
            padded.country_iso3 = own.country_iso3
            and padded.week = own.week
            and padded.cell_y = own.cell_y
            and padded.cell_x = own.cell_x
            and padded.source = own.partner_source
            and {{ sources_may_link('padded', 'own') }}
    union
    -- Either side without a grid cell: blocked by country and week only.
    select
        padded.report_id as report_x,
        own.report_id as report_y
    from padded
    inner join own
        on
            padded.country_iso3 = own.country_iso3
            and padded.week = own.week
            and padded.source = own.partner_source
            and {{ sources_may_link('padded', 'own') }}
    where padded.is_own_cell and (padded.cell_y is null or own.cell_y is null)
),

pairs as (
    select distinct
        least(report_x, report_y) as report_id_a,
        greatest(report_x, report_y) as report_id_b
    from blocked
    where
        report_x != report_y
        and ({{ only_touched('report_x') }} or {{ only_touched('report_y') }})
),

evidence as (
    select
        pairs.report_id_a,
        pairs.report_id_b,
        a.source as source_a,
        b.source as source_b,
        greatest(0, b.date_from - a.date_to, a.date_from - b.date_to) as days_apart,
        greatest(a.date_window_days, b.date_window_days) as date_window_days,
        round({{ km_between('a.latitude', 'a.longitude', 'b.latitude', 'b.longitude') }}, 2)
            as km_apart,
        greatest(a.geo_window_km, b.geo_window_km) as geo_window_km,
        a.admin1_code = b.admin1_code as same_admin1,
        a.city_wide or b.city_wide as city_wide,
        -- Both name a place of their own (not only a major city): then the names must agree.
        len(a.place_words) > 0 and len(b.place_words) > 0 and not a.city_wide and not b.city_wide
            as both_name_places,
        list_intersect(a.belligerent_ids, b.belligerent_ids) as belligerents_in_common,
        len(a.belligerent_ids) > 0 and len(b.belligerent_ids) > 0 as belligerents_known,
        list_filter(
            a.place_words,
            word_a -> len(list_filter(
                b.place_words,
                word_b -> jaro_winkler_similarity(word_a, word_b) >= {{ var('place_name_similarity') }}
                -- The same consonants in a short word, vowels spelled apart ("Tidif", "Tadaf").
                or (
                    length(word_a) >= 4
                    and regexp_replace(word_a, '[aiu]', '', 'g') = regexp_replace(word_b, '[aiu]', '', 'g')
                )
            )) > 0
        ) as place_words_alike,
        -- Figures are compared only when both reports give one (greatest() skips NULLs).
        case
            when a.civilians_killed_min is not null and b.civilians_killed_min is not null
                then greatest(a.civilians_killed_min, b.civilians_killed_min)
        end as higher_min,
        least(
            coalesce(a.civilians_killed_max, a.civilians_killed_min + 1000000),
            coalesce(b.civilians_killed_max, b.civilians_killed_min + 1000000)
        ) as lower_max,
        'ledger' in (a.source, b.source) as has_claim,
        -- Only a source that tallies a town's day in one report (var day_tally_sources) may hold
        -- another report's toll; an Airwars incident located at a city centre is still one strike.
        (
            a.city_wide and a.source in {{ sql_list(var('day_tally_sources')) }}
            and a.civilians_killed_min >= b.civilians_killed_max
        )
        or (
            b.city_wide and b.source in {{ sql_list(var('day_tally_sources')) }}
            and b.civilians_killed_min >= a.civilians_killed_max
        ) as city_toll_holds_other
    from pairs
    inner join reports as a on pairs.report_id_a = a.report_id
    inner join reports as b on pairs.report_id_b = b.report_id
    where
        greatest(0, b.date_from - a.date_to, a.date_from - b.date_to)
        <= greatest(a.date_window_days, b.date_window_days)
),

figured as (
    select
        * exclude (higher_min, lower_max, has_claim),
        higher_min <= lower_max as figures_overlap,
        -- Two monitors' counts of one strike rarely differ by more than half again plus a few
        -- deaths. A ledger claim may disagree with anyone: that is what claims are compared for;
        -- a town's daily tally may hold the strike's toll (the city-wide gate below still asks
        -- for the same day).
        has_claim or coalesce(city_toll_holds_other, false) or coalesce(
            higher_min <= lower_max * {{ var('figures_tolerance_ratio') }} + {{ var('figures_tolerance_deaths') }},
            true
        ) as figures_compatible
    from evidence
),

judged as (
    select
        *,
        -- Neighbouring villages lie inside one another's precision window: two reports that
        -- name different places are not linked by distance alone.
        not (both_name_places and len(place_words_alike) = 0)
        and case
            when km_apart is not null
                then
                    km_apart <= geo_window_km
                    -- A major city's centre stands for the whole city (the city gate below applies).
                    or (city_wide and km_apart <= {{ var('city_wide_max_km') }})
                    -- The same place name, spelled two ways, may carry coordinates a town apart.
                    or (len(place_words_alike) > 0 and km_apart <= {{ var('named_place_max_km') }})
            else coalesce(same_admin1, false) and len(place_words_alike) > 0
        end as place_within_window,
        len(belligerents_in_common) > 0
        or not belligerents_known
        -- Belligerents are a weak test: UCDP codes dyads, not who struck (docs/reconciliation.md).
        -- The same named place within its window outweighs them.
        or (len(place_words_alike) > 0 and coalesce(km_apart <= geo_window_km, same_admin1, false))
            as belligerents_compatible,
        round(
            0.35 * (1 - days_apart / (date_window_days + 1))
            + 0.35 * case
                when km_apart is not null
                    then
                        0.7 * greatest(0, 1 - km_apart / greatest(geo_window_km, {{ var('named_place_max_km') }}))
                        + 0.3 * (len(place_words_alike) > 0)::integer
                else 0.6
            end
            + 0.2 * case when len(belligerents_in_common) > 0 then 1 else 0.5 end
            + 0.1 * case figures_overlap when true then 1 when false then 0 else 0.5 end,
            3
        ) as score
    from figured
)

select
    *,
    place_within_window
    and belligerents_compatible
    and figures_compatible
    -- A city-wide report matches a strike in that city only on the same day, with the same toll
    -- or a toll that can hold it (a city's daily count sums several strikes).
    and (not city_wide or (days_apart = 0 and coalesce(figures_overlap or city_toll_holds_other, false)))
    and score >= {{ var('link_min_score') }} as rule_linked
from judged
