package io.github.camelotel.platform.errors;

/** A request body in a content type the endpoint does not take: answered with 415. */
public class UnsupportedMediaType extends RuntimeException {

    public UnsupportedMediaType(String message) {
        super(message);
    }
}
