package io.chanalytics.stack.verify;

import io.chanalytics.stack.RepositoryLayout;
import io.chanalytics.stack.StackEnvironment;
import io.chanalytics.stack.StackSettings;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * Checks a running stack, embedded or compose, the way a user would, and says per check whether it passed: every
 * component answers, a short scripted session through both APIs is found again in ClickHouse (exactly, and in the
 * rollups) and agrees with what PostgreSQL holds, and every dashboard panel runs. A component that is not running
 * (Grafana and Kafka UI without Docker) is reported as not checked, never as passed. {@code scripts/verify-stack.sh}
 * runs it; the exit status is non-zero when any check failed. Each group of checks is a class of its own
 * ({@link ComponentChecks}, {@link MonitoringChecks}, {@link SessionChecks}, {@link DashboardChecks}), all talking through {@link StackHttp}.
 */
public final class StackVerifier {

    public enum Outcome {
        PASSED,
        FAILED,
        NOT_CHECKED
    }

    public record Check(String name, Outcome outcome, String detail) {}

    /** Where the stack's parts answer: the ports both modes publish, on localhost unless STACK_HOST says otherwise. */
    public record Target(
            URI crudApi,
            URI ecommerceApi,
            String bootstrapServers,
            URI schemaRegistry,
            URI clickHouse,
            String clickHouseUser,
            String clickHousePassword,
            URI grafana,
            String grafanaUser,
            String grafanaPassword,
            URI kafkaUi,
            URI prometheus,
            URI alertmanager,
            SignIn signIn) {

        /** The stack the environment over the repository's .env describes, on {@code STACK_HOST} (localhost). */
        public static Target fromEnvironment(UnaryOperator<String> environment, Path repositoryRoot) {
            var env = StackEnvironment.of(environment, repositoryRoot);
            return of(StackSettings.from(env, repositoryRoot), env.text("STACK_HOST", "localhost"), env);
        }

        /**
         * A stack with these settings on {@code host}: the ports and credentials the embedded stack binds, and
         * Grafana's and Kafka UI's from {@code env} (compose only).
         */
        public static Target of(StackSettings settings, String host, StackEnvironment env) {
            return new Target(
                    url(host, settings.crudApiPort()),
                    url(host, settings.ecommerceApiPort()),
                    host + ":" + settings.kafkaPort(),
                    url(host, settings.schemaRegistryPort()),
                    url(host, settings.clickhouseHttp().port()),
                    settings.clickhouseHttp().user(),
                    settings.clickhouseHttp().password(),
                    url(host, env.number("GRAFANA_PORT")),
                    env.text("GRAFANA_ADMIN_USER"),
                    env.text("GRAFANA_ADMIN_PASSWORD"),
                    url(host, env.number("KAFKA_UI_PORT")),
                    url(host, settings.monitoring().prometheusPort()),
                    url(host, settings.monitoring().alertmanagerPort()),
                    new SignIn(
                            settings.keycloak().enabled(),
                            url(host, settings.keycloak().port()),
                            settings.keycloak().issuer(),
                            settings.keycloak().demoPassword()));
        }

        private static URI url(String host, int port) {
            return URI.create("http://" + host + ":" + port);
        }
    }

    /**
     * Keycloak as the verifier signs in to it: {@code enabled} false (SIGN_IN=false) means the APIs are open and the
     * session goes without tokens; {@code base} is Keycloak as reached from here, {@code issuer} the realm's URL its
     * tokens carry.
     */
    public record SignIn(boolean enabled, URI base, URI issuer, String demoPassword) {

        /** The realm's name, the last segment of its issuer ({@code .../realms/<realm>}). */
        String realm() {
            String path = issuer.getPath();
            return path.substring(path.lastIndexOf('/') + 1);
        }
    }

    private final Target target;

    public StackVerifier(Target target) {
        this.target = target;
    }

    public static void main(String[] args) {
        List<Check> checks = new StackVerifier(Target.fromEnvironment(System::getenv, RepositoryLayout.root())).run();
        System.out.println(table(checks));
        System.exit(checks.stream().anyMatch(check -> check.outcome() == Outcome.FAILED) ? 1 : 0);
    }

    public List<Check> run() {
        var checks = new CheckList();
        var http = new StackHttp(target);
        var components = new ComponentChecks(http, checks);
        boolean crud = components.ready("crud-api", target.crudApi());
        boolean ecommerce = components.ready("ecommerce-api", target.ecommerceApi());
        components.kafkaTopics();
        boolean clickHouse = components.clickHouse();
        boolean grafana = components.grafana();
        boolean kafkaUi = components.kafkaUi();
        new MonitoringChecks(http, checks).run();
        if (crud && ecommerce) {
            new SignInChecks(http, checks).run();
        }
        if (crud && ecommerce && clickHouse) {
            var session = new SessionChecks(http, checks);
            session.run().ifPresent(result -> {
                session.reconcile(result);
                session.reconcileRefusal();
                if (kafkaUi) {
                    session.kafkaUiDecodes();
                }
            });
        } else {
            checks.add("scripted session", Outcome.NOT_CHECKED, "needs both APIs and ClickHouse");
        }
        // Subjects are registered with the first event of each type: after the session, all three must exist.
        components.registrySubjects();
        if (clickHouse) {
            new DashboardChecks(http, checks).run(grafana);
        }
        new DashboardChecks(http, checks).prometheusPanels();
        return checks.all();
    }

    /** The checks as the table the script prints. */
    public static String table(List<Check> checks) {
        int width =
                checks.stream().mapToInt(check -> check.name().length()).max().orElse(10);
        StringBuilder out = new StringBuilder(
                String.format(Locale.ROOT, "%-" + width + "s  %-11s  %s%n", "check", "result", "detail"));
        for (Check check : checks) {
            out.append(String.format(
                    Locale.ROOT, "%-" + width + "s  %-11s  %s%n", check.name(), check.outcome(), check.detail()));
        }
        long failed = checks.stream()
                .filter(check -> check.outcome() == Outcome.FAILED)
                .count();
        long skipped = checks.stream()
                .filter(check -> check.outcome() == Outcome.NOT_CHECKED)
                .count();
        out.append(String.format(
                Locale.ROOT,
                "%d passed, %d failed, %d not checked%n",
                checks.size() - failed - skipped,
                failed,
                skipped));
        return out.toString();
    }
}
