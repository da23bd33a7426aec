package kstack.layout;

/**
 * The annotations pahole (dwarves, {@code class__fprintf}) writes between and after a struct's
 * members, worded as pahole words them so its readers recognise them: a hole alignment leaves, a
 * cacheline boundary a member starts after, the size line. Shared by every layout kstack prints in
 * pahole's style, whether the layout comes from the model or from a kernel's BTF.
 */
public final class PaholeMarks {
  /**
   * L1_CACHE_BYTES: 64 on x86 (CONFIG_X86_L1_CACHE_SHIFT=6 for the generic and modern CPUs,
   * arch/x86/Kconfig.cpu) and on arm64 (L1_CACHE_SHIFT 6, arch/arm64/include/asm/cache.h).
   */
  public static final int CACHELINE = 64;

  private PaholeMarks() {}

  /** pahole's note on n bytes that alignment leaves unused before a member. */
  public static String hole(long n) {
    return "/* XXX " + n + " byte" + (n == 1 ? "" : "s") + " hole, try to pack */";
  }

  /** pahole's mark before the first member that starts in cacheline line, ago bytes into it. */
  public static String cacheline(long line, long ago) {
    return "/* --- cacheline " + line + " boundary (" + line * CACHELINE + " bytes)"
        + (ago > 0 ? " was " + ago + " bytes ago" : "") + " --- */";
  }

  /** pahole's first summary line. */
  public static String size(long size, int members) {
    return "/* size: " + size + ", cachelines: " + (size + CACHELINE - 1) / CACHELINE
        + ", members: " + members + " */";
  }
}
