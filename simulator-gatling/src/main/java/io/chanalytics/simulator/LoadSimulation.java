package io.chanalytics.simulator;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.http.HttpDsl.http;

import io.chanalytics.simulator.config.AssertionSettings;
import io.chanalytics.simulator.config.BaseUrlProbe;
import io.chanalytics.simulator.config.ConfigException;
import io.chanalytics.simulator.config.ConfigLoader;
import io.chanalytics.simulator.config.ConfigOverrides;
import io.chanalytics.simulator.config.SimulationSettings;
import io.chanalytics.simulator.config.SimulatorConfig;
import io.chanalytics.simulator.config.UserType;
import io.chanalytics.simulator.endpoints.Service;
import io.chanalytics.simulator.flows.DemoData;
import io.chanalytics.simulator.flows.DemoDataSeeder;
import io.chanalytics.simulator.flows.Journeys;
import io.chanalytics.simulator.flows.Visitor;
import io.chanalytics.simulator.signin.SignIn;
import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * The load simulation: {@code config.yaml} (plus overrides) in, an open workload that ramps to the target request
 * rate and holds it, one scenario per user type. Everything that can be wrong with the configuration or the services'
 * addresses fails here, in the constructor, before Gatling sends any load; what the run cannot honour exactly (too
 * few workers for the rate) is printed as a warning after the plan, and the run starts.
 */
public class LoadSimulation extends Simulation {

    /** Prefix of the {@code User-Agent} of every load request; the run id follows, so a run can be told apart. */
    public static final String USER_AGENT_PREFIX = "chanalytics-simulator/";

    public static final String SEED_USER_AGENT_PREFIX = "chanalytics-simulator-seed/";

    static final int MAX_DEMO_USERS = 500;

    private final Optional<SignIn> signIn;

    public LoadSimulation() {
        ConfigOverrides overrides = ConfigOverrides.fromSystem();
        SimulatorConfig config = loadChecked(overrides);
        String runId = overrides
                .find("run_id")
                .map(ConfigOverrides.Override::value)
                .orElse(UUID.randomUUID().toString().substring(0, 8));
        String crudApi = config.service(Service.CRUD_API).urlPrefix();
        signIn = SignIn.ifRequired(
                crudApi,
                URI.create(setting(overrides, "keycloak_url", "http://localhost:8180")),
                setting(overrides, "keycloak_realm", "chanalytics"),
                setting(overrides, "keycloak_password", "demo"));
        DemoData demoData = new DemoDataSeeder(crudApi, SEED_USER_AGENT_PREFIX + runId, signIn)
                .seed(Math.min(config.simulation().workers(), MAX_DEMO_USERS));
        System.out.println(plan(config, runId, demoData));
        config.warnings().forEach(warning -> System.out.println("Warning: " + warning));

        signIn.ifPresentOrElse(
                accounts -> System.out.println("Signing in: the APIs ask for tokens; visitors borrow the realm's"
                        + " customer accounts, admin routes go as its admin"),
                () -> System.out.println("Not signing in: the APIs are open (sign-in off)"));
        Journeys journeys = new Journeys(config, demoData, signIn);
        List<PopulationBuilder> populations = new ArrayList<>();
        for (UserType type : config.userTypes()) {
            populations.add(journeys.scenarioFor(type)
                    .injectOpen(injection(config.simulation(), config.sessionsPerSecond(type))));
        }
        setUp(populations).protocols(protocol(runId, signIn.isPresent())).assertions(assertions(config.assertions()));
    }

    /** The token endpoint's figures, which Gatling's report (the APIs' requests only) does not contain. */
    @Override
    public void after() {
        signIn.ifPresent(accounts -> System.out.println(accounts.report()));
    }

    /**
     * {@code simulator.<key>} (or {@code SIMULATOR_<KEY>}), else {@code fallback}: where Keycloak is, for APIs that
     * sign callers in ({@code keycloak_url}, e.g. http://keycloak:8080 inside compose), its realm and the demo users'
     * password ({@code KEYCLOAK_DEMO_PASSWORD} of .env).
     */
    private static String setting(ConfigOverrides overrides, String key, String fallback) {
        return overrides.find(key).map(ConfigOverrides.Override::value).orElse(fallback);
    }

    private static SimulatorConfig loadChecked(ConfigOverrides overrides) {
        try {
            SimulatorConfig config = ConfigLoader.load(overrides);
            new BaseUrlProbe(Duration.ofSeconds(5)).check(config);
            return config;
        } catch (ConfigException invalid) {
            System.err.println("Invalid simulator configuration, no load sent: " + invalid.getMessage());
            throw invalid;
        }
    }

    /** Signed in: each request carries its step's token; open APIs: the visitor's user id in {@code X-User-Id}. */
    static HttpProtocolBuilder protocol(String runId, boolean signedIn) {
        HttpProtocolBuilder protocol = http.acceptHeader("application/json")
                .userAgentHeader(USER_AGENT_PREFIX + runId)
                .header("X-Session-Id", "#{" + Visitor.SESSION_ID + "}")
                .header("X-Region", "#{" + Visitor.REGION + "}")
                .disableWarmUp();
        return signedIn
                ? protocol.header("Authorization", "#{" + Visitor.AUTHORIZATION + "}")
                : protocol.header("X-User-Id", "#{" + Visitor.USER_ID + "}");
    }

    /** Ramp the arrival rate from zero, then hold it: arrivals never wait for responses (open model). */
    static OpenInjectionStep[] injection(SimulationSettings simulation, double sessionsPerSecond) {
        List<OpenInjectionStep> steps = new ArrayList<>();
        if (simulation.rampSeconds() > 0) {
            steps.add(rampUsersPerSec(0).to(sessionsPerSecond).during(simulation.ramp()));
        }
        steps.add(constantUsersPerSec(sessionsPerSecond).during(simulation.hold()));
        return steps.toArray(OpenInjectionStep[]::new);
    }

    static List<Assertion> assertions(AssertionSettings settings) {
        List<Assertion> assertions = new ArrayList<>();
        if (settings.maxErrorPercent() != null) {
            assertions.add(global().failedRequests().percent().lte(settings.maxErrorPercent()));
        }
        if (settings.p95ResponseTimeMs() != null) {
            assertions.add(global().responseTime().percentile(95).lte(settings.p95ResponseTimeMs()));
        }
        if (settings.p99ResponseTimeMs() != null) {
            assertions.add(global().responseTime().percentile(99).lte(settings.p99ResponseTimeMs()));
        }
        return assertions;
    }

    private static String plan(SimulatorConfig config, String runId, DemoData demoData) {
        SimulationSettings simulation = config.simulation();
        return String.format(
                Locale.ROOT,
                "Simulator run %s (%s): %.1f requests/s = %.2f sessions/s x %.1f requests, ramp %.0f s, hold %s;"
                        + " about %.0f of %d workers busy; %d users and %d products from the CRUD API",
                runId,
                config.source(),
                config.offeredRate(),
                config.sessionsPerSecond(),
                config.meanRequestsPerSession(),
                simulation.rampSeconds(),
                simulation.runsUntilStopped() ? "until stopped" : simulation.durationMinutes() + " min",
                Math.ceil(Math.min(config.expectedConcurrentSessions(), simulation.workers())),
                simulation.workers(),
                demoData.users().size(),
                demoData.products().size());
    }
}
