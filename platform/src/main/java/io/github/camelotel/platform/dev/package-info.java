/** Development-only beans, each off unless the local stack or a developer switches it on. */
package io.github.camelotel.platform.dev;
