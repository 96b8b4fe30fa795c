package io.github.camelotel.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The firewall's header rule without a regex refuses and allows exactly what Spring Security's regex does. */
class HeaderRuleTest {

    /** StrictHttpFirewall's default for header names and values. */
    private static final Pattern SPRING_RULE = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");

    @Test
    void agreesWithSpringSecuritysRegexOnEveryCharOfTheBasicPlane() {
        IntStream.rangeClosed(0, 0xFFFF).forEach(c -> {
            String text = "a" + (char) c + "b";
            assertThat(SecurityAutoConfiguration.assignedAndNotControl(text))
                    .as("U+%04X", c)
                    .isEqualTo(SPRING_RULE.matcher(text).matches());
        });
    }

    @Test
    void agreesOnTypicalHeadersAndOnCharsBeyondTheBasicPlane() {
        for (String text : new String[] {
            "",
            "application/json",
            "Bearer eyJhbGciOiJSUzI1NiJ9.e30.sig",
            "Grüße",
            "tab\there",
            "line\nbreak",
            "\u0085",
            "\u00a0",
            "😀",
            "\uD83D",
            "\uD83D\uDE00x",
            new String(Character.toChars(0x10FFFF)),
            new String(Character.toChars(0xE0001))
        }) {
            assertThat(SecurityAutoConfiguration.assignedAndNotControl(text))
                    .as(text)
                    .isEqualTo(SPRING_RULE.matcher(text).matches());
        }
        assertThat(SecurityAutoConfiguration.assignedAndNotControl("tab\there")).isFalse();
        assertThat(SecurityAutoConfiguration.assignedAndNotControl("application/json"))
                .isTrue();
    }
}
