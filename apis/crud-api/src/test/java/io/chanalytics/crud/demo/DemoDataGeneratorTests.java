package io.chanalytics.crud.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DemoDataGeneratorTests {

    private final DemoDataGenerator generator = new DemoDataGenerator();

    @Test
    void theSameSeedGivesTheSameData() {
        assertThat(generator.users(50, 7)).isEqualTo(generator.users(50, 7));
        assertThat(generator.products(50, 7)).isEqualTo(generator.products(50, 7));
        assertThat(generator.products(50, 7)).isNotEqualTo(generator.products(50, 8));
    }

    @Test
    void usersLookReal() {
        assertThat(generator.users(200, 1)).allSatisfy(user -> {
            assertThat(user.name()).matches("\\p{L}+ \\p{L}+");
            assertThat(user.email()).matches("[a-z]+\\.[a-z]+\\.1\\.\\d+@example\\.com");
            assertThat(DemoDataGenerator.REGIONS).contains(user.region());
        });
        assertThat(generator.users(200, 1).stream().map(DemoDataGenerator.DemoUser::email))
                .doesNotHaveDuplicates();
    }

    @Test
    void productsHaveExactPricesAndStock() {
        assertThat(generator.products(200, 3)).allSatisfy(product -> {
            assertThat(product.price().scale()).isEqualTo(2);
            assertThat(product.price()).isPositive();
            assertThat(product.stock()).isBetween(0, 500);
            assertThat(product.category()).isNotBlank();
        });
    }
}
