package io.chanalytics.simulator.endpoints;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;

/** Request bodies written by Jackson from small records, so quoting and number formats are the library's job. */
final class Json {

    /** Thread-safe once configured; shared by every virtual user. */
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    static String json(Object body) {
        try {
            return MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException unwritable) {
            // Bodies are records of strings and numbers: failing here is a bug in the simulator, not bad input.
            throw new IllegalStateException("cannot write " + body + " as JSON", unwritable);
        }
    }

    /**
     * An id as the API gave it: the services' ids are numbers and go back as numbers; anything else (an id saved from
     * a response as text) is written as a string.
     */
    static Object id(String id) {
        return id.matches("-?\\d+") ? new BigInteger(id) : id;
    }
}
