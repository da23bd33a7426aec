package kstack.kernel;

/**
 * The members of struct completion the kernel's completions read and write
 * (include/linux/completion.h): the count, and the head of its wait queue's list.
 */
public enum CompletionMember implements StructMember {
  done("done"), wait_head("wait.head");

  private final String path;

  CompletionMember(String path) {
    this.path = path;
  }

  @Override
  public String struct() {
    return "completion";
  }

  @Override
  public String[] paths() {
    return new String[] {path};
  }
}
