package kstack.kernel;

/**
 * The members of kthread_create_info in every shape {@link KthreadCreateInfo} lays out
 * (kernel/kthread.c of the version): threadfn, data, result and done in each; 2.6.11's started
 * completion, the list of 2.6.32 on, and the full_name of 6.x and node of 3.x on only where
 * the shape has them.
 */
public enum KthreadCreateInfoMember implements StructMember {
  threadfn(true), data(true), result(true), done(true), started(false), list(false),
  full_name(false), node(false);

  private final boolean everyShape;

  KthreadCreateInfoMember(boolean everyShape) {
    this.everyShape = everyShape;
  }

  @Override
  public String struct() {
    return "kthread_create_info";
  }

  @Override
  public boolean required() {
    return everyShape;
  }
}
