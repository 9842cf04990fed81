package io.chanalytics.stack.verify;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * Checks a running stack, embedded or compose, the way a user would, and says per check whether it passed: every
 * component answers, a short scripted session through both APIs is found again in ClickHouse (exactly, and in the
 * rollups) and agrees with what PostgreSQL holds, and every dashboard panel runs. A component that is not running
 * (Grafana and Kafka UI without Docker) is reported as not checked, never as passed. {@code scripts/verify-stack.sh}
 * runs it; the exit status is non-zero when any check failed. Each group of checks is a class of its own
 * ({@link ComponentChecks}, {@link SessionChecks}, {@link DashboardChecks}), all talking through {@link StackHttp}.
 */
public final class StackVerifier {

    public enum Outcome {
        PASSED,
        FAILED,
        NOT_CHECKED
    }

    public record Check(String name, Outcome outcome, String detail) {}

    /** Where the stack's parts answer; the defaults are the ports both modes publish on localhost. */
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
            URI kafkaUi) {

        public static Target fromEnvironment(UnaryOperator<String> environment) {
            UnaryOperator<String> env = name -> {
                String value = environment.apply(name);
                return value == null || value.isBlank() ? null : value.strip();
            };
            String host = orDefault(env.apply("STACK_HOST"), "localhost");
            return new Target(
                    url(host, orDefault(env.apply("CRUD_API_PORT"), "8001")),
                    url(host, orDefault(env.apply("ECOMMERCE_API_PORT"), "8002")),
                    host + ":" + orDefault(env.apply("KAFKA_PORT"), "9092"),
                    url(host, orDefault(env.apply("SCHEMA_REGISTRY_PORT"), "8081")),
                    url(host, orDefault(env.apply("CLICKHOUSE_HTTP_PORT"), "8123")),
                    orDefault(env.apply("CLICKHOUSE_ADMIN_USER"), "analytics"),
                    orDefault(env.apply("CLICKHOUSE_ADMIN_PASSWORD"), "analytics"),
                    url(host, orDefault(env.apply("GRAFANA_PORT"), "3000")),
                    orDefault(env.apply("GRAFANA_ADMIN_USER"), "admin"),
                    orDefault(env.apply("GRAFANA_ADMIN_PASSWORD"), "admin"),
                    url(host, orDefault(env.apply("KAFKA_UI_PORT"), "8080")));
        }

        private static URI url(String host, String port) {
            return URI.create("http://" + host + ":" + port);
        }

        private static String orDefault(String value, String fallback) {
            return value == null ? fallback : value;
        }
    }

    private final Target target;

    public StackVerifier(Target target) {
        this.target = target;
    }

    public static void main(String[] args) {
        List<Check> checks = new StackVerifier(Target.fromEnvironment(System::getenv)).run();
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
