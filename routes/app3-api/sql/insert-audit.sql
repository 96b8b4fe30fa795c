-- One audit row per state change; a repeated request does not add another.
INSERT INTO audit_log (order_id, event, trace_id)
VALUES (:#${variable.orderId}, :#${variable.event}, :#${variable.traceId})
ON CONFLICT (order_id, event) DO NOTHING
