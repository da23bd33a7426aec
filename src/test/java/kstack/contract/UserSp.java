package kstack.contract;

import static org.assertj.core.api.Assertions.assertThat;

import kstack.machine.Machine;

/** Where a task in a system call keeps its user stack pointer. */
enum UserSp {
  /** pt_regs->sp. */
  PT_REGS_SP("sp"),
  /** pt_regs->esp: 2.4's and 2.6.11's name for the member. */
  PT_REGS_ESP("esp"),
  /** x86_64 2.6.32: SYSCALL's fast path leaves pt_regs->sp unwritten; per-CPU old_rsp has it. */
  PERCPU_OLD_RSP(null);

  private final String member;

  UserSp(String member) {
    this.member = member;
  }

  void check(Machine m, long ptRegs, long userSp) {
    long where = member == null ? m.inspector().perCpuAddress("old_rsp", 0)
        : ptRegs + m.struct("pt_regs").offset(member);
    assertThat(m.kernel().readPtr(where)).as(name()).isEqualTo(userSp);
  }
}
