package kstack.lang.expr;

import kstack.machine.Machine;
import kstack.catalog.Profiles;

/** Machines for the expression tests: a 4.16 machine after boot (pid 1 and 2 exist). */
final class Booted {
  private Booted() {}

  static Machine x86_416() {
    Machine m = Machine.create(Profiles.x86_64_4_16(), 1);
    m.boot();
    return m;
  }

  static Machine x86_619() {
    Machine m = Machine.create(Profiles.x86_64_6_19(), 1);
    m.boot();
    return m;
  }

  static long eval(Machine m, String text) {
    return Expressions.eval(text, m).asLong();
  }

  static String print(Machine m, String text) {
    return Expressions.format(Expressions.eval(text, m), '\0', m);
  }

  static String print(Machine m, char fmt, String text) {
    return Expressions.format(Expressions.eval(text, m), fmt, m);
  }
}
