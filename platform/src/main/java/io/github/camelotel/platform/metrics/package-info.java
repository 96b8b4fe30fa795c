/** Metrics beyond Spring Boot's and Camel's: trace-ID exemplars on the Prometheus histograms. */
package io.github.camelotel.platform.metrics;
