package io.chanalytics.crud.demo;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.springframework.stereotype.Component;

/**
 * Realistic-looking users and products from a seed: the same seed and count always give the same rows, so a
 * demo or a load test can be replayed. Emails embed the seed and index, which keeps them unique per seed.
 */
@Component
class DemoDataGenerator {

    record DemoUser(String name, String email, String region) {}

    record DemoProduct(String name, String category, BigDecimal price, int stock) {}

    private record Category(String name, List<String> nouns, int minPrice, int maxPrice) {}

    static final List<String> REGIONS =
            List.of("us-east", "us-west", "eu-west", "eu-central", "ap-south", "ap-northeast", "sa-east");

    private static final List<String> FIRST_NAMES = List.of(
            "Olivia", "Liam", "Emma", "Noah", "Amelia", "Oliver", "Sophia", "Elijah", "Mia", "Lucas", "Aisha", "Mateo",
            "Yuki", "Arjun", "Chloe", "Hugo", "Ingrid", "Kwame", "Lena", "Omar", "Priya", "Rafael", "Sofia", "Tomas",
            "Wei", "Zara");

    private static final List<String> LAST_NAMES = List.of(
            "Smith",
            "Garcia",
            "Müller",
            "Rossi",
            "Kim",
            "Nguyen",
            "Johnson",
            "Silva",
            "Kowalski",
            "Tanaka",
            "Dubois",
            "Okafor",
            "Patel",
            "Jensen",
            "Novak",
            "Haddad",
            "Lopez",
            "Brown",
            "Ivanova",
            "Chen");

    private static final List<String> ADJECTIVES = List.of(
            "Classic",
            "Compact",
            "Deluxe",
            "Eco",
            "Essential",
            "Lightweight",
            "Premium",
            "Pro",
            "Smart",
            "Ultra",
            "Vintage",
            "Wireless");

    private static final List<Category> CATEGORIES = List.of(
            new Category("electronics", List.of("Headphones", "Speaker", "Smartwatch", "Keyboard", "Monitor"), 19, 899),
            new Category("books", List.of("Cookbook", "Novel", "Atlas", "Biography", "Guide"), 6, 59),
            new Category("home", List.of("Lamp", "Kettle", "Blender", "Rug", "Pillow"), 9, 249),
            new Category("sports", List.of("Yoga Mat", "Dumbbell Set", "Tennis Racket", "Backpack", "Bottle"), 8, 299),
            new Category("toys", List.of("Puzzle", "Robot Kit", "Board Game", "Plush Bear", "Kite"), 5, 129),
            new Category("beauty", List.of("Face Cream", "Shampoo", "Perfume", "Lip Balm", "Hair Dryer"), 4, 149),
            new Category("fashion", List.of("Jacket", "Sneakers", "Scarf", "Sunglasses", "Watch"), 12, 399));

    List<DemoUser> users(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<DemoUser> users = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String first = pick(random, FIRST_NAMES);
            String last = pick(random, LAST_NAMES);
            String email = "%s.%s.%d.%d@example.com"
                    .formatted(ascii(first), ascii(last), seed, i)
                    .toLowerCase(Locale.ROOT);
            users.add(new DemoUser(first + " " + last, email, pick(random, REGIONS)));
        }
        return users;
    }

    List<DemoProduct> products(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<DemoProduct> products = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Category category = pick(random, CATEGORIES);
            String name = pick(random, ADJECTIVES) + " " + pick(random, category.nouns());
            // Shop-style prices ending in .99 or .49 within the category's range.
            int whole = random.nextInt(category.minPrice(), category.maxPrice() + 1);
            BigDecimal price = BigDecimal.valueOf(whole)
                    .add(random.nextBoolean() ? new BigDecimal("0.99") : new BigDecimal("0.49"))
                    .setScale(2, RoundingMode.UNNECESSARY);
            // Mostly in stock, a few scarce items so stock-outs happen under load.
            int stock = random.nextInt(10) == 0 ? random.nextInt(0, 5) : random.nextInt(20, 500);
            products.add(new DemoProduct(name, category.name(), price, stock));
        }
        return products;
    }

    private static <T> T pick(SplittableRandom random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static String ascii(String name) {
        return Normalizer.normalize(name, Normalizer.Form.NFD).replaceAll("[^A-Za-z]", "");
    }
}
