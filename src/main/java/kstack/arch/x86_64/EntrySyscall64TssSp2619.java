package kstack.arch.x86_64;

import java.util.Map;
import java.util.Set;
import kstack.profile.Feature;

/**
 * 6.19's entry_SYSCALL_64 (entry_64.S@6.19:88-160): the user rsp parked in cpu_tss_rw's sp2,
 * do_syscall_64(regs, nr) in arch/x86/entry/syscall_64.c returning whether SYSRET may be used,
 * x64_sys_call dispatching to the __x64_sys_ pt_regs wrappers; clone3 in the table (5.3+).
 */
public final class EntrySyscall64TssSp2619 extends EntrySyscall64 {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.SYSCALL_SCRATCH_TSS_SP2, Feature.SYSCALL_NR_ARG_AND_BOOL,
        Feature.SYSCALL_PTREGS_WRAPPERS);
  }

  @Override
  boolean ptregsWrappers() {
    return true;
  }

  @Override
  public void addNumbers(Map<String, Integer> numbers) {
    super.addNumbers(numbers);
    numbers.put("clone3", 435); // 5.3+
  }
}
