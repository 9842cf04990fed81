package io.chanalytics.crud.product;

import java.math.BigDecimal;
import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

@Table(schema = "crud", name = "products")
public record Product(
        @Id Long id, String name, String category, BigDecimal price, int stock, Instant createdAt, Instant updatedAt) {}
