package io.github.camelotel.platform.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;

class FailuresTest {

    @Test
    void retriesWhatADependencyOutageCauses() {
        assertThat(Failures.isTransientFailure(new RuntimeException("wrapped", new ConnectException("refused"))))
                .isTrue();
        assertThat(Failures.isTransientFailure(httpFailure(503))).isTrue();
        assertThat(Failures.isTransientFailure(new DataAccessResourceFailureException("db down")))
                .isTrue();
        assertThat(Failures.isTransientFailure(new TransientFailure("injected")))
                .isTrue();
    }

    @Test
    void doesNotRetryWhatWouldFailAgain() {
        assertThat(Failures.isTransientFailure(httpFailure(400))).isFalse();
        assertThat(Failures.isTransientFailure(new IllegalArgumentException("bad")))
                .isFalse();
    }

    @Test
    void answers503ForAnOutageAnd500ForABug() {
        Map<String, Object> body = new LinkedHashMap<>();
        assertThat(ErrorResponses.describe(new ConnectException("refused"), body))
                .isEqualTo(503);
        assertThat(body).containsEntry("error", "dependency_unavailable");
        assertThat(ErrorResponses.describe(new NullPointerException("bug"), body))
                .isEqualTo(500);
        assertThat(body).containsEntry("error", "internal_error").doesNotContainValue("bug");
    }

    static HttpOperationFailedException httpFailure(int status) {
        return new HttpOperationFailedException("http://app3", status, "status " + status, null, Map.of(), "");
    }
}
