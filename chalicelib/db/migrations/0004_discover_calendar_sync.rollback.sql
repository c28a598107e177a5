DROP TABLE sync_runs;
DROP TABLE sync_state;
DROP TABLE release_events;
DROP TABLE discover_section_items;
DROP TABLE discover_sections;
