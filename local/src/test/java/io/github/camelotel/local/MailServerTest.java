package io.github.camelotel.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.stream.Stream;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
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
            Properties settings = new Properties();
            settings.put("mail.smtp.host", "localhost");
            settings.put("mail.smtp.port", String.valueOf(port));
            MimeMessage mail = new MimeMessage(Session.getInstance(settings));
            mail.setFrom(new InternetAddress("invoices@example.com"));
            mail.setRecipient(Message.RecipientType.TO, new InternetAddress("ada@example.com"));
            mail.setSubject("Your invoice for order o-1");
            mail.setText("hello");
            Transport.send(mail);

            assertThat(server.received()).singleElement()
                    .satisfies(received -> assertThat(received.getSubject()).isEqualTo("Your invoice for order o-1"));
            try (Stream<Path> saved = Files.list(server.mailDir())) {
                assertThat(saved.map(path -> path.getFileName().toString()))
                        .singleElement(InstanceOfAssertFactories.STRING)
                        .contains("ada@example.com", "Your_invoice_for_order_o-1").endsWith(".eml");
            }

            server.forgetReceived();
            assertThat(server.received()).as("mails held in memory after forgetting them").isEmpty();
            try (Stream<Path> saved = Files.list(server.mailDir())) {
                assertThat(saved).as("saved mails").hasSize(1);
            }
        }
    }
}
