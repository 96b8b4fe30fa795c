package io.github.camelotel.load;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Plausible purchases, as routes/common/purchase.schema.json wants them: a new order id each, a few customers. */
public final class Purchases {

    private static final List<String> CUSTOMERS =
            List.of("Ada Lovelace", "Grace Hopper", "Alan Turing", "Edsger Dijkstra");
    private static final List<Map<String, Object>> CATALOGUE = List.of(
            item("SKU-COFFEE", "Coffee beans 1 kg", "18.90"),
            item("SKU-MUG", "Enamel mug", "9.50"),
            item("SKU-GRINDER", "Hand grinder", "64.00"),
            item("SKU-FILTER", "Paper filters (100)", "4.25"));

    private Purchases() {}

    /** A new purchase as a map (JSON objects for its items), ready to be written as JSON. */
    public static Map<String, Object> next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int customer = random.nextInt(CUSTOMERS.size());
        List<Map<String, Object>> items = new ArrayList<>();
        int lines = 1 + random.nextInt(3);
        for (int i = 0; i < lines; i++) {
            Map<String, Object> line = new LinkedHashMap<>(CATALOGUE.get((customer + i) % CATALOGUE.size()));
            line.put("quantity", 1 + random.nextInt(3));
            items.add(line);
        }
        Map<String, Object> purchase = new LinkedHashMap<>();
        purchase.put("orderId", UUID.randomUUID().toString());
        purchase.put("customerId", "C-" + (1001 + customer));
        purchase.put("customerName", CUSTOMERS.get(customer));
        purchase.put(
                "customerEmail",
                CUSTOMERS.get(customer).toLowerCase(Locale.ROOT).replace(' ', '.') + "@example.com");
        purchase.put("currency", "EUR");
        purchase.put("items", items);
        return purchase;
    }

    private static Map<String, Object> item(String sku, String name, String unitPrice) {
        return Map.of("sku", sku, "name", name, "unitPrice", new BigDecimal(unitPrice));
    }
}
