package kstack.kernel;

import java.util.Set;
import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.profile.Feature;

/**
 * exec at 6.19 (fs/exec.c@6.19): sys_execve with do_execve inlined, do_execveat_common →
 * bprm_execve → exec_binprm, kernel_execve for pid 1; begin_new_exec (no set_fs left).
 */
public final class Exec619 extends ExecveAt {
  enum L implements Local { argv, bprm, envp, kernel_filename, name }

  public Exec619() {
    super("bprm_execve", new LoadElfBinary("fs/binfmt_elf.c", false,
        LoadElfBinary.flushText("begin_new_exec(bprm)", "current->flags &= ~(PF_KTHREAD | ...); "),
        false, false, "setup_new_exec(bprm): __set_task_comm(current, kbasename(filename))", true,
        ", load_addr", null));
  }

  @Override
  public Set<Feature> features() {
    return Set.of(Feature.KERNEL_CLONE);
  }

  @Override
  void buildSysExecve(Kernel k, RoutineBuilder sys) {
    // fs/exec.c@6.19:1927-1934: do_execve is static and called once, so gcc -O2 inlines it
    // (-finline-functions-called-once); the call to do_execveat_common (seven argument words:
    // one goes on the stack) is a real call, not a sibling call
    k.image.add(sys.call("return do_execve(getname(filename), argv, envp) [static, inlined]: return "
            + "do_execveat_common(AT_FDCWD, filename, argv, envp, 0)", "do_execveat_common",
            Args.of(x -> -100, x -> x.get(L.name), x -> x.get(L.argv), x -> x.get(L.envp), x -> 0))
        .ret("return ret", Exec::retval).build());
  }

  /** kernel_execve (pid 1's exec) and bprm_execve (fs/exec.c@6.19). */
  @Override
  void buildBprmExecve(Kernel k) {
    String src = SRC;
    k.image.add(k.image.c("kernel_execve", src).params(L.kernel_filename, L.argv, L.envp).locals(L.bprm)
        .step("bprm = alloc_bprm(AT_FDCWD, getname_kernel(kernel_filename))", x -> {
          long bprm = k.pages.kmalloc(256, "struct linux_binprm");
          x.write(bprm, x.get(L.kernel_filename));
          x.set(L.bprm, bprm);
        })
        .call("retval = bprm_execve(bprm)", "bprm_execve", Args.of(x -> x.get(L.bprm)))
        .ret("return retval", Exec::retval).build());
    k.image.add(k.image.c("bprm_execve", src).params(L.bprm)
        .call("retval = exec_binprm(bprm)", "exec_binprm", Args.of(x -> x.get(L.bprm)))
        .ret("return retval", Exec::retval).build());
  }
}
