package io.chanalytics.crud;

import io.chanalytics.api.problem.ProblemDetailsAdvice;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/** Users and products: the catalogue the e-commerce service sells from. */
@SpringBootApplication
@Import(ProblemDetailsAdvice.class)
public class CrudApiApplication {

    public static void main(String[] args) {
        SpringApplication.run(CrudApiApplication.class, args);
    }
}
