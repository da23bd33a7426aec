package kstack.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import kstack.gdb.GdbServer;
import kstack.lang.ScriptError;
import kstack.lang.Session;
import kstack.lang.Source;
import kstack.machine.CpuLimits;
import kstack.machine.Machine;
import kstack.profile.Profile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kstack gdbserver}: runs a scenario, then serves the machine to gdb's {@code target remote}
 * on 127.0.0.1 until a client kills it. The first lines on stdout say where to connect.
 */
@Command(name = "gdbserver", mixinStandardHelpOptions = true,
    description = "Run a scenario, then let gdb attach: 'target remote 127.0.0.1:PORT'.")
final class GdbServerCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--port", defaultValue = "1234",
      description = "TCP port on 127.0.0.1 (0: a free one; default 1234)")
  int port;

  @picocli.CommandLine.Mixin
  ProfileOptions machine;

  @Parameters(arity = "0..1", paramLabel = "SCENARIO",
      description = "built-in scenario name or a file, run before gdb attaches (default: boot)")
  String scenario = "boot";

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Profile p;
    List<Source.Line> lines;
    try {
      p = machine.profile();
      CpuLimits.check(p, machine.cpus);
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("--port takes 0 to 65535, not " + port);
      }
      lines = Scenarios.load(scenario, p).lines();
    } catch (IllegalArgumentException e) {
      err.println("kstack: gdbserver: " + ScriptError.oneLine(e.getMessage()));
      return 2;
    } catch (ScriptError e) {
      err.println(e.located());
      return 1;
    }
    Session session = new Session(Machine.create(p, machine.cpus));
    for (Source.Line line : lines) {
      try {
        session.execute(line);
      } catch (ScriptError e) {
        err.println(e.located());
        return 1;
      }
    }
    return serve(session, p, out, err);
  }

  private int serve(Session session, Profile p, PrintWriter out, PrintWriter err) {
    try (GdbServer server = GdbServer.listen(port)) {
      out.println("kstack gdbserver: " + p.label() + ", " + machine.cpus + " CPU"
          + (machine.cpus > 1 ? "s" : "")
          + ", listening on 127.0.0.1:" + server.port());
      out.println("(gdb) target remote 127.0.0.1:" + server.port());
      out.flush();
      server.serve(session, out);
      return 0;
    } catch (IOException e) {
      err.println("kstack: gdbserver: cannot serve on 127.0.0.1:" + port + ": "
          + ScriptError.oneLine(String.valueOf(e.getMessage())));
      return 1;
    }
  }
}
