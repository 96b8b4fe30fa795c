package io.github.camelotel.local;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MailServerTest {

    @TempDir
    Path mailRoot;

    /** A real SMTP transaction (EHLO, MAIL, RCPT, DATA) through the server's own connection handling. */
    @Test
    void keepsEveryMailAndSavesItAsEml() throws Exception {
        int port = Ports.freePort();
        try (MailServer server = MailServer.start(port, mailRoot)) {
            send(port, "ada@example.com", "Your invoice for order o-1");

            assertThat(server.received())
                    .singleElement()
                    .satisfies(received -> assertThat(received.getSubject()).isEqualTo("Your invoice for order o-1"));
            try (Stream<Path> saved = Files.list(server.mailDir())) {
                assertThat(saved.map(path -> path.getFileName().toString()))
                        .singleElement(InstanceOfAssertFactories.STRING)
                        .contains("ada@example.com", "Your_invoice_for_order_o-1")
                        .endsWith(".eml");
            }

            server.forgetReceived();
            assertThat(server.received())
                    .as("mails held in memory after forgetting them")
                    .isEmpty();
            try (Stream<Path> saved = Files.list(server.mailDir())) {
                assertThat(saved).as("saved mails").hasSize(1);
            }
        }
    }

    /** A long ./run-local mails the same customers all day: memory holds only the newest mails of each, files all. */
    @Test
    void holdsOnlyTheNewestMailsOfEachRecipientInMemory() throws Exception {
        int port = Ports.freePort();
        try (MailServer server = MailServer.start(port, mailRoot, 10)) {
            for (int i = 1; i <= 12; i++) {
                send(port, "ada@example.com", "order a-" + i);
            }
            send(port, "grace@example.com", "order g-1");

            List<String> held = new ArrayList<>();
            for (MimeMessage mail : server.received()) {
                held.add(mail.getSubject());
            }
            assertThat(held)
                    .containsExactlyInAnyOrder(
                            "order a-3",
                            "order a-4",
                            "order a-5",
                            "order a-6",
                            "order a-7",
                            "order a-8",
                            "order a-9",
                            "order a-10",
                            "order a-11",
                            "order a-12",
                            "order g-1");
            assertThat(server.receivedCount())
                    .as("mails that arrived, held or not")
                    .isEqualTo(13);
            try (Stream<Path> saved = Files.list(server.mailDir())) {
                assertThat(saved).as("saved mails").hasSize(13);
            }
        }
    }

    private static void send(int port, String to, String subject) throws Exception {
        Properties settings = new Properties();
        settings.put("mail.smtp.host", "localhost");
        settings.put("mail.smtp.port", String.valueOf(port));
        MimeMessage mail = new MimeMessage(Session.getInstance(settings));
        mail.setFrom(new InternetAddress("invoices@example.com"));
        mail.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        mail.setSubject(subject);
        mail.setText("hello");
        Transport.send(mail);
    }
}
