/** HTTP APIs bound to their OpenAPI contracts: resources, request validation, documents, size limit, header hygiene. */
package io.github.camelotel.platform.http;
