package io.chanalytics.simulator.flows;

import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.doSwitch;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.onCase;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.chanalytics.simulator.config.SimulatorConfig;
import io.chanalytics.simulator.config.UserType;
import io.chanalytics.simulator.endpoints.CrudApiRequests;
import io.chanalytics.simulator.endpoints.EcommerceApiRequests;
import io.chanalytics.simulator.endpoints.GenericOperation;
import io.chanalytics.simulator.endpoints.GenericRequests;
import io.chanalytics.simulator.endpoints.Operation;
import io.chanalytics.simulator.endpoints.Route;
import io.chanalytics.simulator.endpoints.Service;
import io.chanalytics.simulator.flows.DemoData.DemoUser;
import io.chanalytics.simulator.signin.SignIn;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Choice;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * One scenario per user type: a visitor borrows a real user, sends {@code requests_per_session} requests chosen by
 * {@link StepPicker} with a think time between them, and gives the user back. Each step is one request plus the
 * bookkeeping that lets later steps use the ids it produced. The config's {@link GenericOperation}s get a step each.
 */
public final class Journeys {

    static final String DEMO_USER = "demoUser";

    /** The realm account a signed-in visitor borrowed for its session. */
    static final String ACCOUNT = "account";

    private final SimulatorConfig config;
    private final UserPool users;
    private final Optional<SignIn> signIn;
    private final Map<Route, ChainBuilder> steps = new LinkedHashMap<>();

    public Journeys(SimulatorConfig config, DemoData demoData, Optional<SignIn> signIn) {
        this.config = config;
        this.users = new UserPool(demoData);
        this.signIn = signIn;
        CrudApiRequests crud = new CrudApiRequests(
                config.service(Service.CRUD_API).urlPrefix(),
                demoData,
                config.regions() != null ? config.regions() : demoData.regions());
        steps.put(Operation.LIST_USERS, step(crud.listUsers()));
        steps.put(Operation.REGISTER_USER, step(crud.registerUser()));
        steps.put(Operation.GET_USER, step(crud.getUser()));
        steps.put(Operation.LIST_PRODUCTS, step(crud.listProducts()));
        steps.put(
                Operation.CREATE_PRODUCT,
                step(crud.createProduct()).exec(session -> Visitor.keepCreatedId(session, Visitor.CREATED_PRODUCTS)));
        steps.put(Operation.VIEW_PRODUCT, step(crud.viewProduct()));
        steps.put(Operation.UPDATE_PRODUCT, step(crud.updateProduct()));
        steps.put(
                Operation.DELETE_PRODUCT,
                step(crud.deleteProduct()).exec(session -> Visitor.forgetLast(session, Visitor.CREATED_PRODUCTS)));
        steps.put(Operation.GENERATE_USERS, step(crud.generateUsers()));
        steps.put(Operation.GENERATE_PRODUCTS, step(crud.generateProducts()));
        if (config.has(Service.ECOMMERCE_API)) {
            EcommerceApiRequests shop = new EcommerceApiRequests(
                    config.service(Service.ECOMMERCE_API).urlPrefix(), demoData);
            steps.put(Operation.VIEW_CART, step(shop.viewCart()));
            steps.put(
                    Operation.ADD_TO_CART,
                    step(shop.addToCart()).exec(session -> Visitor.keepCreatedId(session, Visitor.CART_ITEMS)));
            steps.put(Operation.UPDATE_CART_ITEM, step(shop.updateCartItem()));
            steps.put(
                    Operation.REMOVE_CART_ITEM,
                    step(shop.removeCartItem()).exec(session -> Visitor.forgetLast(session, Visitor.CART_ITEMS)));
            steps.put(Operation.CHECKOUT, step(shop.checkout()).exec(Journeys::afterCheckout));
            steps.put(
                    Operation.PLACE_ORDER,
                    step(shop.placeOrder()).exec(session -> Visitor.keepCreatedId(session, Visitor.ORDERS)));
            steps.put(Operation.LIST_ORDERS, step(shop.listOrders()));
            steps.put(Operation.GET_ORDER, step(shop.getOrder()));
        }
        GenericRequests generic = new GenericRequests(demoData);
        config.endpoints()
                .forEach((service, settings) -> settings.endpoints().stream()
                        .flatMap(endpoint -> endpoint.operations(service).stream())
                        .forEach(route -> {
                            if (route instanceof GenericOperation operation) {
                                steps.putIfAbsent(operation, step(generic.request(settings.urlPrefix(), operation)));
                            }
                        }));
    }

    public ScenarioBuilder scenarioFor(UserType type) {
        StepPicker picker = StepPicker.forUserType(config, type);
        Duration minThink = type.minThinkTime();
        Duration maxThink = type.maxThinkTime();
        List<Choice.WithKey> cases = new ArrayList<>();
        steps.forEach((route, chain) -> cases.add(onCase(caseKey(route)).then(chain)));
        return scenario(type.name())
                .exec(session -> start(session, type))
                .repeat("#{" + Visitor.STEPS + "}", Visitor.STEP)
                .on(
                        exec(session -> next(session, picker.pick(session))),
                        doSwitch("#{" + Visitor.NEXT_OPERATION + "}").on(cases),
                        doIf(session -> session.getInt(Visitor.STEP) < session.getInt(Visitor.STEPS) - 1)
                                .then(pause(minThink, maxThink)))
                .exec(this::finish);
    }

    /**
     * The step to take, and with sign-in the token to take it with: the borrowed account's, or the admin's for an admin
     * route. Fetching a token blocks this Gatling thread, once per account every few minutes (KeycloakTokens).
     */
    private Session next(Session session, Route route) {
        Session next = session.set(Visitor.NEXT_OPERATION, caseKey(route));
        return signIn.map(accounts -> next.set(
                        Visitor.AUTHORIZATION, accounts.authorization(session.getString(ACCOUNT), route.needsAdmin())))
                .orElse(next);
    }

    /** Unique per step: a generic operation's path may exist on both services. */
    static String caseKey(Route route) {
        return route instanceof Operation known ? known.name() : route.service().key() + " " + route.displayName();
    }

    private static ChainBuilder step(HttpRequestActionBuilder request) {
        return exec(request);
    }

    private Session start(Session session, UserType type) {
        DemoUser user = users.lease();
        Session signedIn =
                signIn.map(accounts -> session.set(ACCOUNT, accounts.lease())).orElse(session);
        return signedIn.set(Visitor.USER_TYPE, type.name())
                .set(DEMO_USER, user)
                .set(Visitor.USER_ID, user.id())
                .set(Visitor.REGION, user.region())
                .set(Visitor.SESSION_ID, UUID.randomUUID().toString())
                .set(Visitor.STEPS, type.randomRequestsPerSession());
    }

    private Session finish(Session session) {
        users.release(session.get(DEMO_USER));
        signIn.ifPresent(accounts -> accounts.release(session.getString(ACCOUNT)));
        return session;
    }

    /** A successful checkout empties the cart; a refused one (409, out of stock) leaves it as it was. */
    private static Session afterCheckout(Session session) {
        if (!session.contains(Visitor.LAST_CREATED_ID)) {
            return session;
        }
        return Visitor.keepCreatedId(session, Visitor.ORDERS).set(Visitor.CART_ITEMS, List.of());
    }
}
