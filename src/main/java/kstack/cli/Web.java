package kstack.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import kstack.lang.ScriptError;
import kstack.machine.CpuLimits;
import kstack.profile.Profile;
import kstack.web.WebServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** kstack web: serves the page on 127.0.0.1 until interrupted (kstack.web.WebServer). */
@Command(name = "web", mixinStandardHelpOptions = true,
    description = "Serve the stacks, drawn, with a console and stepping, on 127.0.0.1 only.")
final class Web implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--port", defaultValue = "0", description = "TCP port (0: a free one)")
  int port;

  @picocli.CommandLine.Mixin
  ProfileOptions machine;

  @Parameters(arity = "0..1", paramLabel = "SCENARIO",
      description = "built-in scenario or file each tab's machine runs first (default: boot)")
  String scenario;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    if (port < 0 || port > 65535) {
      err.println("kstack: web: --port takes 0 to 65535, not " + port);
      return 2;
    }
    Profile p;
    String own = scenario == null ? "boot" : scenario;
    try {
      p = machine.profile();
      CpuLimits.check(p, machine.cpus);
      Scenarios.load(own, p);
    } catch (IllegalArgumentException e) {
      err.println("kstack: web: " + ScriptError.oneLine(e.getMessage()));
      return 2;
    } catch (ScriptError e) {
      err.println(e.located());
      return 1;
    }
    WebServer server;
    try {
      server = WebServer.start(p, machine.cpus, (name, prof) -> {
        if (name != null && !Scenarios.BUILTIN.containsKey(name)) {
          throw new IllegalArgumentException("no built-in scenario '" + name + "' (known: "
              + String.join(", ", Scenarios.BUILTIN.keySet()) + ")");
        }
        return Scenarios.load(name == null ? own : name, prof).lines();
      }, port);
    } catch (IOException e) {
      err.println("kstack: web: cannot listen on 127.0.0.1:" + port + ": "
          + ScriptError.oneLine(String.valueOf(e.getMessage())));
      return 1;
    }
    spec.commandLine().getOut().println("kstack web: " + p.label() + " at " + server.url()
        + " (Ctrl-C stops it)");
    new CountDownLatch(1).await();
    return 0;
  }
}
