-- In the cluster, every copy of an event on the shard of its first copy (docs/scaling.md, "Duplicates and exact
-- answers"). Delivery is at least once: a block the Kafka engine reads again after a rebalance or a node restart is
-- written by whichever node reads it, and a node writes to its own shard, so the copy could land on the other shard,
-- where ReplacingMergeTree never meets the first copy: FINAL and the reconciliation of the rollups from the raw rows
-- could not fold it. From here the raw views write through a Distributed table sharded by a hash of the row's
-- identity (the event id; for system metrics, which have none, the reporting instance, whose samples all go to one
-- shard), so every copy of a row goes to one shard whichever node read it. The statements of each stream are in
-- _raw_router.sql.
--
-- How, without touching the views: a view writes to its target by name, resolved at each insert. Each stream's
-- replicated table is renamed <stream>_shard (its Keeper path was fixed when it was created and does not change), and
-- <stream>_local becomes the Distributed table that routes to it: the raw view, which writes to <stream>_local, now
-- writes through the router. The readers' table <stream> is replaced by one over <stream>_shard. The stream's Kafka
-- table is detached around the change on every node (its block in flight written and committed, then nothing read
-- until it is attached again), so no block meets a missing or half-made table.
--
-- Cluster only: a single node has one shard. The runner applies this file once (SchemaMigrations' ledger); if a start
-- stops in the middle of it, the next start's RENAME fails loudly on the table it already renamed: finish the file's
-- remaining statements by hand (SchemaRunner --print shows them) and record the file, rather than run it again.
--
-- Distributed writes are asynchronous: the consuming node stores each block for each shard on its disk before the
-- insert returns (so the Kafka engine commits only what is stored), then sends it; a shard that is down delays its
-- rows, it loses none, and a resent block is dropped by the replicated table's block deduplication.

${INCLUDE raw_router STREAM=request_metrics KEY=event_id};

${INCLUDE raw_router STREAM=business_events KEY=event_id};

-- A sample's identity is (service_name, instance_id, timestamp), its sort key: an instance's samples on one shard.
${INCLUDE raw_router STREAM=system_metrics KEY=instance_id};
