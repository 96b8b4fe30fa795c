/** Kafka: dead letters and their counter, record header hygiene, metered Kafka clients. */
package io.github.camelotel.platform.kafka;
