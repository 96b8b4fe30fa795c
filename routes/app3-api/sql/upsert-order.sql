-- Stores a purchase as RECEIVED or PAID (variable event). Idempotent: a repeated request changes nothing, an
-- order never goes back from PAID, and the first payment time stays. The database computes the total.
INSERT INTO orders (order_id, customer_id, customer_name, customer_email, currency, items, total, status, paid_at)
SELECT p ->> 'orderId', p ->> 'customerId', p ->> 'customerName', p ->> 'customerEmail', p ->> 'currency', p -> 'items',
       (SELECT sum(cast(i ->> 'quantity' AS NUMERIC) * cast(i ->> 'unitPrice' AS NUMERIC))
        FROM jsonb_array_elements(p -> 'items') AS i),
       request.event,
       CASE WHEN request.event = 'PAID' THEN now() END
FROM (SELECT cast(:#${variable.purchase} AS JSONB) AS p, cast(:#${variable.event} AS VARCHAR) AS event) AS request
ON CONFLICT (order_id) DO UPDATE
    SET status  = CASE WHEN excluded.status = 'PAID' THEN 'PAID' ELSE orders.status END,
        paid_at = coalesce(orders.paid_at, excluded.paid_at)
