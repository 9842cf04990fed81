package io.chanalytics.simulator.flows;

import io.gatling.javaapi.core.Session;
import java.util.ArrayList;
import java.util.List;

/**
 * The names and helpers for what a virtual user remembers during its session: who it is, what it has seen, what is in
 * its cart and which orders it placed. Keeping them here means the request builders and the journey agree on names.
 */
public final class Visitor {

    public static final String USER_TYPE = "userType";
    public static final String USER_ID = "userId";
    public static final String SESSION_ID = "sessionId";
    public static final String REGION = "region";
    /** {@code Bearer <token>} of the next request, when the APIs sign callers in. */
    public static final String AUTHORIZATION = "authorization";

    public static final String STEPS = "steps";
    /** The repeat loop's counter, 0 for the first request of the session. */
    public static final String STEP = "step";

    public static final String NEXT_OPERATION = "nextOperation";
    /** Set by a request's check, moved into one of the lists below by the step that follows it. */
    public static final String LAST_CREATED_ID = "lastCreatedId";

    public static final String LISTED_PRODUCTS = "listedProducts";
    public static final String LAST_VIEWED_PRODUCT = "lastViewedProduct";
    public static final String CART_ITEMS = "cartItems";
    public static final String ORDERS = "orders";
    public static final String CREATED_PRODUCTS = "createdProducts";

    private Visitor() {}

    public static List<String> list(Session session, String key) {
        if (!session.contains(key)) {
            return List.of();
        }
        return session.<Object>getList(key).stream().map(String::valueOf).toList();
    }

    /** Adds an id once: adding a product already in the cart returns the existing line's item id. */
    public static Session append(Session session, String key, String value) {
        List<String> values = new ArrayList<>(list(session, key));
        if (!values.contains(value)) {
            values.add(value);
        }
        return session.set(key, values);
    }

    /** Drops the entry a request just used (the deleted product, the removed cart line). */
    public static Session forgetLast(Session session, String key) {
        List<String> values = new ArrayList<>(list(session, key));
        if (!values.isEmpty()) {
            values.removeLast();
        }
        return session.set(key, values);
    }

    /** Moves the id saved by the last request's check into a list, if the request produced one. */
    public static Session keepCreatedId(Session session, String listKey) {
        if (!session.contains(LAST_CREATED_ID)) {
            return session;
        }
        String id = session.getString(LAST_CREATED_ID);
        return append(session.remove(LAST_CREATED_ID), listKey, id);
    }

    public static String last(Session session, String key) {
        List<String> values = list(session, key);
        return values.isEmpty() ? null : values.getLast();
    }
}
