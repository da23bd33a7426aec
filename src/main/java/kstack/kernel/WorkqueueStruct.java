package kstack.kernel;

/**
 * The members of 2.6.11's workqueue_struct (kernel/workqueue.c@2.6.11:59-63); only 2.6.11 has
 * the struct in this model.
 */
public enum WorkqueueStruct implements StructMember {
  cpu_wq, name, list;

  @Override
  public String struct() {
    return "workqueue_struct";
  }
}
