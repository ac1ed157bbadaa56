-- Built once, when the capture closes (bulk load first, then index).
CREATE INDEX slice_track_start ON slice (track_id, start_ns);
CREATE INDEX slice_correlation ON slice (correlation_id) WHERE correlation_id IS NOT NULL;
CREATE INDEX counter_track_ts ON counter (track_id, ts_ns);
CREATE INDEX sample_ts ON sample (ts_ns);
CREATE INDEX instant_ts ON instant (ts_ns);
