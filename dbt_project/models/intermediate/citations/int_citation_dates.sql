-- Each distinct source_date text with the date it means. The texts are Arabic dates such as
-- "2 مارس 2026" (day, month name, year) with Egyptian or Levantine month names (seed
-- arabic_months), possibly in Arabic-Indic digits; an ISO date is accepted too. Texts that do
-- not parse keep a null date, and so do implausible dates (before 1990, or in the future: the
-- export holds "31 ديسمبر 0399").
with citations as (
    select * from {{ ref('int_citations__prepared') }}
),

months as (
    select distinct
        -- month names are compared the way texts are normalized below (so أبريل = ابريل)
        regexp_replace(strip_accents(trim(month_name)), '\s+', ' ', 'g') as month_name,
        month_number
    from {{ ref('arabic_months') }}
),

texts as (
    select distinct source_date_raw as cited_date_text
    from citations
    where nullif(trim(source_date_raw), '') is not null
),

normalized as (
    select
        cited_date_text,
        trim(regexp_replace(
            strip_accents(
                -- Arabic-Indic and Persian digits to ASCII
                translate(cited_date_text, '٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹', '01234567890123456789')
            ),
            '[\s,،]+', ' ', 'g'
        )) as date_text
    from texts
),

parts as (
    select
        cited_date_text,
        date_text,
        regexp_extract(
            date_text, '^([0-9]{1,2}) (.+) ([0-9]{4})$', ['day_text', 'month_text', 'year_text']
        ) as day_month_year
    from normalized
),

parsed as (
    select
        parts.cited_date_text,
        coalesce(
            try_cast(parts.date_text as date),
            try_cast(
                concat_ws(
                    '-', parts.day_month_year.year_text, months.month_number, parts.day_month_year.day_text
                ) as date
            )
        ) as parsed_date
    from parts
    left join months on parts.day_month_year.month_text = months.month_name
)

select
    cited_date_text,
    parsed_date,
    case when parsed_date between date '1990-01-01' and current_date then parsed_date end as cited_date
from parsed
