package kstack.exec;

/**
 * A direct call written in a routine ({@code call}, {@code callInto}, {@code tailCall}): the callee's
 * name and how many arguments the step passes, as the builder saw them, and the callee's address
 * once the image linker has resolved it ({@link #resolve}). The step jumps to that address; nothing
 * is looked up by name when it runs.
 */
public final class CallSite {
  private final String caller;
  private final String target;
  private final int argCount;
  private long address;
  private boolean resolved;
  /** How many leading arguments go in registers, found at the first call (-1 until then). */
  private int registerArgs = -1;

  CallSite(String caller, String target, int argCount) {
    this.caller = caller;
    this.target = target;
    this.argCount = argCount;
  }

  /** The routine that makes the call. */
  public String caller() {
    return caller;
  }

  /** The symbol called. */
  public String target() {
    return target;
  }

  /** The number of arguments the call passes, or -1 when only the running step knows it. */
  public int argCount() {
    return argCount;
  }

  /** Fixes the callee's address: done once, by the image linker. */
  public void resolve(long addr) {
    address = addr;
    resolved = true;
  }

  public boolean resolved() {
    return resolved;
  }

  /**
   * How many leading arguments the call passes in registers: asked of the callee once, the
   * first time the step runs (the callee at a resolved address never changes).
   */
  int registerArgs(Exec x) {
    if (registerArgs < 0) {
      registerArgs = registerArgs(x, address());
    }
    return registerArgs;
  }

  /** The callee's address; a call in an image that was never linked is a bug of the simulator. */
  long address() {
    if (!resolved) {
      throw new IllegalStateException(caller + ": call to " + target + " before the image was linked");
    }
    return address;
  }

  /** How many leading arguments a call to target passes in registers. */
  static int registerArgs(Exec x, long target) {
    if (!x.host().abi().callerPopsArgs()) {
      return x.cpu().registers().argCount(); // no function of this ABI takes stack parameters
    }
    Routine callee = x.host().routineAt(target);
    return callee != null && callee.paramsOnStack() ? 0 : x.cpu().registers().argCount();
  }
}
