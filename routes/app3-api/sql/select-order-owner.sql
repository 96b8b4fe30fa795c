-- Who placed the order (its customer's id), or no row when there is no such order: whom GET /orders/{id}/audit
-- answers.
SELECT customer_id FROM orders WHERE order_id = :#${variable.orderId}
