package io.chanalytics.clickhouse;

import io.chanalytics.clickhouse.engine.ChDb;
import java.nio.file.Path;

/**
 * A child JVM that opens the engine with a server config file and prints each statement's result, one block per
 * statement ending in a line {@code --}: how a test checks a config with environment variables of its own (the
 * engine reads {@code from_env} from its process's environment, which a test cannot set for itself).
 */
final class ConfigProbe {

    static final String END = "--";

    private ConfigProbe() {}

    /** Arguments: data path, config file, then the statements. */
    public static void main(String[] args) {
        try (ChDb engine = ChDb.open(Path.of(args[0]), "--config-file=" + args[1])) {
            for (int i = 2; i < args.length; i++) {
                System.out.print(engine.query(args[i]));
                System.out.println(END);
            }
        }
    }
}
