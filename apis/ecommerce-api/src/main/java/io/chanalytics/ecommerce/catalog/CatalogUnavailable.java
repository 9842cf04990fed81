package io.chanalytics.ecommerce.catalog;

import io.chanalytics.api.problem.ApiProblem;
import org.springframework.http.HttpStatus;

/** The catalog tables do not exist yet: the CRUD API, which owns and migrates them, has not started once. */
public final class CatalogUnavailable extends ApiProblem {

    CatalogUnavailable() {
        super(
                HttpStatus.SERVICE_UNAVAILABLE,
                null,
                "The product catalog is not available yet (crud-api has not migrated it)");
        with("reason", "CATALOG_UNAVAILABLE");
    }
}
