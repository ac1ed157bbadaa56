package dev.throughline.app.capture;

import dev.throughline.protocol.Frame;
import dev.throughline.protocol.FrameWriter;
import dev.throughline.protocol.Handshake;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;

/** A test agent that speaks the protocol from Java. */
final class AgentClient implements AutoCloseable {
    final Socket socket;
    final OutputStream out;
    final FrameWriter frames;
    final int reply;

    AgentClient(Collector c, Handshake h) throws IOException {
        socket = new Socket("127.0.0.1", c.port());
        socket.setSoTimeout(10_000);
        out = new BufferedOutputStream(socket.getOutputStream());
        out.write(h.encode());
        out.flush();
        reply = socket.getInputStream().read();
        frames = new FrameWriter(out);
    }

    static Handshake python(Collector c, long pid, String name) {
        return new Handshake(c.token(), pid, 1, "python", name, "train.py --steps 3");
    }

    AgentClient send(Frame f) throws IOException {
        frames.write(f);
        return this;
    }

    int intern(String s) throws IOException {
        return frames.intern(s);
    }

    void bye() throws IOException {
        frames.bye();
        out.flush();
        socket.close();
    }

    /** -1 once the server has closed the connection. */
    int readAfterReply() throws IOException {
        return socket.getInputStream().read();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
