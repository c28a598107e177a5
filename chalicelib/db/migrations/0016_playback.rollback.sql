DROP TABLE storage_evictions;
DROP TABLE playback_next_up;
