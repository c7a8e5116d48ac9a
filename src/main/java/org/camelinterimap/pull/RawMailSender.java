package org.camelinterimap.pull;

import java.util.Properties;

import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.apache.camel.component.mail.JavaMailSender;
import org.apache.camel.component.mail.MailAuthenticator;

/**
 * The {@code javaMailSender} of camel-mail's {@code smtp:} endpoint in the pullimap route: sends
 * each {@link RawMail} byte for byte to its envelope recipients through the section's
 * {@link DeliverySession} (pipelined, one session per batch), instead of camel-mail's default
 * sender, which rewrites headers ({@code saveChanges}) and takes recipients from them.
 * The server comes from the session; the endpoint's host and port only name it in the route.
 */
public final class RawMailSender implements JavaMailSender {
    private final DeliverySession session;
    private Properties properties = new Properties();
    private String host;
    private int port;
    private String username;
    private String password;
    private String protocol = "smtp";
    private Session mailSession;
    private MailAuthenticator authenticator;

    public RawMailSender(DeliverySession session) {
        this.session = session;
        this.host = session.method().host();
        this.port = session.method().port();
    }

    @Override
    public void send(MimeMessage message) throws MessagingException {
        if (!(message instanceof RawMail mail)) {
            throw new MessagingException("pullimap's smtp sender only sends the messages of a pullimap: consumer");
        }
        try {
            session.deliver(mail);
        } catch (MailTransferClient.DeliveryException e) {
            throw new SendFailedException(e.getMessage(), e);
        }
    }

    @Override
    public Properties getJavaMailProperties() {
        return properties;
    }

    @Override
    public void setJavaMailProperties(Properties javaMailProperties) {
        this.properties = javaMailProperties;
    }

    @Override
    public void addAdditionalJavaMailProperty(String key, String value) {
        properties.setProperty(key, value);
    }

    @Override
    public void setHost(String host) {
        this.host = host;
    }

    @Override
    public String getHost() {
        return host;
    }

    @Override
    public void setPort(int port) {
        this.port = port;
    }

    @Override
    public int getPort() {
        return port;
    }

    @Override
    public void setUsername(String username) {
        this.username = username;
    }

    @Override
    public String getUsername() {
        return username;
    }

    @Override
    public void setPassword(String password) {
        this.password = password;
    }

    @Override
    public String getPassword() {
        return password;
    }

    @Override
    public void setProtocol(String protocol) {
        this.protocol = protocol;
    }

    @Override
    public String getProtocol() {
        return protocol;
    }

    @Override
    public void setSession(Session session) {
        this.mailSession = session;
    }

    @Override
    public Session getSession() {
        if (mailSession == null) {
            mailSession = Session.getInstance(properties);
        }
        return mailSession;
    }

    @Override
    public void setAuthenticator(MailAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public MailAuthenticator getAuthenticator() {
        return authenticator;
    }
}
