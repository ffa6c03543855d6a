"""The report's most repeated markup written in SQL: a month page's row per report and an event
page's citation. At a million reports they are a million rows and six million citations, too many
to pass one by one through a template; DuckDB writes them set-wise, escaped as Jinja's autoescape
(markupsafe) escapes, so the pages are byte for byte what the templates wrote.
"""

from __future__ import annotations


def _escaped(column: str) -> str:
    """`column` escaped for HTML as markupsafe escapes it."""
    sql = column
    for char, entity in (("&", "&amp;"), (">", "&gt;"), ("<", "&lt;"), ("''", "&#39;")):
        sql = f"replace({sql}, '{char}', '{entity}')"
    return f"replace({sql}, '\"', '&#34;')"


def _present(column: str) -> str:
    """Jinja's truth of a value: neither null nor empty."""
    return f"coalesce({column}::varchar, '') <> ''"


def _figure(low: str, high: str) -> str:
    """The `figure` macro of templates/_macros.html (the table rows of month.html are written
    here, in SQL)."""
    return f"""case
        when {low} is null and {high} is null then '<span class="unknown">not reported</span>'
        when {high} is null or {low} = {high} then format('{{:,}}', {low})
        else concat(
            coalesce(format('{{:,}}', {low}), 'not reported'), '–', format('{{:,}}', {high})
        )
    end"""


E = _escaped
# One citation of rpt_citations (as `citations`) as events.html lists it.
CITATION_HTML = f"""concat(
    '<li><span class="cited-by">', {E("citations.report_id")}, '</span> ',
    {E("coalesce(nullif(citations.outlet_name, ''), 'unnamed outlet')")},
    case when {_present("citations.platform")}
        then concat(' (', {E("citations.platform")}, ')') else '' end,
    case when {_present("citations.cited_date")}
        then concat(', ', citations.cited_date) else '' end,
    ': ',
    case when {_present("citations.url")}
        then concat('<a href="', {E("citations.url")}, '" rel="noreferrer">',
                    {E("citations.url")}, '</a>')
        else 'no URL' end,
    case when {_present("citations.archive_url")}
        then concat(' (<a href="', {E("citations.archive_url")},
                    '" rel="noreferrer">archived</a>)')
        else '' end,
    '</li>'
)"""

# One report of rpt_reports with its `page` and `anchor` as month.html lists it: the data-*
# attributes its filters read, then its cells.
REPORT_ROW_HTML = f"""concat(
    '<tr data-source="', {E("source")},
    '" data-country="', {E("coalesce(country_iso3, '')")},
    '" data-grading="', {E("grading")},
    '" data-headline="', case when headline_grading then 'true' else 'false' end,
    '" data-belligerents="', {E("array_to_string(coalesce(belligerent_ids, []), ' ')")},
    '" data-summed="', case when summed then 'true' else 'false' end,
    '" data-min="', coalesce(civilians_killed_min::varchar, ''),
    '" data-max="', coalesce(civilians_killed_max::varchar, ''), '">
    <td>', event_date, '</td><td>', {E("source")},
    case when scope <> 'incident' then concat(' (', {E("scope")}, ' claim)') else '' end,
    '</td><td>', {E("coalesce(country_iso3, '')")},
    '</td><td>', {E("coalesce(admin1_name, '')")},
    '</td><td>', {E("coalesce(place, '')")}, '</td>
    <td>', {E("coalesce(belligerent_names, '')")}, '</td><td>', {E("grading")}, '</td>
    <td class="n" data-sort="', coalesce(civilians_killed_max, -1), '">',
    {_figure("civilians_killed_min", "civilians_killed_max")}, '</td>
    <td class="n">', format('{{:,}}', citations), '</td>
    <td><a href="../events/', page, '.html#', {E("anchor")}, '">', {E("report_id")}, '</a></td>
  </tr>'
)"""
