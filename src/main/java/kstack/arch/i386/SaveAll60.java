package kstack.arch.i386;

import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;

/**
 * The 60-byte pt_regs frame of i386 before 2.6.20 (no xfs/xgs slots): SAVE_ALL and RESTORE_ALL as
 * 2.4.22's and 2.6.11's entry.S write them, shared by both generations' system_call, interrupt
 * stubs and exception entries (docs/research/i386-and-2.x.md §1.3, §2).
 */
final class SaveAll60 {
  private SaveAll60() {}

  /** SAVE_ALL's pushes after orig_eax, first to last (entry.S@2.4.22:87-100, @2.6.11:84-97). */
  static final String[] SAVE_ALL = {"es", "ds", "eax", "ebp", "edi", "esi", "edx", "ecx", "ebx"};

  /**
   * The SAVE_ALL of 2.4 and 2.6.11: the same nine pushes, then a data selector into ds and es:
   * 2.4's __KERNEL_DS, 2.6.11's __USER_DS (entry.S@2.6.11:84-97).
   */
  static RoutineBuilder saveAll(RoutineBuilder b, String selector, long ds) {
    for (String r : SAVE_ALL) {
      int ri = Regs.of(r);
      b.step((r.equals("es") ? "SAVE_ALL: cld; " : "") + "pushl %" + r, x -> x.push(x.reg(ri)));
    }
    return b.step("movl $(" + selector + "), %edx; movl %edx, %ds; movl %edx, %es", x -> {
      x.set(Regs.edx, ds);
      x.set(Regs.ds, ds);
      x.set(Regs.es, ds);
    });
  }

  /**
   * RESTORE_ALL of 2.4 and 2.6.11 (entry.S@2.4.22:102-118; @2.6.11:99-140): the seven general
   * registers, ds, es, orig_eax dropped, iret.
   */
  static RoutineBuilder restoreAll(Kernel k, RoutineBuilder b, String name) {
    return b.step(name + ": popl %ebx; popl %ecx; popl %edx; popl %esi; popl %edi; popl %ebp; "
            + "popl %eax", x -> {
              for (int r : Regs.RESTORE_ALL) {
                x.set(r, x.pop());
              }
            })
        .step("popl %ds; popl %es; addl $4, %esp (orig_eax)", x -> {
          x.set(Regs.ds, x.pop());
          x.set(Regs.es, x.pop());
          x.setSp(x.sp() + 4);
        })
        .step("iret", x -> I386Entry.iret(k, x));
  }
}
