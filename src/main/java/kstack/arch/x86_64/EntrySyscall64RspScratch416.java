package kstack.arch.x86_64;

import java.util.Set;
import kstack.profile.Feature;

/**
 * 4.16's entry_SYSCALL_64 (entry_64.S@4.16.13:206-237): the user rsp parked in the per-CPU
 * rsp_scratch, the stack top read from cpu_tss_rw.x86_tss.sp1, do_syscall_64(regs) in
 * arch/x86/entry/common.c calling sys_call_table[nr] with the C arguments.
 */
public final class EntrySyscall64RspScratch416 extends EntrySyscall64 {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.SYSCALL_SCRATCH_RSP_SCRATCH);
  }

  @Override
  boolean ptregsWrappers() {
    return false;
  }
}
