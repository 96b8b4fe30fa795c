package io.github.camelotel.platform.errors;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.Set;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * Tells a transient failure (worth retrying: a dependency down, slow or overloaded) from a permanent one (bad
 * input, a bug). Used as bean {@code failures} by the consumer error handling (redeliver or dead-letter) and by
 * the HTTP error model (503 or 4xx/500). Library exceptions are matched by class name, so an app need not have
 * every library (JDBC, Redis, MinIO, mail) on its classpath.
 */
public class Failures {

    /** Exceptions, or superclasses of exceptions, that say "try again later". */
    static final Set<String> TRANSIENT_TYPES = Set.of(
            "org.apache.hc.core5.http.NoHttpResponseException",
            "org.apache.hc.client5.http.HttpHostConnectException",
            "org.apache.hc.client5.http.ConnectTimeoutException",
            "org.springframework.dao.TransientDataAccessException",
            "org.springframework.dao.DataAccessResourceFailureException",
            "org.springframework.data.redis.RedisConnectionFailureException",
            "io.lettuce.core.RedisConnectionException",
            // A mail server that cannot be reached; a mail it refuses (SMTPSendFailedException, 5xx) is permanent.
            "org.eclipse.angus.mail.util.MailConnectException",
            "io.minio.errors.ServerException",
            // A Kafka broker that does not answer in time (TimeoutException, NotEnoughReplicasException, ...).
            "org.apache.kafka.common.errors.RetriableException");

    public boolean isTransient(Exception failure) {
        return isTransientFailure(failure);
    }

    public static boolean isTransientFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException
                    || cause instanceof SocketTimeoutException
                    || cause instanceof TransientFailure) {
                return true;
            }
            if (cause instanceof HttpOperationFailedException downstream) {
                return downstream.getStatusCode() >= 500;
            }
            for (Class<?> type = cause.getClass(); type != null; type = type.getSuperclass()) {
                if (TRANSIENT_TYPES.contains(type.getName())) {
                    return true;
                }
            }
        }
        return false;
    }
}
