package io.chanalytics.ecommerce;

import io.chanalytics.api.problem.ProblemDetailsAdvice;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

/** Carts, checkout and orders, selling from the catalogue the CRUD API owns. */
@SpringBootApplication
@ConfigurationPropertiesScan
@Import(ProblemDetailsAdvice.class)
public class EcommerceApiApplication {

    public static void main(String[] args) {
        SpringApplication.run(EcommerceApiApplication.class, args);
    }
}
