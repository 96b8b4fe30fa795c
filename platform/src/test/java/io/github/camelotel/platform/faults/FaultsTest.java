package io.github.camelotel.platform.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.camelotel.platform.errors.Failures;
import io.github.camelotel.platform.errors.TransientFailure;
import io.github.camelotel.platform.tracing.ExchangeTracing;
import java.time.Duration;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class FaultsTest {

    final Faults faults = new Faults(new ExchangeTracing(List.of()), "");
    final Exchange exchange = new DefaultExchange(new DefaultCamelContext());

    @Test
    void readsOneSpecPerPoint() {
        assertThat(Faults.parse("save-order:fail=0.2,delay=300; send-mail:crash=42"))
                .containsEntry("save-order", new Faults.Fault(0.2, Duration.ofMillis(300), null))
                .containsEntry("send-mail", new Faults.Fault(0, Duration.ZERO, "42"));
    }

    @Test
    void refusesASpecItCannotRead() {
        assertThatThrownBy(() -> Faults.parse("save-order:explode=1")).hasMessageContaining("unknown fault");
        assertThatThrownBy(() -> Faults.parse("save-order:fail=2")).hasMessageContaining("between 0 and 1");
    }

    @Test
    void failsEveryTimeAtRateOneAndNeverWithoutASpec() throws Exception {
        faults.at(exchange, "save-order");

        faults.configure("save-order:fail=1");

        assertThatThrownBy(() -> faults.at(exchange, "save-order")).isInstanceOf(TransientFailure.class);
        faults.at(exchange, "another-point");
        assertThat(Failures.isTransientFailure(new TransientFailure("x"))).isTrue();
    }
}
