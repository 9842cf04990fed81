package io.chanalytics.simulator.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonTests {

    @Test
    void numericIdsStayNumbersOthersAreQuoted() {
        assertThat(Json.id("42")).isEqualTo("42");
        assertThat(Json.id("a1b2")).isEqualTo("\"a1b2\"");
    }

    @Test
    void stringsAreEscaped() {
        assertThat(Json.string("Tom \"T\" O\\Neil\n\u0001")).isEqualTo("\"Tom \\\"T\\\" O\\\\Neil\\n\\u0001\"");
    }
}
