package kstack.lang.expr;

import kstack.machine.Machine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** Expression tests over one booted machine per class (x86_64 4.16 unless boot() says other). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BootedTest {
  Machine m;

  @BeforeAll
  void machine() {
    m = boot();
  }

  Machine boot() {
    return Booted.x86_416();
  }

  long eval(String text) {
    return Booted.eval(m, text);
  }

  /** The error an expression raises; fails the test if it raises none. */
  ExprError error(String text) {
    try {
      Expressions.eval(text, m);
    } catch (ExprError e) {
      return e;
    }
    throw new AssertionError("no error for " + text);
  }
}
