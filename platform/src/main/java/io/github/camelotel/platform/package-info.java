/** The shared module of the apps: their settings and header hygiene between hops; one package per concern below. */
package io.github.camelotel.platform;
