package kstack.kernel;

import java.util.Set;
import kstack.exec.Exec;
import kstack.exec.RoutineBuilder;
import kstack.profile.Feature;

/**
 * exec at 4.16 (fs/exec.c@4.16.13): sys_execve → do_execve → do_execveat_common → exec_binprm;
 * flush_old_exec also does set_fs(USER_DS); setup_new_exec names the task.
 */
public final class Exec416 extends ExecveAt {
  public Exec416() {
    super("exec_binprm", new LoadElfBinary("fs/binfmt_elf.c", false,
        LoadElfBinary.flushText("flush_old_exec(bprm)",
            "set_fs(USER_DS); current->flags &= ~(PF_KTHREAD | ...); "), true, false,
        "setup_new_exec(bprm): __set_task_comm(current, kbasename(filename))", true,
        ", load_addr", null));
  }

  @Override
  public Set<Feature> features() {
    return Set.of(Feature.DO_FORK);
  }

  @Override
  void buildSysExecve(Kernel k, RoutineBuilder sys) {
    k.image.add(sys.call("return do_execve(getname(filename), argv, envp)", "do_execve",
            x -> new long[] {x.local("name"), x.local("argv"), x.local("envp")})
        .ret("return ret", Exec::retval).build());
    k.image.add(k.image.c("do_execve", SRC).params("filename", "argv", "envp")
        .call("return do_execveat_common(AT_FDCWD, filename, argv, envp, 0)",
            "do_execveat_common",
            x -> new long[] {-100, x.local("filename"), x.local("argv"), x.local("envp"), 0})
        .ret("return ret", Exec::retval).build());
  }

  /** do_execveat_common calls exec_binprm itself. */
  @Override
  void buildBprmExecve(Kernel k) {
  }
}
