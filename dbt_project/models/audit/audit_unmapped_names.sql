{{ config(alias='unmapped_names') }}
-- Every belligerent or actor name no seed maps, with the reports that name it: what an analyst
-- maps in the seed the reason names, after which the reports are alleged against the mapped
-- belligerent instead of `unmapped`.
select
    source,
    field,
    value_as_written as name,
    case when source = 'airwars' then 'seeds/belligerent_aliases.csv' else 'seeds/api_actor_belligerents.csv' end
        as seed,
    count(distinct report_id) as reports
from {{ ref('audit_field_issues') }}
where reason like '%: alleged against unmapped'
group by all
