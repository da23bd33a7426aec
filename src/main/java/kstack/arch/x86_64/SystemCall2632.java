package kstack.arch.x86_64;

import java.util.Map;
import java.util.Set;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/**
 * 2.6.32's system_call (arch/x86/kernel/entry_64.S@2.6.32, X86Entry26): the partial frame below
 * kernel_stack, sys_call_table called with the C arguments, and the stub_ paths for the calls
 * that take pt_regs (fork, clone, execve: FORK_PASSES_REGS).
 */
public final class SystemCall2632 implements SyscallEntry64 {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.FORK_PASSES_REGS);
  }

  @Override
  public void build(Kernel k) {
    X86Entry26.build(k);
  }

  /** sys_ni_syscall links after the arch code; the pt_regs calls enter through their stubs. */
  @Override
  public void buildLast(Kernel k) {
    k.add(k.c("sys_ni_syscall", "kernel/sys_ni.c").params().ret("return -ENOSYS", x -> X86_64.ENOSYS)
        .build());
    Map<String, Integer> nr = k.arch.syscallNumbers();
    for (String n : new String[] {"fork", "clone", "execve"}) {
      k.sysCallTable.put(nr.get(n), "stub_" + n);
    }
  }

  /** No HAVE_SYSCALL_WRAPPERS on x86 2.6.32 (syscalls.h@2.6.32:297-318). */
  @Override
  public String syscallSymbol(String name, int nargs) {
    return "sys_" + name;
  }

  @Override
  public RoutineBuilder syscallRoutine(Kernel k, String name, String source, String... params) {
    return k.c(syscallSymbol(name, params.length), source).params(params);
  }

  /** 2.6.32 has no finit_module (3.8): unistd_64.h@2.6.32.67:404-405. */
  @Override
  public void addNumbers(Map<String, Integer> numbers) {
    numbers.put("init_module", 175);
  }
}
