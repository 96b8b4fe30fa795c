-- The audit trail of one order as a JSON array, oldest first (empty when there is no such order): what
-- GET /orders/{id}/audit answers.
SELECT cast(coalesce(jsonb_agg(jsonb_build_object('event', event, 'traceId', trace_id, 'at', created_at) ORDER BY id),
                     '[]') AS TEXT) AS "audit"
FROM audit_log
WHERE order_id = :#${variable.orderId}
