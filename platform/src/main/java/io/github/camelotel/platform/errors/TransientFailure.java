package io.github.camelotel.platform.errors;

/** A failure worth retrying: the consumer error handling redelivers it instead of dead-lettering. */
public class TransientFailure extends RuntimeException {

    public TransientFailure(String message) {
        super(message);
    }
}
