package io.chanalytics.benchmarks;

import io.chanalytics.clickhouse.engine.ChDb;
import java.util.ArrayList;
import java.util.List;

/**
 * The schema's views fed from another source into copies of their target tables, for a benchmark variant; closing
 * drops the views first, then the tables they wrote to, so that nothing of a variant runs into the next one.
 */
final class ViewCopies implements AutoCloseable {

    private final ChDb engine;
    private final String suffix;
    private final List<String> created = new ArrayList<>();

    /** {@code suffix} names this variant's views ({@code <view><suffix>}). */
    ViewCopies(ChDb engine, String suffix) {
        this.engine = engine;
        this.suffix = suffix;
    }

    /** A table the caller created for this variant, dropped on close. */
    void own(String table) {
        created.add(table);
    }

    /** {@code view}'s SELECT reading {@code source}, writing to {@code copy} (made like the view's target if new). */
    void attach(SchemaViews view, String source, String copy) {
        if (!created.contains(copy)) {
            engine.execute("CREATE TABLE " + copy + " AS " + view.target());
            created.add(copy);
        }
        String name = "analytics." + view.name() + suffix;
        engine.execute("CREATE MATERIALIZED VIEW " + name + " TO " + copy + " AS " + view.selectFrom(source));
        created.add(0, name);
    }

    @Override
    public void close() {
        for (String table : created) {
            engine.execute("DROP TABLE " + table + " SYNC");
        }
    }
}
