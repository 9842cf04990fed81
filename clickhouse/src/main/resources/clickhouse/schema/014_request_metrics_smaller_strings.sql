-- Smaller raw rows, second step (docs/benchmarks.md, storage; issue 24): the free-text columns whose values repeat
-- within a sort key's run (a session's, a user's, an address's requests), under ZSTD level 3 instead of 1, which finds
-- the longer repeats. A codec applies to parts written or merged from now on: no mutation, and run again each
-- statement is a no-op (SchemaMigrationsIntegrationTests).
ALTER TABLE analytics.request_metrics${LOCAL} ${ON_CLUSTER} MODIFY COLUMN session_id Nullable(String) CODEC(ZSTD(3));
${CLUSTER_ONLY} ALTER TABLE analytics.request_metrics ${ON_CLUSTER} MODIFY COLUMN session_id Nullable(String) CODEC(ZSTD(3));

ALTER TABLE analytics.request_metrics${LOCAL} ${ON_CLUSTER} MODIFY COLUMN client_ip Nullable(String) CODEC(ZSTD(3));
${CLUSTER_ONLY} ALTER TABLE analytics.request_metrics ${ON_CLUSTER} MODIFY COLUMN client_ip Nullable(String) CODEC(ZSTD(3));

ALTER TABLE analytics.request_metrics${LOCAL} ${ON_CLUSTER} MODIFY COLUMN user_id Nullable(String) CODEC(ZSTD(3));
${CLUSTER_ONLY} ALTER TABLE analytics.request_metrics ${ON_CLUSTER} MODIFY COLUMN user_id Nullable(String) CODEC(ZSTD(3));
