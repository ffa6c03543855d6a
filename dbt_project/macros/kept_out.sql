{#
    The triaged models whose records become reports, with the id of the report a record becomes
    and its civilian figure as the source wrote it (the upper bound where it gives a range):
    the one home of what audit.field_issues, audit.unmapped_names and audit.load_kept_out read;
    `published_elsewhere`: true for a quarantined record another load publishes (an API event
    dated in another month than its fetch asked for).
#}
{% macro report_record_models() -%}
    {{ return([
        {'source': 'airwars', 'model': 'int_airwars__incidents_triaged',
         'report_id': "'airwars:' || airwars_id", 'civilian_deaths': 'civilians_killed_max', 'published_elsewhere': 'false'},
        {'source': 'ucdp', 'model': 'int_ucdp__events_triaged',
         'report_id': "'ucdp:' || event_id", 'civilian_deaths': 'deaths_civilians', 'published_elsewhere': 'only_outside_requested_month'},
        {'source': 'acled', 'model': 'int_acled__events_triaged',
         'report_id': "'acled:' || event_id", 'civilian_deaths': 'fatalities', 'published_elsewhere': 'only_outside_requested_month'},
    ]) }}
{%- endmacro %}
