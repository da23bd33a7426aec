package kstack.arch.x86_64;

import kstack.kernel.StructMember;

/**
 * The members of x86_64's tss_struct the entry, switch and boot code write: the hardware TSS's
 * ring stacks, the interrupt stack table and the I/O bitmap base (struct x86_hw_tss,
 * arch/x86/include/asm/processor.h@2.6.32.67:263-278, @4.16.13:310-336, @6.19:300-325).
 */
public enum Tss implements StructMember {
  sp0("x86_tss.sp0"), sp1("x86_tss.sp1"), sp2("x86_tss.sp2"), ist("x86_tss.ist"),
  io_bitmap_base("x86_tss.io_bitmap_base");

  private final String path;

  Tss(String path) {
    this.path = path;
  }

  @Override
  public String struct() {
    return "tss_struct";
  }

  @Override
  public String[] paths() {
    return new String[] {path};
  }
}
