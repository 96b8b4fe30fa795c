/** The error model: what an HTTP endpoint answers for a failure, and which failures are worth retrying. */
package io.github.camelotel.platform.errors;
