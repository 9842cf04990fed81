package io.chanalytics.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

/** The contract's rules on their own, including the mismatches it exists to catch. */
class EventColumnContractTests {

    private static final Schema RECORD = SchemaBuilder.record("E")
            .fields()
            .name("id")
            .type(new Schema.Parser().parse("{\"type\":\"string\",\"logicalType\":\"uuid\"}"))
            .noDefault()
            .name("at")
            .type(new Schema.Parser().parse("{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}"))
            .noDefault()
            .optionalString("user")
            .name("amount")
            .type(new Schema.Parser()
                    .parse("[\"null\",{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":18,\"scale\":2}]"))
            .withDefault(null)
            .requiredInt("count")
            .endRecord();

    @Test
    void matchingColumnsPass() {
        assertThat(EventColumnContract.mismatches(
                        RECORD,
                        Map.of(
                                "id", "UUID",
                                "at", "DateTime64(3)",
                                "user", "LowCardinality(Nullable(String))",
                                "amount", "Nullable(Decimal(18, 2))",
                                "count", "UInt16")))
                .isEmpty();
    }

    @Test
    void aMissingColumnAnExtraColumnAndAWrongTypeAreEachNamed() {
        assertThat(EventColumnContract.mismatches(
                        RECORD,
                        Map.of(
                                "id", "UUID",
                                "at", "DateTime",
                                "user", "String",
                                "amount", "Nullable(Decimal(18, 2))",
                                "extra", "String")))
                .containsExactlyInAnyOrder(
                        "field at ({\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}) cannot be read into DateTime",
                        "field user ([\"null\",\"string\"]) cannot be read into String",
                        "field count has no column",
                        "column extra has no field");
    }
}
