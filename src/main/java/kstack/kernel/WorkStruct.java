package kstack.kernel;

/**
 * The members of 2.6.11's work_struct the helper workqueue reads and writes
 * (include/linux/workqueue.h@2.6.11:14-21); only 2.6.11 has the struct in this model.
 */
public enum WorkStruct implements StructMember {
  pending, entry, func, data, wq_data;

  @Override
  public String struct() {
    return "work_struct";
  }
}
