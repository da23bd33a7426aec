package kstack.kernel;

/**
 * A member of a struct that the arch or a mechanism reads and writes, named by a handle (an enum
 * constant) rather than a string, so a typo is a compile error. The kernel resolves every handle
 * of an enum to an offset and size once, when the profile's kernel is built
 * ({@link ImageBuilder#member(StructMember)}), and a step reads the member through the resolved
 * {@link kstack.layout.Member} with no name looked up. A member that older generations name
 * differently (i386 before 2.6.25: pt_regs' esp for sp, include/asm-i386/ptrace.h@2.6.11:26-44)
 * lists every name, current first; the profile's layout has exactly one of them.
 *
 * <p>Implemented by enums, whose {@code ordinal} and {@code getDeclaringClass} satisfy the two
 * methods below.
 */
public interface StructMember {
  /** The struct the member belongs to, as the layouts name it. */
  String struct();

  /**
   * Its dotted paths in the layout: the current name first, then the older generations'; by
   * default the handle's own name.
   */
  default String[] paths() {
    return new String[] {name()};
  }

  /**
   * Whether every layout of the struct has it; a member only some generations have (i386's fs,
   * pushed from 2.6.20) is resolved where present and refused, by name, where read elsewhere.
   */
  default boolean required() {
    return true;
  }

  String name();

  int ordinal();

  Class<?> getDeclaringClass();

  /** Its offset, resolved when the kernel was built. */
  default int off(Kernel k) {
    return k.image.member(this).offset();
  }

  /** The resolved member (offset and size). */
  default kstack.layout.Member in(Kernel k) {
    return k.image.member(this);
  }
}
