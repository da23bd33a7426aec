package kstack.trace;

/**
 * What happened, in the words of the mechanism: the story the CLI prints and a UI would draw. Events
 * are derived facts; the state itself is memory and registers.
 */
public sealed interface Event {
  /** One line for the story output. */
  String describe();

  /** A kernel routine announces what it did, e.g. "startup_64: rsp = initial stack". */
  record Note(int cpu, String routine, String text) implements Event {
    public String describe() {
      return "[cpu" + cpu + "] " + routine + ": " + text;
    }
  }

  /** A task came into existence with its stack. */
  record TaskCreated(int cpu, int pid, String comm, int ppid, long task, long stack)
      implements Event {
    public String describe() {
      return String.format("[cpu%d] task created: pid %d (%s), parent %d, task_struct 0x%x, stack 0x%x",
          cpu, pid, comm, ppid, task, stack);
    }
  }

  /** The CPU moved from one task's stack to another's. */
  record ContextSwitch(int cpu, int fromPid, String from, int toPid, String to) implements Event {
    public String describe() {
      return String.format("[cpu%d] context switch: %s (%d) -> %s (%d)", cpu, from, fromPid, to, toPid);
    }
  }

  /** Entry into the kernel through the system-call instruction. */
  record SyscallEntry(int cpu, int pid, String name, long nr, long userSp, long ptRegs)
      implements Event {
    public String describe() {
      return String.format("[cpu%d] pid %d enters %s (nr %d): user sp 0x%x, pt_regs at 0x%x",
          cpu, pid, name, nr, userSp, ptRegs);
    }
  }

  /** Return to user mode with the syscall's result. */
  record SyscallExit(int cpu, int pid, String name, long result) implements Event {
    public String describe() {
      return String.format("[cpu%d] pid %d returns to user from %s = %d", cpu, pid, name, result);
    }
  }

  /** A task stopped running until something wakes it. */
  record Blocked(int cpu, int pid, String why) implements Event {
    public String describe() {
      return String.format("[cpu%d] pid %d blocks: %s", cpu, pid, why);
    }
  }

  /** A task was made runnable. */
  record Woken(int cpu, int pid, String by) implements Event {
    public String describe() {
      return String.format("[cpu%d] pid %d woken by %s", cpu, pid, by);
    }
  }

  /** A task exited; its stack was released. */
  record TaskExited(int cpu, int pid, long code) implements Event {
    public String describe() {
      return String.format("[cpu%d] pid %d exits with code %d", cpu, pid, code);
    }
  }
}
