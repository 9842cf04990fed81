package io.chanalytics.ecommerce.cart;

import io.chanalytics.api.caller.Caller;
import io.chanalytics.api.problem.ApiProblem;
import io.chanalytics.ecommerce.catalog.Catalog;
import io.chanalytics.ecommerce.catalog.CatalogProduct;
import io.chanalytics.ecommerce.order.OrderRefused;
import io.chanalytics.ecommerce.system.EcommerceProperties;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Cart changes. Stock is checked when adding as a courtesy to the shopper; the binding check is the atomic
 * decrement at checkout, since stock can change between the two.
 */
@Service
class CartService {

    private final CartRepository carts;
    private final Catalog catalog;
    private final CartEvents events;
    private final EcommerceProperties properties;

    CartService(CartRepository carts, Catalog catalog, CartEvents events, EcommerceProperties properties) {
        this.carts = carts;
        this.catalog = catalog;
        this.events = events;
        this.properties = properties;
    }

    Mono<CartView> view(Caller caller) {
        return carts.findByOwner(caller.ownerKey()).collectList().flatMap(this::price);
    }

    /** Adds the product; returns the changed line and the cart's units after the change. */
    Mono<CartChange> add(Caller caller, AddCartItemRequest request) {
        String owner = caller.ownerKey();
        long productId = request.productId();
        return catalog.find(productId)
                .switchIfEmpty(Mono.error(() -> ApiProblem.notFound("productId", "No product with id " + productId)))
                .flatMap(product -> carts.findByProduct(owner, productId)
                        .map(CartItem::quantity)
                        .defaultIfEmpty(0)
                        .flatMap(existing -> {
                            int wanted = existing + request.quantity();
                            if (wanted > CartItem.MAX_QUANTITY) {
                                return Mono.error(ApiProblem.unprocessable(
                                        "quantity",
                                        "A cart line holds at most " + CartItem.MAX_QUANTITY + " units (already "
                                                + existing + " in the cart)"));
                            }
                            if (wanted > product.stock()) {
                                return Mono.error(OrderRefused.outOfStock(product, wanted));
                            }
                            return carts.add(owner, productId, request.quantity());
                        })
                        .flatMap(item -> change(owner, item, product)))
                .doOnNext(change -> events.added(caller, change, request.quantity()));
    }

    Mono<CartChange> update(Caller caller, long itemId, UpdateCartItemRequest request) {
        String owner = caller.ownerKey();
        return carts.findByOwner(owner)
                .filter(item -> item.id() == itemId)
                .next()
                .switchIfEmpty(Mono.error(() -> notFound(itemId)))
                .flatMap(item -> catalog.find(item.productId())
                        .switchIfEmpty(Mono.error(() -> OrderRefused.productNotFound(
                                "itemId",
                                item.productId(),
                                "Product " + item.productId() + " is no longer sold; remove the line"))))
                .flatMap(product -> request.quantity() > product.stock()
                        ? Mono.error(OrderRefused.outOfStock(product, request.quantity()))
                        : carts.setQuantity(owner, itemId, request.quantity())
                                .switchIfEmpty(Mono.error(() -> notFound(itemId)))
                                .flatMap(item -> change(owner, item, product)))
                .doOnNext(change -> events.updated(caller, change));
    }

    Mono<CartChange> remove(Caller caller, long itemId) {
        String owner = caller.ownerKey();
        return carts.delete(owner, itemId)
                .switchIfEmpty(Mono.error(() -> notFound(itemId)))
                .flatMap(item -> catalog.find(item.productId())
                        .map(product -> new CartLineProduct(item, product.category()))
                        .defaultIfEmpty(new CartLineProduct(item, null)))
                .flatMap(removed -> units(owner)
                        .map(units -> new CartChange(
                                removed.item().id(),
                                removed.item().productId(),
                                removed.category(),
                                removed.item().quantity(),
                                units)))
                .doOnNext(change -> events.removed(caller, change));
    }

    private Mono<CartChange> change(String owner, CartItem item, CatalogProduct product) {
        return units(owner)
                .map(units -> new CartChange(item.id(), item.productId(), product.category(), item.quantity(), units));
    }

    private Mono<Integer> units(String owner) {
        return carts.findByOwner(owner).map(CartItem::quantity).reduce(0, Integer::sum);
    }

    private Mono<CartView> price(List<CartItem> items) {
        return catalog.findAll(items.stream().map(CartItem::productId).toList())
                .collectMap(CatalogProduct::id, Function.identity())
                .map(products -> view(items, products));
    }

    private CartView view(List<CartItem> items, Map<Long, CatalogProduct> products) {
        // A line whose product was deleted from the catalog stays visible with no price, so it can be removed.
        List<CartLine> lines = items.stream()
                .map(item -> {
                    CatalogProduct product = products.get(item.productId());
                    if (product == null) {
                        return new CartLine(item.id(), item.productId(), null, null, null, item.quantity(), null, 0);
                    }
                    return new CartLine(
                            item.id(),
                            item.productId(),
                            product.name(),
                            product.category(),
                            product.price(),
                            item.quantity(),
                            product.price().multiply(BigDecimal.valueOf(item.quantity())),
                            product.stock());
                })
                .collect(Collectors.toList());
        BigDecimal total = lines.stream()
                .map(CartLine::lineTotal)
                .filter(Objects::nonNull)
                .reduce(new BigDecimal("0.00"), BigDecimal::add);
        int units = items.stream().mapToInt(CartItem::quantity).sum();
        return new CartView(lines, units, total, properties.currency());
    }

    private static ApiProblem notFound(long itemId) {
        return ApiProblem.notFound("itemId", "No item " + itemId + " in your cart");
    }

    private record CartLineProduct(CartItem item, String category) {}
}
