-- The audit trail of one order, oldest first.
SELECT event, trace_id AS "traceId", created_at AS "at"
FROM audit_log
WHERE order_id = :#${variable.orderId}
ORDER BY id
