package io.chanalytics.clickhouse.engine;

/**
 * What the engine's parser says a text is ({@code chdb_classify_query_n}).
 *
 * @param statements executable statements in the text; 0 when it does not parse
 * @param kind what the statements do to state that outlives them (the most restrictive of them)
 */
public record StatementClass(int statements, Kind kind) {

    /** {@code chdb_query_class}, in the engine's order. */
    public enum Kind {
        /** SELECT, SHOW, DESCRIBE, EXPLAIN, EXISTS, CHECK. */
        READ_ONLY,
        /** INSERT, CREATE, ALTER, DROP, TRUNCATE, RENAME, UPDATE, DELETE, OPTIMIZE. */
        MUTATING,
        /** Functions, named collections, access management, writes into {@code system}. */
        MUTATING_GLOBAL,
        /** USE, SET, SYSTEM, KILL, BACKUP, INTO OUTFILE, INSERT INTO FUNCTION, ... */
        CONTROL,
        /** Did not parse, or a statement this engine does not classify. */
        UNKNOWN;

        static Kind of(int code) {
            Kind[] kinds = values();
            return code >= 0 && code < kinds.length ? kinds[code] : UNKNOWN;
        }
    }

    /** One statement that only reads. */
    public boolean isSingleRead() {
        return statements == 1 && kind == Kind.READ_ONLY;
    }
}
