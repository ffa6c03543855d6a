-- The keys the seeds list, each with its outlet: an outlet is listed under the keys of its
-- aliases, of its outlet_id and of its outlet_name. A key listed for two outlets is a conflict
-- in the seeds (caught by the unique test on outlet_key).
with outlets as (
    select * from {{ ref('outlets') }}
),

aliases as (
    select * from {{ ref('outlet_aliases') }}
),

spellings as (
    select * from {{ ref('int_outlet_spellings') }}
),

listed as (
    select
        aliases.outlet_id,
        aliases.alias as spelling
    from aliases
    union
    select
        outlet_id,
        outlet_id  -- noqa: AL08
    from outlets
    union
    select
        outlet_id,
        outlet_name
    from outlets
)

select distinct
    spellings.outlet_key,
    listed.outlet_id
from listed
inner join spellings on listed.spelling = spellings.spelling
where spellings.outlet_key is not null
