package io.chanalytics.simulator.endpoints;

import static io.chanalytics.simulator.endpoints.Json.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chanalytics.simulator.endpoints.CrudApiRequests.NewUser;
import io.chanalytics.simulator.endpoints.CrudApiRequests.ProductBody;
import io.chanalytics.simulator.endpoints.EcommerceApiRequests.CartLine;
import io.chanalytics.simulator.endpoints.EcommerceApiRequests.NewOrder;
import io.chanalytics.simulator.endpoints.EcommerceApiRequests.QuantityChange;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTests {

    /** Reads the bodies back as the services would. */
    private final ObjectMapper parser = new ObjectMapper();

    @Test
    void numericIdsStayNumbersOthersAreStrings() throws IOException {
        JsonNode numeric = parser.readTree(json(CartLine.of("42", 1)));
        JsonNode textual = parser.readTree(json(CartLine.of("a1b2", 1)));
        JsonNode huge = parser.readTree(json(CartLine.of("123456789012345678901234567890", 1)));

        assertThat(numeric.get("productId").isIntegralNumber()).isTrue();
        assertThat(numeric.get("productId").longValue()).isEqualTo(42);
        assertThat(textual.get("productId").isTextual()).isTrue();
        assertThat(textual.get("productId").textValue()).isEqualTo("a1b2");
        assertThat(huge.get("productId").bigIntegerValue()).hasToString("123456789012345678901234567890");
    }

    @Test
    void textWithQuotesBackslashesAndNewlinesRoundTrips() throws IOException {
        String awkward = "Tom \"T\" O\\Neil\n\r\t\u0001 caf\u00e9 {\"not\": \"json\"}";

        JsonNode body = parser.readTree(json(new NewUser(awkward, "sim@example.test", "eu-west")));

        assertThat(body.get("name").textValue()).isEqualTo(awkward);
        assertThat(body.properties()).extracting(entry -> entry.getKey()).containsExactly("name", "email", "region");
    }

    @Test
    void productPriceIsANumberWithItsDecimals() throws IOException {
        JsonNode body = parser.readTree(json(new ProductBody("Lamp", "home", new BigDecimal("12.50"), 1000)));

        assertThat(body.get("price").isNumber()).isTrue();
        assertThat(body.get("price").decimalValue()).isEqualByComparingTo("12.5");
        assertThat(body.get("stock").intValue()).isEqualTo(1000);
        assertThat(body.get("category").textValue()).isEqualTo("home");
    }

    @Test
    void ordersAndCartChangesHaveTheShapeTheApiReads() throws IOException {
        JsonNode order = parser.readTree(json(new NewOrder(List.of(CartLine.of("7", 1), CartLine.of("9", 2)))));
        JsonNode change = parser.readTree(json(new QuantityChange(3)));

        assertThat(order)
                .isEqualTo(parser.readTree(
                        "{\"items\":[{\"productId\":7,\"quantity\":1},{\"productId\":9,\"quantity\":2}]}"));
        assertThat(change).isEqualTo(parser.readTree("{\"quantity\":3}"));
    }
}
