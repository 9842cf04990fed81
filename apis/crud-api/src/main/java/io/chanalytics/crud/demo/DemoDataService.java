package io.chanalytics.crud.demo;

import io.chanalytics.crud.demo.DemoDataGenerator.DemoProduct;
import io.chanalytics.crud.demo.DemoDataGenerator.DemoUser;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/** Inserts generated rows in one statement per call (arrays unnested server-side), not one round trip per row. */
@Service
class DemoDataService {

    private final DemoDataGenerator generator;
    private final DatabaseClient database;

    DemoDataService(DemoDataGenerator generator, DatabaseClient database) {
        this.generator = generator;
        this.database = database;
    }

    Mono<DemoDataResult> generateUsers(int count, long seed) {
        List<DemoUser> users = generator.users(count, seed);
        return database.sql("""
                        INSERT INTO crud.users (name, email, region)
                        SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::varchar[])
                        ON CONFLICT (email) DO NOTHING
                        """)
                .bind(0, users.stream().map(DemoUser::name).toArray(String[]::new))
                .bind(1, users.stream().map(DemoUser::email).toArray(String[]::new))
                .bind(2, users.stream().map(DemoUser::region).toArray(String[]::new))
                .fetch()
                .rowsUpdated()
                .map(created -> new DemoDataResult("users", count, created, seed));
    }

    Mono<DemoDataResult> generateProducts(int count, long seed) {
        List<DemoProduct> products = generator.products(count, seed);
        return database.sql("""
                        INSERT INTO crud.products (name, category, price, stock)
                        SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::numeric[], $4::int[])
                        """)
                .bind(0, products.stream().map(DemoProduct::name).toArray(String[]::new))
                .bind(1, products.stream().map(DemoProduct::category).toArray(String[]::new))
                .bind(2, products.stream().map(p -> p.price().toPlainString()).toArray(String[]::new))
                .bind(3, products.stream().map(DemoProduct::stock).toArray(Integer[]::new))
                .fetch()
                .rowsUpdated()
                .map(created -> new DemoDataResult("products", count, created, seed));
    }
}
