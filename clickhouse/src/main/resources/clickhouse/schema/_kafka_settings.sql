-- The settings every Kafka engine table shares, written once: a table's own settings (topic, group, consumers) end
-- with ${INCLUDE kafka_settings}. Avro in Confluent's wire format through the registry; a message that does not parse
-- goes to the stream's error view (kafka_handle_error_mode 'stream') instead of stopping the stream.
    kafka_broker_list = '${CH_KAFKA_BROKER_LIST}',
    kafka_format = 'AvroConfluent',
    format_avro_schema_registry_url = '${CH_SCHEMA_REGISTRY_URL}',
    kafka_handle_error_mode = 'stream',
    kafka_flush_interval_ms = ${CH_KAFKA_FLUSH_INTERVAL_MS}
