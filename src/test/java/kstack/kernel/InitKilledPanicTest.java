package kstack.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The panic text each generation's kernel/exit.c prints when init dies of a signal (SIGSEGV, 11). */
class InitKilledPanicTest {
  private static final long SIGSEGV = 11;

  @Test
  void generationsBefore416PanicWithoutTheExitCode() {
    assertEquals("Attempted to kill init!", new Exit24().initKilledPanic(SIGSEGV));
    assertEquals("Attempted to kill init!", new Exit2611().initKilledPanic(SIGSEGV));
    assertEquals("Attempted to kill init!", new Exit2632().initKilledPanic(SIGSEGV));
  }

  @Test
  void generations416AndLaterPrintTheExitCodeAsEightHexDigits() {
    assertEquals("Attempted to kill init! exitcode=0x0000000b", new Exit416().initKilledPanic(SIGSEGV));
    assertEquals("Attempted to kill init! exitcode=0x0000000b", new Exit619().initKilledPanic(SIGSEGV));
  }
}
