-- Report x alleged belligerent, from every source of var('report_sources').
{{ union_report_source_models('report_belligerents') }}
