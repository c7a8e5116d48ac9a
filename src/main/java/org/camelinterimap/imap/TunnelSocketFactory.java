package org.camelinterimap.imap;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.List;

import javax.net.SocketFactory;

/**
 * {@code type=tunnel}: the "socket" is a child process speaking IMAP on its standard input and
 * output ({@code command}, run by {@code /bin/sh -c}), e.g. {@code doveadm exec imap}. Angus Mail
 * takes it through its {@code socketFactory} property.
 */
final class TunnelSocketFactory extends SocketFactory {
    private final String command;
    private final boolean nullStderr;
    private final MeteredStreams streams;

    TunnelSocketFactory(String command, boolean nullStderr, MeteredStreams streams) {
        this.command = command;
        this.nullStderr = nullStderr;
        this.streams = streams;
    }

    @Override
    public Socket createSocket() {
        return new ProcessSocket();
    }

    @Override
    public Socket createSocket(String host, int port) {
        return new ProcessSocket();
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
        return new ProcessSocket();
    }

    @Override
    public Socket createSocket(InetAddress host, int port) {
        return new ProcessSocket();
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) {
        return new ProcessSocket();
    }

    private final class ProcessSocket extends Socket {
        private Process process;

        @Override
        public void connect(SocketAddress endpoint, int timeout) throws IOException {
            ProcessBuilder pb = new ProcessBuilder(List.of("/bin/sh", "-c", command));
            pb.redirectError(nullStderr ? ProcessBuilder.Redirect.to(new File("/dev/null")) : ProcessBuilder.Redirect.INHERIT);
            process = pb.start();
            streams.watchdog().closeWith(this); // a pipe has no timeout: the watchdog ends the command instead
        }

        @Override
        public void connect(SocketAddress endpoint) throws IOException {
            connect(endpoint, 0);
        }

        @Override
        public boolean isConnected() {
            return process != null;
        }

        @Override
        public InputStream getInputStream() {
            return streams.input(process.getInputStream());
        }

        @Override
        public OutputStream getOutputStream() {
            return streams.output(process.getOutputStream());
        }

        @Override
        public void setSoTimeout(int timeout) {
            // a pipe has no read timeout
        }

        @Override
        public void setTcpNoDelay(boolean on) {
        }

        @Override
        public void setKeepAlive(boolean on) {
        }

        @Override
        public InetAddress getInetAddress() {
            return InetAddress.getLoopbackAddress();
        }

        @Override
        public synchronized void close() throws IOException {
            if (process != null) {
                process.getOutputStream().close();
                process.destroy();
            }
        }
    }
}
