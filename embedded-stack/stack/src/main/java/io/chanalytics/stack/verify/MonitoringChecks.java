package io.chanalytics.stack.verify;

import com.fasterxml.jackson.databind.JsonNode;
import io.chanalytics.stack.verify.StackHttp.Answer;
import io.chanalytics.stack.verify.StackVerifier.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * Prometheus and Alertmanager, where they run (compose, or the embedded stack with the programs installed): every
 * scrape target up, the rules loaded and evaluating without error, Alertmanager ready and known to Prometheus. The
 * alerts firing at the time are reported, not judged: a stack can rightly be alerting.
 */
record MonitoringChecks(StackHttp http, CheckList checks) {

    void run() {
        var target = http.target();
        Answer ready = http.get(target.prometheus().resolve("/-/ready"), Map.of());
        if (ready.status() == 0) {
            checks.add(
                    "prometheus",
                    Outcome.NOT_CHECKED,
                    "not running at " + target.prometheus()
                            + " (embedded: install prometheus and prometheus-alertmanager; compose: the prometheus service)");
            return;
        }
        if (!checks.add("prometheus ready", ready.status() == 200, ready.describe())) {
            return;
        }
        targets();
        rules();
        Answer alertmanager = http.get(target.alertmanager().resolve("/-/ready"), Map.of());
        checks.add("alertmanager ready", alertmanager.status() == 200, alertmanager.describe());
        // Discovered from its file like the targets, a moment after the start.
        JsonNode known = settled(
                        "alertmanagers",
                        data -> !data.path("activeAlertmanagers").isEmpty())
                .path("activeAlertmanagers");
        checks.add(
                "prometheus sends to alertmanager",
                known.size() > 0,
                known.size() > 0 ? known.get(0).path("url").asText() : "no active Alertmanager in Prometheus");
    }

    private void targets() {
        List<String> down = new ArrayList<>();
        var jobs = new TreeSet<String>();
        // A Prometheus that just started has not read its target files or scraped every target yet ("unknown"): wait
        // for its first round.
        JsonNode targets = settled("targets", data -> {
                    JsonNode active = data.path("activeTargets");
                    for (JsonNode scrape : active) {
                        if (scrape.path("health").asText().equals("unknown")) {
                            return false;
                        }
                    }
                    return !active.isEmpty();
                })
                .path("activeTargets");
        targets.forEach(scrape -> {
            jobs.add(scrape.path("labels").path("job").asText());
            if (!scrape.path("health").asText().equals("up")) {
                down.add(scrape.path("scrapeUrl").asText() + " "
                        + scrape.path("health").asText() + " ("
                        + scrape.path("lastError").asText() + ")");
            }
        });
        checks.add(
                "prometheus targets",
                targets.size() > 0 && down.isEmpty(),
                down.isEmpty()
                        ? targets.size() + " up: " + String.join(", ", jobs)
                        : down.size() + " of " + targets.size() + " not up: " + String.join("; ", down));
    }

    private void rules() {
        int alerting = 0;
        List<String> failing = new ArrayList<>();
        List<String> firing = new ArrayList<>();
        for (JsonNode group : api("rules").path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (!rule.path("type").asText().equals("alerting")) {
                    continue;
                }
                alerting++;
                if (!rule.path("health").asText().equals("ok")
                        && !rule.path("health").asText().equals("unknown")) {
                    failing.add(rule.path("name").asText() + ": "
                            + rule.path("lastError").asText());
                }
                if (rule.path("state").asText().equals("firing")) {
                    firing.add(rule.path("name").asText());
                }
            }
        }
        checks.add(
                "prometheus rules",
                alerting > 0 && failing.isEmpty(),
                failing.isEmpty()
                        ? alerting + " alerting rules loaded; firing now: "
                                + (firing.isEmpty() ? "none" : String.join(", ", firing))
                        : "rules failing to evaluate: " + String.join("; ", failing));
    }

    /** The API's answer once {@code settled} holds for it, or the last one when ingestion's deadline passes. */
    private JsonNode settled(String path, Predicate<JsonNode> settled) {
        var last = new AtomicReference<JsonNode>(StackHttp.json("{}"));
        StackHttp.await(() -> {
            last.set(api(path));
            return settled.test(last.get());
        });
        return last.get();
    }

    private JsonNode api(String path) {
        Answer answer = http.get(http.target().prometheus().resolve("/api/v1/" + path), Map.of());
        return answer.status() == 200 ? StackHttp.json(answer.body()).path("data") : StackHttp.json("{}");
    }
}
