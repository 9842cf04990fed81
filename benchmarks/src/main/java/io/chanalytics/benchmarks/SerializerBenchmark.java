package io.chanalytics.benchmarks;

import io.chanalytics.events.RequestEvent;
import io.chanalytics.metrics.testing.SampleEvents;
import io.chanalytics.metrics.wire.ConfluentAvroSerializer;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The publisher's drain thread spent most of its time here (docs/benchmarks.md, benchmark 2): one request event to
 * Confluent's wire format, by the serializer's planned encoder ({@code planned}) and by Avro's
 * {@code SpecificDatumWriter} reusing its buffer, encoder and writer ({@code avroWriter}), in the same run. Avro's
 * generated encoders ({@code org.apache.avro.specific.use_custom_coders}) are no variant here because Avro's compiler
 * generates none for records with logical types (the events' uuid, timestamp-millis and decimal).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 2)
public class SerializerBenchmark {

    private final ConfluentAvroSerializer planned = new ConfluentAvroSerializer();
    private final ConfluentAvroSerializer avroWriter = ConfluentAvroSerializer.withAvroWriter();
    private List<RequestEvent> events;
    private int next;

    @Setup
    public void events() {
        events = IntStream.range(0, 1_024)
                .mapToObj(i -> SampleEvents.request(i, Instant.now()))
                .toList();
    }

    private RequestEvent nextEvent() {
        RequestEvent event = events.get(next);
        next = (next + 1) & 1_023;
        return event;
    }

    @Benchmark
    @Fork(2)
    public byte[] planned() {
        return planned.serialize(1, nextEvent());
    }

    @Benchmark
    @Fork(2)
    public byte[] avroWriter() {
        return avroWriter.serialize(1, nextEvent());
    }
}
