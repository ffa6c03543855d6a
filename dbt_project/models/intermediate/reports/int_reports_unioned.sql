-- Reports of civilian harm from every source of var('report_sources'), in one shape, with what
-- each says about where it happened (the input of int_report_admin1).
{{ union_report_source_models('reports') }}
