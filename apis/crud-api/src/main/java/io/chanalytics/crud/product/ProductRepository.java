package io.chanalytics.crud.product;

import org.springframework.data.repository.reactive.ReactiveCrudRepository;

/** Spring Data's CRUD operations, plus the filtered page query of {@link ProductSearch}. */
interface ProductRepository extends ReactiveCrudRepository<Product, Long>, ProductSearch {}
