package io.chanalytics.stack.monitoring;

import java.time.Instant;
import java.util.Map;

/** One alert of a notification Alertmanager sent: {@code firing} or {@code resolved}, when it arrived, and what. */
public record AlertNotification(Instant received, String status, Map<String, String> labels, String summary) {

    public String alertName() {
        return labels.getOrDefault("alertname", "");
    }

    public boolean firing() {
        return status.equals("firing");
    }

    @Override
    public String toString() {
        return status + " " + alertName() + " (" + labels.getOrDefault("severity", "no severity") + "): " + summary;
    }
}
