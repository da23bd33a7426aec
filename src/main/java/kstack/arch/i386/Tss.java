package kstack.arch.i386;

import kstack.kernel.StructMember;

/**
 * The members of i386's tss_struct the entry, switch and boot code write, by their names in the
 * hardware TSS inside it (struct x86_hw_tss, arch/x86/include/asm/processor.h@2.6.32.67:229-257,
 * @4.16.13:276-308, @6.19:267-298) and in 2.4.22's flat tss_struct (include/asm-i386/processor.h@2.4.22:329-358:
 * esp0, ss0, ..., bitmap for the I/O bitmap base).
 */
public enum Tss implements StructMember {
  sp0("x86_tss.sp0", "esp0"), ss0("x86_tss.ss0", "ss0"), sp1("x86_tss.sp1", "esp1"),
  ss1("x86_tss.ss1", "ss1"), io_bitmap_base("x86_tss.io_bitmap_base", "bitmap");

  private final String path;
  private final String flat24;

  Tss(String path, String flat24) {
    this.path = path;
    this.flat24 = flat24;
  }

  @Override
  public String struct() {
    return "tss_struct";
  }

  @Override
  public String[] paths() {
    return new String[] {path, flat24};
  }
}
