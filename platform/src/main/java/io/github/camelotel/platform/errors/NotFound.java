package io.github.camelotel.platform.errors;

/** Nothing with the id a request names: answered with 404. */
public class NotFound extends RuntimeException {

    public NotFound(String message) {
        super(message);
    }
}
