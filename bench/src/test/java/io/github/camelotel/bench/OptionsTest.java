package io.github.camelotel.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionsTest {

    @Test
    void readsEveryKindOfValue() {
        Options options = Options.parse(new String[] {
            "--repetitions",
            "1",
            "--tracing",
            "on,off",
            "--search-max",
            " 40",
            "--warmup-tolerance",
            "0.05",
            "--env",
            "A=b=c",
            "--label",
            "x"
        });

        assertThat(options.repetitions).isEqualTo(1);
        assertThat(options.tracing).containsExactly("on", "off");
        assertThat(options.searchMax).isEqualTo(40);
        assertThat(options.warmupTolerance).isEqualTo(0.05);
        assertThat(options.env).isEqualTo(Map.of("A", "b=c"));
        assertThat(options.label).isEqualTo("x");
    }

    @Test
    void optionsAfterSmokeStillApply() {
        Options options = Options.parse("--repetitions", "2", "--smoke", "--fixed-seconds", "7");

        assertThat(options.repetitions).isEqualTo(1);
        assertThat(options.fixedSeconds).isEqualTo(7);
        assertThat(options.env).containsEntry("OTEL_BSP_SCHEDULE_DELAY", "200");
    }

    @Test
    void namesTheOptionAWrongValueWasGivenTo() {
        for (List<String> args : List.of(
                List.of("--repetitions", "three"),
                List.of("--warmup-seconds", "ten"),
                List.of("--tracing", "on,of"),
                List.of("--env", "=x"),
                List.of("--fixed-seconds"))) {
            assertThatThrownBy(() -> Options.parse(args.toArray(String[]::new)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(args.get(0));
        }
        assertThatThrownBy(() -> Options.parse(new String[] {"--fast", "1"}))
                .hasMessageStartingWith("--fast: ")
                .hasMessageContaining("\"fast\"");
    }
}
