/** How an app starts and stops around Camel: in-flight exchanges finish before Camel stops. */
package io.github.camelotel.platform.lifecycle;
