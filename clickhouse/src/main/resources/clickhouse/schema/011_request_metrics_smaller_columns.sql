-- Smaller raw rows (docs/benchmarks.md, storage). ALTERs rather than a new table, so rows already stored stay
-- readable: a codec applies to parts written or merged from now on; the type change of response_time_ms rewrites
-- that one column once (a mutation, run in the background). Run again (a database from before the schema ledger runs
-- every file once more), each statement is a no-op: no new mutation (SchemaMigrationsIntegrationTests).

-- The services send time-ordered UUIDv7 ids (48 bits of milliseconds, then random bits): within the sort key's time
-- order their first bytes repeat, which ZSTD finds and LZ4 does not (16.0 -> 12.1 bytes a row; a random UUIDv4 stays
-- 16.0 under either).
ALTER TABLE analytics.request_metrics${LOCAL} ${ON_CLUSTER} MODIFY COLUMN event_id UUID CODEC(ZSTD(3));
${CLUSTER_ONLY} ALTER TABLE analytics.request_metrics ${ON_CLUSTER} MODIFY COLUMN event_id UUID CODEC(ZSTD(3));

-- Float32 keeps 7 significant digits, a tenth of a microsecond for a latency under a second: 7.5 -> 3.6 bytes a row.
-- The rollups still sum and sketch the Float64 the Kafka table reads.
ALTER TABLE analytics.request_metrics${LOCAL} ${ON_CLUSTER} MODIFY COLUMN response_time_ms Float32 CODEC(ZSTD(1));
${CLUSTER_ONLY} ALTER TABLE analytics.request_metrics ${ON_CLUSTER} MODIFY COLUMN response_time_ms Float32 CODEC(ZSTD(1));

-- The Kafka timestamp follows the event's own within milliseconds: stored as deltas like timestamp.
ALTER TABLE analytics.request_metrics${LOCAL} ${ON_CLUSTER} MODIFY COLUMN _timestamp Nullable(DateTime64(3)) CODEC(Delta, ZSTD(1));
${CLUSTER_ONLY} ALTER TABLE analytics.request_metrics ${ON_CLUSTER} MODIFY COLUMN _timestamp Nullable(DateTime64(3)) CODEC(Delta, ZSTD(1));

-- Set on checkout requests only: the other rows' zeros under the null map are what LZ4 left large (4.4 bytes a row).
ALTER TABLE analytics.request_metrics${LOCAL} ${ON_CLUSTER} MODIFY COLUMN transaction_amount Nullable(Float64) CODEC(ZSTD(1));
${CLUSTER_ONLY} ALTER TABLE analytics.request_metrics ${ON_CLUSTER} MODIFY COLUMN transaction_amount Nullable(Float64) CODEC(ZSTD(1));
