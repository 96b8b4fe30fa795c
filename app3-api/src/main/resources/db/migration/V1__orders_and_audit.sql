-- Orders as app3-api stores them: one row per order id, whatever number of times a purchase arrives.
CREATE TABLE orders (
    order_id       VARCHAR(64)    PRIMARY KEY,
    customer_id    VARCHAR(64)    NOT NULL,
    customer_name  VARCHAR(120)   NOT NULL,
    customer_email VARCHAR(254)   NOT NULL,
    currency       CHAR(3)        NOT NULL,
    items          JSONB          NOT NULL,
    total          NUMERIC(14, 2) NOT NULL,
    status         VARCHAR(16)    NOT NULL CHECK (status IN ('RECEIVED', 'PAID')),
    created_at     TIMESTAMPTZ    NOT NULL DEFAULT now(),
    paid_at        TIMESTAMPTZ
);

-- One row per state change of an order, with the trace of the request that caused it.
CREATE TABLE audit_log (
    id         BIGSERIAL   PRIMARY KEY,
    order_id   VARCHAR(64) NOT NULL,
    event      VARCHAR(16) NOT NULL CHECK (event IN ('RECEIVED', 'PAID')),
    trace_id   VARCHAR(32) NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (order_id, event)
);
