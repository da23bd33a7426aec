package kstack.exec;

/** The effect of one simulated instruction or C-level step on the machine. */
@FunctionalInterface
public interface Op {
  void exec(Exec x);
}
