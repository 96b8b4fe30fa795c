-- The order as JSON text: what Purchase2 carries, the cache holds and GET /orders/{id} answers.
SELECT cast(jsonb_build_object(
           'orderId', order_id, 'customerId', customer_id, 'customerName', customer_name,
           'customerEmail', customer_email, 'currency', currency, 'items', items, 'total', total,
           'status', status, 'createdAt', created_at, 'paidAt', paid_at) AS TEXT) AS "order"
FROM orders
WHERE order_id = :#${variable.orderId}
