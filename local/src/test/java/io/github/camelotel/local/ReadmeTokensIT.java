package io.github.camelotel.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * README's "Who may call what" block, run as written by bash against a {@code ./run-local}: each call prints the
 * status its comment says (401 without a token, 201 with the operator's, 403 for a write only app1 and app2 may make,
 * 200 for the reads). Only the stack's place differs from a user's: its ports (an offset) and its home folder.
 */
class ReadmeTokensIT {

    static final Pattern BLOCK =
            Pattern.compile("<!-- tokens:begin -->\\s*```bash\\n(.*?)```\\s*<!-- tokens:end -->", Pattern.DOTALL);
    static final Pattern EXPECTED_STATUS = Pattern.compile("#\\s*(\\d{3})\\b");

    final RunLocal.Place place = RunLocal.Place.of("readme-tokens-it");

    @Test
    void theReadmeTokenCommandsAnswerAsTheirCommentsSay() throws Exception {
        String readme = Files.readString(RunLocal.ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        Matcher block = BLOCK.matcher(readme);
        assertThat(block.find()).as("README's tokens block").isTrue();
        String commands = block.group(1);
        List<String> expected = new ArrayList<>();
        for (String line : commands.split("\n")) {
            Matcher status = EXPECTED_STATUS.matcher(line);
            if (status.find()) {
                expected.add(status.group(1));
            }
        }
        assertThat(expected).as("statuses the block's comments announce").isNotEmpty();

        Folders.deleteRecursively(place.home());
        try (RunLocal stack = RunLocal.start(place, Map.of())) {
            stack.awaitPurchase();
            String script = here(commands);
            Process bash = new ProcessBuilder("bash", "-c", script)
                    .directory(RunLocal.ROOT.toFile())
                    .redirectErrorStream(true)
                    .start();
            assertThat(bash.waitFor(2, TimeUnit.MINUTES)).as("the block ends").isTrue();
            List<String> statuses = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .toList();
            assertThat(statuses)
                    .as("what the block printed, run as:%n%s", script)
                    .isEqualTo(expected);
        }
    }

    /** The block with a user's ports and home replaced by this stack's. */
    String here(String commands) {
        Ports defaults = Ports.defaults();
        String script = commands.replace("target/local-stack", place.home().toString());
        for (App app : App.values()) {
            script = script.replace(
                    "localhost:" + defaults.of(app) + "/",
                    "localhost:" + place.ports().of(app) + "/");
        }
        return script.replace(
                "localhost:" + defaults.auth() + "/",
                "localhost:" + place.ports().auth() + "/");
    }
}
