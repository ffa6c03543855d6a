-- Every quantity of every landed claim, read by the conventions of seeds/quantity_conventions.csv
-- (number words: seeds/number_words.csv). The text stays next to the numbers; a quantity no
-- convention reads gets a problem instead of numbers, and its claim is quarantined.
-- `civcas ledger check` runs this model itself (civcas/compiled_models.py): one home for the rules.
{#- A number inside a quantity: digits ("1,200") or words ("thirteen", "forty-two", "a dozen"). -#}
{#- Digits are grouped by thousands or not at all: "1,2" is no number (a decimal comma?), not 12. -#}
{%- set number = "([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+|(?:half an? |an? |one )[a-z]+|[a-z]+(?:-[a-z]+)?)" %}
{#- Nouns after the quantity that say nothing about the count ("300 civilians"). -#}
{%- set trailing_nouns = "(?: (?:civilians?|civilian|people|persons|individuals|dead|deaths"
    ~ "|killed|wounded|injured|casualties|victims))+$" %}
with claims as (
    select
        load_id,
        row_number,
        civilians_killed_text as civilians_killed,
        civilians_injured_text as civilians_injured,
        children_killed_text as children_killed,
        women_killed_text as women_killed
    from {{ ref('stg_ledger__claims') }}
),

quantities as (
    select *
    from claims
    unpivot (
        quantity_text for measure in (
            civilians_killed, civilians_injured, children_killed, women_killed
        )
    )
),

normalized as (
    select
        *,
        regexp_replace(
            lower(trim(replace(replace(quantity_text, '–', '-'), '—', '-'))), '\s+', ' ', 'g'
        ) as spaced
    from quantities
),

keyed as (
    select
        * exclude (spaced),
        coalesce(nullif(regexp_replace(spaced, '{{ trailing_nouns }}', ''), ''), spaced)
            as quantity_key
    from normalized
),

conventions as (
    select
        priority,
        convention,
        '^(?:' || replace(pattern, '{n}', '{{ number }}') || ')$' as regex,
        (length(pattern) - length(replace(pattern, '{n}', ''))) // 3 as numbers_in_pattern,
        coalesce(min_rule, '') as min_rule,
        coalesce(max_rule, '') as max_rule,
        coalesce(best_rule, '') as best_rule
    from {{ ref('quantity_conventions') }}
),

matched as (
    select
        keyed.*,
        conventions.convention,
        conventions.min_rule,
        conventions.max_rule,
        conventions.best_rule,
        case
            when conventions.numbers_in_pattern >= 1
                then regexp_extract(keyed.quantity_key, conventions.regex, 1)
        end as n_token,
        case
            when conventions.numbers_in_pattern >= 2
                then regexp_extract(keyed.quantity_key, conventions.regex, 2)
        end as m_token
    from keyed
    left join conventions on regexp_full_match(keyed.quantity_key, conventions.regex)
    qualify row_number() over (
        partition by keyed.load_id, keyed.row_number, keyed.measure
        order by conventions.priority nulls last
    ) = 1
),

words as (
    select
        lower(trim(word)) as word,
        value::bigint as value
    from {{ ref('number_words') }}
),

tokens as (
    select distinct n_token as token from matched
    where n_token is not null
    union
    select distinct m_token as token from matched
    where m_token is not null
),

token_values as (
    select
        tokens.token,
        case
            when regexp_full_match(tokens.token, '[0-9][0-9,]*')
                then try_cast(replace(tokens.token, ',', '') as bigint)
            when whole_word.value is not null then whole_word.value
            -- "forty-two": a multiple of ten from 20 to 90, then a unit.
            when tens.value between 20 and 90 and tens.value % 10 = 0 and units.value < 10
                then tens.value + units.value
        end as value
    from tokens
    left join words as whole_word on tokens.token = whole_word.word
    left join words as tens
        on tokens.token like '%-%' and split_part(tokens.token, '-', 1) = tens.word
    left join words as units
        on tokens.token like '%-%' and split_part(tokens.token, '-', 2) = units.word
),

valued as (
    select
        matched.*,
        n_value.value as n,
        m_value.value as m
    from matched
    left join token_values as n_value on matched.n_token = n_value.token
    left join token_values as m_value on matched.m_token = m_value.token
),

read as (
    select
        *,
        case
            when convention is null
                then '''' || quantity_text || ''' matches no convention of seeds/quantity_conventions.csv'
            when n_token is not null and n is null and n_token = quantity_key
                then
                    '''' || quantity_text || ''' matches no convention of seeds/quantity_conventions.csv'
                    || ' and is not a number word of seeds/number_words.csv'
            when n_token is not null and n is null
                then
                    '''' || n_token || ''' in ''' || quantity_text
                    || ''' is not a number word of seeds/number_words.csv'
            when m_token is not null and m is null
                then
                    '''' || m_token || ''' in ''' || quantity_text
                    || ''' is not a number word of seeds/number_words.csv'
            when m < n
                then 'the range ''' || quantity_text || ''' is reversed (' || n || ' > ' || m || ')'
            when greatest(n, m) > {{ var('max_plausible_count') }}
                then
                    '''' || quantity_text || ''' is beyond any plausible count (more than '
                    || {{ var('max_plausible_count') }} || ')'
        end as problem
    from valued
)

select
    load_id,
    row_number,
    measure,
    quantity_text,
    quantity_key,
    convention,
    {%- for bound in ['min', 'max', 'best'] %}
        case
            when problem is not null or {{ bound }}_rule = '' then null
            when {{ bound }}_rule = 'n' then n
            when {{ bound }}_rule = 'n+1' then n + 1
            when {{ bound }}_rule = 'n-1' then n - 1
            when {{ bound }}_rule = 'm' then m
            when {{ bound }}_rule = 'midpoint' then (n + m + 1) // 2
            -- 10% of n rounded up, at least 1
            when {{ bound }}_rule = 'n-10%' then greatest(0, n - greatest(1, (n + 9) // 10))
            when {{ bound }}_rule = 'n+10%' then n + greatest(1, (n + 9) // 10)
            else try_cast({{ bound }}_rule as bigint)
        end as quantity_{{ bound }},
    {%- endfor %}
    problem
from read
