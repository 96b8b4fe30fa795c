package io.github.camelotel.app4;

import io.minio.PutObjectArgs;
import jakarta.activation.DataHandler;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.Variable;
import org.apache.camel.attachment.AttachmentMessage;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * What the invoice flow in {@code routes/app4-worker/} needs and its templates cannot do, used from routes as bean
 * {@code invoices}: the invoice of an order with line totals and amounts formatted to two decimals, the request that
 * stores it in S3, and the rendered invoice as the mail's attachment. The templates escape every value; nothing
 * here formats HTML.
 */
@Component("invoices")
public class Invoices {

    static final String HTML = "text/html; charset=UTF-8";

    private final String bucket;

    public Invoices(@Value("${invoices.bucket}") String bucket) {
        this.bucket = bucket;
    }

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

    /**
     * The S3 request storing the rendered invoice under {@code key}, served as HTML, for the minio endpoint with
     * {@code pojoRequest}: camel-minio 4.17 passes its CamelMinioContentType header on as user metadata
     * ({@code x-amz-meta-Content-Type}), which would leave the object {@code application/octet-stream}.
     */
    public PutObjectArgs.Builder putRequest(
            @Header("CamelMinioObjectName") String key, @Variable("invoice") String invoice) {
        byte[] html = invoice.getBytes(StandardCharsets.UTF_8);
        return PutObjectArgs.builder().bucket(bucket).object(key).contentType(HTML).stream(
                new ByteArrayInputStream(html), html.length, -1);
    }

    /** Attaches the rendered invoice to the message as {@code invoice-<order id>.html}, for the mail endpoint. */
    public void attachInvoice(
            Exchange exchange, @ExchangeProperty("order.id") String orderId, @Variable("invoice") String invoice) {
        ByteArrayDataSource html = new ByteArrayDataSource(invoice.getBytes(StandardCharsets.UTF_8), HTML);
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
