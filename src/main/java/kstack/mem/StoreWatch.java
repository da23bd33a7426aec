package kstack.mem;

/**
 * A debugger's watchpoints as a store sees them: told, before it applies, of each store into the
 * watched range that changes a byte ({@link Memory#setStoreWatch}), so the debugger can keep the
 * bytes as they were and compare after the step, instead of evaluating anything per step.
 */
public interface StoreWatch {
  void beforeStore(Memory space, long addr, int size);
}
