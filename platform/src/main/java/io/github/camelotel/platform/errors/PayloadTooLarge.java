package io.github.camelotel.platform.errors;

import java.io.IOException;

/** Thrown while reading a request body that grows past the size limit: answered with 413. */
public class PayloadTooLarge extends IOException {

    public PayloadTooLarge(long maxBytes) {
        super("the request body must be at most " + maxBytes + " bytes");
    }
}
