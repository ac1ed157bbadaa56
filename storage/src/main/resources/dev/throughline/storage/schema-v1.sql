-- Throughline capture schema, version 1.
-- One capture = one SQLite file. Raw tables are bulk-loaded without indexes;
-- indexes (index-v1.sql) and the summary_* tables are written when the capture closes.
-- Times are int64 nanoseconds on one clock per host.

CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

-- Every repeated name (kernel, op, frame, span, arg key) is stored once.
CREATE TABLE string (id INTEGER PRIMARY KEY, value TEXT NOT NULL);

-- Our fixed slice categories; slice.category holds the id.
CREATE TABLE category (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);

CREATE TABLE process (
  id INTEGER PRIMARY KEY, host TEXT, pid INTEGER, name TEXT, kind TEXT, cmdline TEXT, rank INTEGER);

CREATE TABLE thread (id INTEGER PRIMARY KEY, process_id INTEGER NOT NULL, tid INTEGER, name TEXT);

-- A row of the timeline: a thread, a GPU stream, a counter, an annotation row.
CREATE TABLE track (
  id INTEGER PRIMARY KEY, kind TEXT NOT NULL, process_id INTEGER, thread_id INTEGER,
  device INTEGER, stream INTEGER, name_id INTEGER);

CREATE TABLE slice (
  id INTEGER PRIMARY KEY, track_id INTEGER NOT NULL, start_ns INTEGER NOT NULL,
  dur_ns INTEGER NOT NULL, name_id INTEGER NOT NULL, category INTEGER NOT NULL,
  depth INTEGER NOT NULL DEFAULT 0, parent_id INTEGER, correlation_id INTEGER, args_id INTEGER);

-- Argument sets, deduplicated, each one compact blob (ArgCodec: interned keys and short values).
-- Readable in SQL through the function args_json(data) that Throughline's connections register.
CREATE TABLE arg_set (id INTEGER PRIMARY KEY, data BLOB NOT NULL);

-- Flow arrows (Chrome 's'/'f' events): a start point and an end point on two tracks.
CREATE TABLE flow (
  flow_id INTEGER NOT NULL, name_id INTEGER, category_id INTEGER,
  from_track_id INTEGER, from_ts_ns INTEGER, to_track_id INTEGER, to_ts_ns INTEGER);

-- Instant events (Chrome 'i'/'I').
CREATE TABLE instant (track_id INTEGER NOT NULL, ts_ns INTEGER NOT NULL, name_id INTEGER NOT NULL, args_id INTEGER);

CREATE TABLE counter (track_id INTEGER NOT NULL, ts_ns INTEGER NOT NULL, value REAL NOT NULL);

CREATE TABLE frame (id INTEGER PRIMARY KEY, name_id INTEGER NOT NULL, module_id INTEGER, file_id INTEGER, line INTEGER);
CREATE TABLE callsite (id INTEGER PRIMARY KEY, parent_id INTEGER, frame_id INTEGER NOT NULL, depth INTEGER NOT NULL);
CREATE TABLE sample (ts_ns INTEGER NOT NULL, thread_id INTEGER, callsite_id INTEGER NOT NULL, weight INTEGER NOT NULL DEFAULT 1);

-- Everything an agent or importer dropped, counted, never hidden.
CREATE TABLE loss (source TEXT NOT NULL, kind TEXT NOT NULL, count INTEGER NOT NULL, example TEXT,
  PRIMARY KEY (source, kind));

-- Summaries, written at close so reports never scan the raw tables.
CREATE TABLE summary_category (category INTEGER PRIMARY KEY, count INTEGER NOT NULL, total_ns INTEGER NOT NULL);
CREATE TABLE summary_name (
  category INTEGER NOT NULL, name_id INTEGER NOT NULL, count INTEGER NOT NULL, total_ns INTEGER NOT NULL,
  min_ns INTEGER NOT NULL, max_ns INTEGER NOT NULL, PRIMARY KEY (category, name_id));
