package io.chanalytics.ecommerce.cart;

import java.math.BigDecimal;
import java.util.List;

/** @param itemsCount units in the cart (the sum of the lines' quantities) */
public record CartView(List<CartLine> items, int itemsCount, BigDecimal total, String currency) {}
