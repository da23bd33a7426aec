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
  private long address;
  private boolean linked;

  LinkedAddress(String name, java.util.function.ToLongFunction<String> resolve) {
    this.name = name;
    this.resolve = resolve;
  }

  /** The address; asking before the link is a bug of the simulator. */
  public long get() {
    if (!linked) {
      throw new IllegalStateException(name + " read before the image was linked");
    }
    return address;
  }

  void link() {
    address = resolve.applyAsLong(name);
    linked = true;
  }
}
