package io.chanalytics.ecommerce.catalog;

import java.math.BigDecimal;

/** A product as the catalog has it now: the only source of prices and stock for carts and orders. */
public record CatalogProduct(long id, String name, String category, BigDecimal price, int stock) {}
