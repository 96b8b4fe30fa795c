package io.github.camelotel.local;

import com.icegreen.greenmail.Managers;
import com.icegreen.greenmail.server.AbstractServer;
import com.icegreen.greenmail.server.ProtocolHandler;
import com.icegreen.greenmail.smtp.SmtpServer;
import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.user.MessageDeliveryHandler;
import com.icegreen.greenmail.user.UserManager;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Flags;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real SMTP server (GreenMail) in this JVM that accepts mail for any address and keeps it: as one {@code .eml}
 * file per recipient in {@link #mailDir()}, a new folder per run, which any mail client opens (a file's name starts
 * with the time and recipient and carries the subject), and in memory for the tests ({@link #received()}), the
 * newest {@value #HELD_PER_RECIPIENT} per recipient until {@link #forgetReceived()}. The bound keeps a long
 * {@code ./run-local} up: its executor mails the same four customers, and every mail held would stay in the heap
 * it shares with the Kafka broker.
 */
public final class MailServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MailServer.class);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");
    /** Mails held in memory per recipient; the oldest tenth goes when a new one would pass it. */
    static final int HELD_PER_RECIPIENT = 1000;

    private final GreenMail greenMail;
    private final Path mailDir;
    private final int heldPerRecipient;
    private final AtomicInteger arrived = new AtomicInteger();

    private MailServer(GreenMail greenMail, Path mailDir, int heldPerRecipient) {
        this.greenMail = greenMail;
        this.mailDir = mailDir;
        this.heldPerRecipient = heldPerRecipient;
    }

    /** Starts SMTP on localhost:{@code port}; this run's mails go to a new folder {@code <mailRoot>/<start time>}. */
    public static MailServer start(int port, Path mailRoot) throws IOException {
        return start(port, mailRoot, HELD_PER_RECIPIENT);
    }

    static MailServer start(int port, Path mailRoot, int heldPerRecipient) throws IOException {
        Path mailDir = mailRoot.resolve(TIME.format(LocalDateTime.now()));
        Files.createDirectories(mailDir);
        GreenMail greenMail = new NoDelayGreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        MailServer server = new MailServer(greenMail, mailDir, heldPerRecipient);
        UserManager users = greenMail.getUserManager();
        MessageDeliveryHandler deliver = users.getMessageDeliveryHandler();
        users.setMessageDeliveryHandler((message, recipient) -> {
            server.save(message.getMessage(), recipient.getEmail());
            GreenMailUser user = deliver.handle(message, recipient);
            server.makeRoomFor(user); // GreenMail stores the mail in the user's inbox after this handler
            return user;
        });
        greenMail.start();
        return server;
    }

    /** Drops the user's oldest held mails once the inbox is full: a tenth of them, so this runs once in many mails. */
    private void makeRoomFor(GreenMailUser user) {
        try {
            MailFolder inbox = greenMail.getManagers().getImapHostManager().getInbox(user);
            if (inbox.getMessageCount() < heldPerRecipient) {
                return;
            }
            long[] uids = inbox.getMessageUids(); // a copy, oldest first: the folder's own list changes meanwhile
            for (int i = 0; i < uids.length - heldPerRecipient * 9 / 10; i++) {
                inbox.getMessage(uids[i]).setFlag(Flags.Flag.DELETED, true);
            }
            inbox.expunge();
        } catch (FolderException e) {
            LOG.warn("could not drop old mails of {} from memory: {}", user.getEmail(), e.toString());
        }
    }

    private void save(MimeMessage message, String recipient) {
        try {
            String subject = message.getSubject() == null ? "" : message.getSubject();
            String name = TIME.format(LocalDateTime.now()) + "-" + arrived.incrementAndGet() + "-" + safe(recipient)
                    + "-" + safe(subject) + ".eml";
            try (OutputStream out = Files.newOutputStream(mailDir.resolve(name))) {
                message.writeTo(out);
            }
        } catch (IOException | MessagingException e) {
            LOG.warn("could not save a mail to {}: {}", recipient, e.toString());
        }
    }

    /** A file-name part: letters, digits and {@code @._-}, everything else as {@code _}, at most 100 characters. */
    static String safe(String text) {
        String safe = text.replaceAll("[^A-Za-z0-9@._-]", "_");
        return safe.length() > 100 ? safe.substring(0, 100) : safe;
    }

    /** The mails received since the start (at most the newest {@value #HELD_PER_RECIPIENT} per recipient). */
    public List<MimeMessage> received() {
        return List.of(greenMail.getReceivedMessages());
    }

    /** How many mails arrived since the start, once per recipient, also those no longer held in memory. */
    public int receivedCount() {
        return arrived.get();
    }

    /** Forgets the mails held in memory (the saved files stay), for a long run that does not read them back. */
    public void forgetReceived() {
        try {
            greenMail.purgeEmailFromAllMailboxes();
        } catch (FolderException e) {
            throw new IllegalStateException("could not purge the SMTP server's mailboxes", e);
        }
    }

    public Path mailDir() {
        return mailDir;
    }

    @Override
    public void close() {
        greenMail.stop();
    }

    /**
     * GreenMail whose connections send each reply line at once (TCP_NODELAY). GreenMail writes a multi-line reply,
     * such as the one to EHLO, line by line; with Nagle's algorithm a line then waits for the ACK of the one before,
     * which the client delays by 40 ms: measured, an EHLO took 42 ms on localhost, with this 0.5 ms.
     */
    private static final class NoDelayGreenMail extends GreenMail {

        NoDelayGreenMail(ServerSetup setup) {
            super(setup);
        }

        @Override
        protected Map<String, AbstractServer> createServices(ServerSetup[] setups, Managers managers) {
            return Map.of(ServerSetup.PROTOCOL_SMTP, new SmtpServer(setups[0], managers) {
                @Override
                protected ProtocolHandler createProtocolHandler(Socket client) {
                    try {
                        client.setTcpNoDelay(true);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    return super.createProtocolHandler(client);
                }
            });
        }
    }
}
