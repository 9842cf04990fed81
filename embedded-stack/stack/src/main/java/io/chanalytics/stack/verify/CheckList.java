package io.chanalytics.stack.verify;

import io.chanalytics.stack.verify.StackVerifier.Check;
import io.chanalytics.stack.verify.StackVerifier.Outcome;
import java.util.ArrayList;
import java.util.List;

/** The checks of one run, in the order they were made: what every group of checks adds to. */
final class CheckList {

    private final List<Check> checks = new ArrayList<>();

    /** Records a passed or failed check and returns whether it passed. */
    boolean add(String name, boolean passed, String detail) {
        add(name, passed ? Outcome.PASSED : Outcome.FAILED, detail);
        return passed;
    }

    void add(String name, Outcome outcome, String detail) {
        checks.add(new Check(name, outcome, detail));
    }

    List<Check> all() {
        return List.copyOf(checks);
    }
}
