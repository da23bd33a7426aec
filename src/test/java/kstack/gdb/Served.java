package kstack.gdb;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import kstack.lang.Session;
import kstack.lang.Source;
import kstack.machine.Machine;
import kstack.profile.Profile;

/** A machine served to gdb from a thread of the test's JVM: the test can read the machine after. */
final class Served implements AutoCloseable {
  final Session session;
  final GdbServer server;
  private final Thread thread;
  /** The server's one line per client (not asserted here: GdbServerCommandTest reads it). */
  private final StringWriter log = new StringWriter();

  private Served(Session session) throws IOException {
    this.session = session;
    this.server = GdbServer.listen(0);
    this.thread = new Thread(() -> {
      try {
        server.serve(session, new PrintWriter(log, true));
      } catch (IOException closed) {
        // the test closed the server
      }
    }, "gdbserver-test");
    thread.setDaemon(true);
    thread.start();
  }

  /** A machine of profile p with cpus CPUs after the given kstack commands, served on a free port. */
  static Served after(Profile p, int cpus, String... commands) throws IOException {
    Session s = new Session(Machine.create(p, cpus));
    for (int i = 0; i < commands.length; i++) {
      s.execute(Source.commandLine(i + 1, commands[i]));
    }
    return new Served(s);
  }

  Machine machine() {
    return session.machine();
  }

  int port() {
    return server.port();
  }

  @Override
  public void close() throws Exception {
    server.close();
    thread.join(10_000);
  }
}
