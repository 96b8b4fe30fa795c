package io.github.camelotel.platform;

import java.util.UUID;

/** Purchases for the apps' route tests: one valid JSON document per call, each with a new order id. */
public final class Purchases {

    private Purchases() {}

    public static String valid() {
        return validWithOrderId("test-" + UUID.randomUUID());
    }

    public static String validWithOrderId(String orderId) {
        return """
                {"orderId": "%s", "customerId": "C-1001", "customerName": "Ada Lovelace",
                 "customerEmail": "ada@example.com", "currency": "EUR",
                 "items": [{"sku": "SKU-1", "name": "Coffee", "quantity": 2, "unitPrice": 3.5},
                           {"sku": "SKU-2", "name": "Mug", "quantity": 1, "unitPrice": 9.25}]}
                """.formatted(orderId);
    }

    /** A purchase whose quantity is a string: the schema refuses it, naming items[0].quantity. */
    public static String withQuantityAsString() {
        return valid().replace("\"quantity\": 2", "\"quantity\": \"2\"");
    }
}
