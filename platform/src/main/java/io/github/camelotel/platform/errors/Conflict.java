package io.github.camelotel.platform.errors;

/** A request that conflicts with what is going on (such as a second load run): answered with 409. */
public class Conflict extends RuntimeException {

    public Conflict(String message) {
        super(message);
    }
}
