package dev.throughline.samples.serving;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One keep-alive HTTP/1.1 connection, blocking, for one client thread: a request is a few bytes written
 * and a Content-Length body read, with no per-request objects beyond the strings. java.net.http.HttpClient
 * spent more CPU per request than the service itself on 2 cores, which made the client the bottleneck.
 */
final class HttpConnection implements AutoCloseable {
    /** Status and body of one answer. */
    record Response(int status, String body) {
    }

    private final String host;
    private final int port;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    HttpConnection(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /**
     * POSTs {@code body} to {@code path} with {@code X-Request-Id: requestId} (none when 0); reconnects once if the
     * kept-alive connection was closed.
     */
    Response post(String path, byte[] body, long requestId) throws IOException {
        try {
            return exchange(path, body, requestId);
        } catch (IOException e) {
            close();
            return exchange(path, body, requestId);
        }
    }

    private Response exchange(String path, byte[] body, long requestId) throws IOException {
        if (socket == null) {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 5_000);
            socket.setSoTimeout(60_000);
            in = new BufferedInputStream(socket.getInputStream(), 8192);
            out = socket.getOutputStream();
        }
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
                + "\r\nContent-Type: text/plain\r\nContent-Length: " + body.length
                + (requestId > 0 ? "\r\nX-Request-Id: " + requestId : "") + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[head.length + body.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(body, 0, request, head.length, body.length);
        out.write(request); // one write, one segment
        out.flush();
        String status = line();
        if (!status.startsWith("HTTP/1.1 ") || status.length() < 12) {
            throw new IOException("bad status line: " + status);
        }
        int code = Integer.parseInt(status.substring(9, 12));
        int length = -1;
        boolean closeAfter = false;
        for (String h = line(); !h.isEmpty(); h = line()) {
            int colon = h.indexOf(':');
            String name = colon < 0 ? h : h.substring(0, colon).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                length = Integer.parseInt(h.substring(colon + 1).trim());
            } else if (name.equalsIgnoreCase("Connection") && h.substring(colon + 1).trim().equalsIgnoreCase("close")) {
                closeAfter = true;
            }
        }
        if (length < 0) {
            throw new IOException("response without Content-Length");
        }
        byte[] content = in.readNBytes(length);
        if (content.length < length) {
            throw new IOException("connection closed in the body");
        }
        if (closeAfter) {
            close();
        }
        return new Response(code, new String(content, StandardCharsets.US_ASCII));
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder(64);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed");
            }
            if (b != '\r') {
                sb.append((char) b);
            }
        }
        return sb.toString();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        socket = null;
    }
}
