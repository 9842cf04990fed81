package io.chanalytics.simulator.flows;

import io.chanalytics.simulator.flows.DemoData.DemoUser;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Lends real users to sessions so that two concurrent sessions rarely act as the same user: a cart belongs to its
 * user, and two sessions editing one cart would see each other's items vanish. When every user is busy a random one
 * is shared rather than delaying the arrival (the load model is open).
 */
public final class UserPool {

    private final DemoData demoData;
    private final ConcurrentLinkedQueue<DemoUser> idle;

    public UserPool(DemoData demoData) {
        this.demoData = demoData;
        this.idle = new ConcurrentLinkedQueue<>(shuffled(demoData.users()));
    }

    public DemoUser lease() {
        DemoUser user = idle.poll();
        return user != null ? user : demoData.randomUser();
    }

    public void release(DemoUser user) {
        if (!idle.contains(user)) {
            idle.add(user);
        }
    }

    private static List<DemoUser> shuffled(List<DemoUser> users) {
        List<DemoUser> copy = new ArrayList<>(users);
        Collections.shuffle(copy);
        return copy;
    }
}