-- Per-step breakdown, TensorBoard profiler plugin rules (docs/analysis.md).
CREATE TABLE summary_step (
  step INTEGER NOT NULL, name_id INTEGER NOT NULL, host_start_ns INTEGER NOT NULL, host_dur_ns INTEGER NOT NULL,
  start_ns INTEGER NOT NULL, end_ns INTEGER NOT NULL,
  kernel_ns INTEGER NOT NULL, memcpy_ns INTEGER NOT NULL, memset_ns INTEGER NOT NULL,
  communication_ns INTEGER NOT NULL, runtime_ns INTEGER NOT NULL,
  dataloader_ns INTEGER NOT NULL, cpu_exec_ns INTEGER NOT NULL, other_ns INTEGER NOT NULL);
-- Per-GPU time: method 'tracelens' (gpu_timeline) or 'hta' (temporal breakdown over the steps window).
CREATE TABLE summary_gpu (
  device INTEGER NOT NULL, method TEXT NOT NULL, window_start_ns INTEGER NOT NULL, window_end_ns INTEGER NOT NULL,
  busy_ns INTEGER NOT NULL, idle_ns INTEGER NOT NULL, compute_ns INTEGER NOT NULL, non_compute_ns INTEGER NOT NULL,
  exposed_comm_ns INTEGER NOT NULL, exposed_memcpy_ns INTEGER NOT NULL, PRIMARY KEY (device, method));
-- HTA idle time breakdown per GPU stream track: cause host_wait | kernel_wait | other.
CREATE TABLE summary_gpu_idle (
  track_id INTEGER NOT NULL, cause TEXT NOT NULL, idle_ns INTEGER NOT NULL, intervals INTEGER NOT NULL,
  PRIMARY KEY (track_id, cause));
-- GPU activity durations per category in log2 buckets: upper_ns 2^k holds (2^(k-1), 2^k] (launch-bound rule).
CREATE TABLE summary_duration (
  category INTEGER NOT NULL, upper_ns INTEGER NOT NULL, count INTEGER NOT NULL, total_ns INTEGER NOT NULL,
  PRIMARY KEY (category, upper_ns));
-- Request latency: exact nearest-rank percentiles and a log2 histogram per request name.
CREATE TABLE summary_latency (
  name_id INTEGER PRIMARY KEY, count INTEGER NOT NULL, p50_ns INTEGER NOT NULL, p90_ns INTEGER NOT NULL,
  p99_ns INTEGER NOT NULL, p999_ns INTEGER NOT NULL, max_ns INTEGER NOT NULL);
CREATE TABLE summary_latency_bucket (
  name_id INTEGER NOT NULL, upper_ns INTEGER NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (name_id, upper_ns));
-- Per track with slices: its slice count, nesting depth (0-based, capped at 24) and longest slice, and the
-- summary_lod levels written for it (NULL: none; the timeline reads its slices at any zoom).
CREATE TABLE summary_track (
  track_id INTEGER PRIMARY KEY, slices INTEGER NOT NULL, max_depth INTEGER NOT NULL, max_dur_ns INTEGER NOT NULL,
  lod_min_shift INTEGER, lod_max_shift INTEGER);
-- Timeline level of detail: per track, level (buckets of 2^shift ns), nesting depth and non-empty bucket
-- [bucket << shift, (bucket + 1) << shift): the slices starting in it, the busy time inside it, and its longest
-- overlapping slice (id, category, name), which the zoomed-out timeline draws.
CREATE TABLE summary_lod (
  track_id INTEGER NOT NULL, shift INTEGER NOT NULL, depth INTEGER NOT NULL, bucket INTEGER NOT NULL,
  count INTEGER NOT NULL, busy_ns INTEGER NOT NULL, slice_id INTEGER NOT NULL, category INTEGER NOT NULL,
  name_id INTEGER NOT NULL, PRIMARY KEY (track_id, shift, depth, bucket)) WITHOUT ROWID;
