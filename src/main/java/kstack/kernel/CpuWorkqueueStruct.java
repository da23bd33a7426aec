package kstack.kernel;

/**
 * The members of 2.6.11's cpu_workqueue_struct the helper workqueue reads and writes
 * (kernel/workqueue.c@2.6.11:38-51); only 2.6.11 has the struct in this model.
 */
public enum CpuWorkqueueStruct implements StructMember {
  insert_sequence, worklist, more_work, wq, thread;

  @Override
  public String struct() {
    return "cpu_workqueue_struct";
  }
}
