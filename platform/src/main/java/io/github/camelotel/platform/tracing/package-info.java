/** Tracing: the OpenTelemetry SDK, Camel's tracer and the shapes of its spans, and the routes' bean {@code tracing}. */
package io.github.camelotel.platform.tracing;
