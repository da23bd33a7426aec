package kstack.arch.arm64;

import java.util.Map;
import java.util.Set;
import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/**
 * 6.19: el0_svc → do_el0_svc → el0_svc_common → invoke_syscall → __invoke_syscall →
 * __arm64_sys_NAME(regs) in C (entry-common.c@6.19, syscall.c@6.19; research arm64.md §4.2); the
 * way out is arm64_exit_to_user_mode; clone3 (435) is in the table since 5.3.
 */
public final class SvcInvokeSyscall619 implements SyscallDispatch {
  enum L implements Local { regs, sc_nr, scno, syscall_fn, syscall_table }

  private static final String SC = "arch/arm64/kernel/syscall.c";

  @Override
  public Set<Feature> features() {
    return Set.of(Feature.SYSCALL_PTREGS_WRAPPERS, Feature.ARM64_ENTRY_COMMON);
  }

  @Override
  public boolean ptregsWrappers() {
    return true;
  }

  @Override
  public void addNumbers(Map<String, Integer> numbers) {
    numbers.put("clone3", 435);
  }

  @Override
  public void build(Kernel k, Arm64Entry e) {
    var svc = k.image.c("el0_svc", Arm64Entry.ENTRY_COMMON).params(L.regs)
        .step("arm64_enter_from_user_mode(regs) [inline]; fpsimd_syscall_enter() [inline]; "
            + "local_daif_restore(DAIF_PROCCTX)", x -> {
              e.entered(x, x.get(L.regs));
              k.arch.irqEnable(x);
            })
        .call("do_el0_svc(regs)", "do_el0_svc", Args.of(x -> x.get(L.regs)));
    k.image.add(kstack.arch.ExitWork.append(k, svc, "arm64_exit_to_user_mode(regs) [inline]: "
            + "local_irq_disable(); work pending?", "exit_to_user_mode_loop",
            "exit_to_user_mode_loop(regs, ti_work)")
        .retVoid().build());
    k.image.add(k.image.c("do_el0_svc", SC).params(L.regs)
        .call("el0_svc_common(regs, regs->regs[8], __NR_syscalls, sys_call_table)",
            "el0_svc_common", Args.of(x -> x.get(L.regs), x -> x.read(x.get(L.regs) + 64), x -> 471, x -> 0))
        .retVoid().build());
    k.image.add(k.image.c("el0_svc_common", SC).params(L.regs, L.scno, L.sc_nr, L.syscall_table)
        .step("regs->orig_x0 = regs->regs[0]; regs->syscallno = scno", x -> {
          long r = x.get(L.regs);
          x.write(r + Arm64Entry.S_ORIG_X0, x.read(r));
          x.write(r + Arm64Entry.S_SYSCALLNO, 4, x.get(L.scno));
        })
        .call("invoke_syscall(regs, scno, sc_nr, syscall_table)", "invoke_syscall",
            Args.of(x -> x.get(L.regs), x -> x.get(L.scno), x -> x.get(L.sc_nr), x -> 0))
        .retVoid().build());
    k.image.add(k.image.c("invoke_syscall", SC).params(L.regs, L.scno, L.sc_nr, L.syscall_table)
        .step("add_random_kstack_offset() (RANDOMIZE_KSTACK_OFFSET not modelled: offset 0)", x -> { })
        .call("ret = __invoke_syscall(regs, syscall_table[array_index_nospec(scno, sc_nr)])",
            "__invoke_syscall", Args.of(x -> x.get(L.regs), x -> e.target(x.get(L.scno))))
        .step("syscall_set_return_value(current, regs, 0, ret): regs->regs[0] = ret",
            x -> x.write(x.get(L.regs), x.retval()))
        .retVoid().build());
    k.image.add(k.image.c("__invoke_syscall", SC).params(L.regs, L.syscall_fn)
        .callVia("return syscall_fn(regs)", x -> x.get(L.syscall_fn),
            Args.of(x -> x.get(L.regs)), null)
        .ret("return ret", Exec::retval).build());
    k.image.add(k.image.c("__arm64_sys_ni_syscall", "kernel/sys_ni.c").params(L.regs)
        .ret("return -ENOSYS", x -> -38).build());
    k.image.add(k.image.c("asm_exit_to_user_mode", Arm64Entry.ENTRY_COMMON).params(L.regs)
        .branchIf("nowork", "arm64_exit_to_user_mode(regs) [inline]: work pending?", x -> {
          k.arch.irqDisable(x);
          return !k.rq.needResched(k.current(x));
        })
        .call("exit_to_user_mode_loop(regs, ti_work)", "exit_to_user_mode_loop",
            Args.of(x -> x.get(L.regs), x -> 0))
        .label("nowork")
        .retVoid().build());
  }
}
