package io.github.camelotel.platform.tracing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * Tags an exchange with named fields of its body, each as an attribute the exchange carries
 * ({@link ExchangeTracing#tag}). The platform does not know the apps' messages: a bean of the routes, declared where
 * the message's shape is known, names the fields, e.g. {@code "id=item.id,owner=owner.id"} tags field {@code id} as
 * attribute {@code item.id}. The first field is the exchange's key ({@link ExchangeTracing#key}).
 */
public final class BodyAttributes {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Attribute name by field name, in the order given. */
    private final Map<String, String> attributes = new LinkedHashMap<>();

    /** @param fieldsToAttributes comma-separated {@code <field>=<attribute>} */
    public BodyAttributes(String fieldsToAttributes) {
        for (String pair : fieldsToAttributes.split(",")) {
            String[] fieldAndAttribute = pair.split("=", 2);
            if (fieldAndAttribute.length != 2 || fieldAndAttribute[0].isBlank() || fieldAndAttribute[1].isBlank()) {
                throw new IllegalArgumentException("'" + pair + "' is not <field>=<attribute>");
            }
            attributes.put(fieldAndAttribute[0].trim(), fieldAndAttribute[1].trim());
        }
    }

    /** Reads the fields from the body: a map, or JSON text as it came in. A missing or non-text field tags nothing. */
    public void tag(Exchange exchange) throws JsonProcessingException {
        Object body = exchange.getMessage().getBody();
        if (body instanceof Map<?, ?> fields) {
            attributes.forEach((field, attribute) -> tag(exchange, attribute, fields.get(field)));
        } else if (body != null) {
            JsonNode document = JSON.readTree(exchange.getMessage().getBody(String.class));
            attributes.forEach((field, attribute) ->
                    tag(exchange, attribute, document.path(field).textValue()));
        }
    }

    private static void tag(Exchange exchange, String attribute, Object value) {
        if (value != null) {
            ExchangeTracing.carry(exchange, attribute, value.toString());
        }
    }
}
