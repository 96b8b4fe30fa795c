package io.github.camelotel.platform.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisSpansTest {

    @Test
    void aCommandIsADatabaseCallToRedisAtItsServer() {
        assertThat(RedisSpans.attributes("GET", "cache.local", 6379).asMap())
                .isEqualTo(Map.of(
                        AttributeKey.stringKey("db.system"), "redis",
                        AttributeKey.stringKey("peer.service"), "redis",
                        AttributeKey.stringKey("db.operation.name"), "GET",
                        AttributeKey.stringKey("server.address"), "cache.local",
                        AttributeKey.longKey("server.port"), 6379L));
        assertThat(RedisSpans.attributes("DEL", null, -1).asMap()).hasSize(3);
    }
}
