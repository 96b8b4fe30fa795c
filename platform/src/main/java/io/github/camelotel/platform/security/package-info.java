/**
 * Who may call what: every HTTP endpoint takes an OAuth2 bearer token (a JWT), each contract operation the scopes its
 * OpenAPI document names, and calls to other apps carry this app's own client-credentials token.
 */
package io.github.camelotel.platform.security;
