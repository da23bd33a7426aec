package kstack.cli;

import java.io.PrintWriter;
import java.util.function.LongSupplier;

/**
 * The progress line of a command that runs longer than a second, for a person at a terminal: on
 * standard error, rewritten in place ({@code boot: 812345 steps}) and erased when the command ends,
 * so that what stays on the screen, and everything on standard output, is as without it. A
 * daemon thread writes it; the step count it reads from the running machine is a display only
 * (a count a little behind is harmless), and {@link #close} stops the thread before anything
 * else is printed.
 */
final class Progress implements AutoCloseable {
  /** How long a command runs before its progress line appears, and how often it is redrawn. */
  static final long DELAY_MS = 1000;
  static final long PERIOD_MS = 250;
  private static final Progress OFF = new Progress();

  private final Thread thread;
  private final PrintWriter err;
  private volatile boolean shown;

  private Progress() {
    this.thread = null;
    this.err = null;
  }

  private Progress(PrintWriter err, String command, LongSupplier steps, long delayMs) {
    this.err = err;
    long start = steps.getAsLong(); // here, before the command takes its first step
    this.thread = new Thread(() -> draw(command, steps, start, delayMs), "kstack-progress");
    thread.setDaemon(true);
    thread.start();
  }

  /** Starts the line for command (when on); close it when the command ends. */
  static Progress start(boolean on, PrintWriter err, String command, LongSupplier steps) {
    return start(on, err, command, steps, DELAY_MS);
  }

  static Progress start(boolean on, PrintWriter err, String command, LongSupplier steps,
      long delayMs) {
    return on ? new Progress(err, command, steps, delayMs) : OFF;
  }

  private void draw(String command, LongSupplier steps, long start, long delayMs) {
    try {
      Thread.sleep(delayMs);
      while (!Thread.currentThread().isInterrupted()) {
        synchronized (err) {
          err.print("\r\033[K" + command + ": " + (steps.getAsLong() - start) + " steps");
          err.flush();
        }
        shown = true;
        Thread.sleep(PERIOD_MS);
      }
    } catch (InterruptedException done) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (thread == null) {
      return;
    }
    thread.interrupt();
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (shown) {
      err.print("\r\033[K");
      err.flush();
    }
  }
}
