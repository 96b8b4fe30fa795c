package io.github.camelotel.app4;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.activation.DataHandler;
import jakarta.mail.util.ByteArrayDataSource;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Variable;
import org.apache.camel.attachment.AttachmentMessage;
import org.springframework.stereotype.Component;

/**
 * What the invoice templates in {@code routes/app4-worker/} need and cannot compute themselves, used from routes as
 * bean {@code invoices}: the invoice of an order with line totals and amounts formatted to two decimals, and the
 * rendered invoice as the mail's attachment. The templates escape every value; nothing here formats HTML.
 */
@Component("invoices")
public class Invoices {

    /** The invoice of an order (the Purchase2 message as a map): same order, same invoice, on every redelivery. */
    public Map<String, Object> model(@Body Map<String, Object> order) {
        List<Map<String, Object>> lines = new ArrayList<>();
        BigDecimal sum = BigDecimal.ZERO;
        for (Object element : (List<?>) order.get("items")) {
            Map<?, ?> item = (Map<?, ?>) element;
            int quantity = ((Number) item.get("quantity")).intValue();
            BigDecimal unitPrice = decimal(item.get("unitPrice"));
            BigDecimal lineTotal = unitPrice.multiply(BigDecimal.valueOf(quantity));
            sum = sum.add(lineTotal);
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("sku", item.get("sku"));
            line.put("name", item.get("name"));
            line.put("quantity", quantity);
            line.put("unitPrice", amount(unitPrice));
            line.put("lineTotal", amount(lineTotal));
            lines.add(line);
        }
        Map<String, Object> invoice = new LinkedHashMap<>();
        invoice.put("orderId", order.get("orderId"));
        invoice.put("customerId", order.get("customerId"));
        invoice.put("customerName", order.get("customerName"));
        invoice.put("customerEmail", order.get("customerEmail"));
        invoice.put("currency", order.get("currency"));
        invoice.put("date", date(order.get("paidAt") != null ? order.get("paidAt") : order.get("createdAt")));
        invoice.put("lines", lines);
        // The stored total (app3-api computes it in the database); the lines' sum for an order without one.
        invoice.put("total", amount(order.get("total") != null ? decimal(order.get("total")) : sum));
        return invoice;
    }

    /** Attaches the rendered invoice to the message as {@code invoice-<order id>.html}, for the mail endpoint. */
    public void attachInvoice(Exchange exchange, @ExchangeProperty("order.id") String orderId,
            @Variable("invoice") String invoice) {
        ByteArrayDataSource html = new ByteArrayDataSource(invoice.getBytes(StandardCharsets.UTF_8),
                "text/html; charset=UTF-8");
        exchange.getMessage(AttachmentMessage.class).addAttachment(fileName(orderId), new DataHandler(html));
    }

    /** The attachment's name; the order id is checked against the purchase schema's pattern before it gets here. */
    public static String fileName(String orderId) {
        return "invoice-" + orderId + ".html";
    }

    static BigDecimal decimal(Object value) {
        return value instanceof BigDecimal decimal ? decimal : new BigDecimal(value.toString());
    }

    static String amount(BigDecimal value) {
        return value.setScale(2, RoundingMode.HALF_UP).toPlainString();
    }

    /** The calendar day of a timestamp as PostgreSQL writes it into JSON (2025-11-22T15:45:00.123+00:00). */
    static String date(Object timestamp) {
        if (timestamp == null) {
            return "";
        }
        String text = timestamp.toString();
        try {
            return OffsetDateTime.parse(text).toLocalDate().toString();
        } catch (DateTimeParseException e) {
            int time = text.indexOf('T');
            return time > 0 ? text.substring(0, time) : text;
        }
    }
}
