package kstack.kernel;

/**
 * An address a step names (a symbol, a per-CPU variable's link address), fixed once the image is
 * linked: the step captures this when it is built and reads one field when it runs, where
 * {@code k.image.symbol("name")} looked the name up on every step. Every one the image hands out
 * is resolved right after the link ({@link ImageBuilder#runDeferred}), so a name the image does
 * not define fails the kernel's build, not the first step that reads it.
 */
public final class LinkedAddress {
  private final String name;
  private final java.util.function.ToLongFunction<String> resolve;
  private final boolean optional;
  private long address;
  private boolean linked;
  /** Why an optional name did not resolve (the image lacks it), or null. */
  private RuntimeException missing;

  LinkedAddress(String name, java.util.function.ToLongFunction<String> resolve, boolean optional) {
    this.name = name;
    this.resolve = resolve;
    this.optional = optional;
  }

  /** The address; asking before the link is a bug of the simulator. */
  public long get() {
    if (!linked) {
      if (missing != null) {
        throw missing;
      }
      throw new IllegalStateException(name + " read before the image was linked");
    }
    return address;
  }

  void link() {
    try {
      address = resolve.applyAsLong(name);
      linked = true;
    } catch (IllegalStateException e) {
      if (!optional) {
        throw e;
      }
      missing = e; // a branch to code the model leaves out fails only if it is taken
    }
  }
}
