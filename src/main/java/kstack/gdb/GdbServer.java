package kstack.gdb;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import kstack.lang.Session;

/**
 * The listening side of {@code kstack gdbserver}: a TCP port on 127.0.0.1 (0: one the system picks),
 * one gdb at a time. When a client detaches or goes away (also in the middle of a packet) the
 * machine stays as it is and the next {@code target remote} finds it there; {@code kill} ends the
 * server. Nothing a client sends ends it otherwise.
 */
public final class GdbServer implements AutoCloseable {
  private final ServerSocket socket;

  private GdbServer(ServerSocket socket) {
    this.socket = socket;
  }

  /** Listens on 127.0.0.1:port; an IOException says why not (the port is taken, ...). */
  public static GdbServer listen(int port) throws IOException {
    return new GdbServer(new ServerSocket(port, 1, InetAddress.getLoopbackAddress()));
  }

  public int port() {
    return socket.getLocalPort();
  }

  /** Serves clients one after the other until one sends {@code kill}; log gets one line each. */
  public void serve(Session session, PrintWriter log) throws IOException {
    while (true) {
      try (Socket client = socket.accept()) {
        client.setTcpNoDelay(true);
        Packets io = new Packets(new BufferedInputStream(client.getInputStream()),
            new BufferedOutputStream(client.getOutputStream()), GdbStub.PACKET_SIZE);
        GdbStub.End end;
        try {
          end = new GdbStub(session, io).serve();
        } catch (IOException e) {
          log.println("kstack gdbserver: the client went away (" + e.getMessage() + ")");
          continue;
        }
        log.println("kstack gdbserver: the client " + switch (end) {
          case KILLED -> "killed the session: exiting";
          case DETACHED -> "detached: waiting for the next one";
          case LEFT -> "closed the connection: waiting for the next one";
        });
        if (end == GdbStub.End.KILLED) {
          return;
        }
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
