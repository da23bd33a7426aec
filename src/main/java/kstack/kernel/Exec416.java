package kstack.kernel;

import java.util.Set;
import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.profile.Feature;

/**
 * exec at 4.16 (fs/exec.c@4.16.13): sys_execve → do_execve → do_execveat_common → exec_binprm;
 * flush_old_exec also does set_fs(USER_DS); setup_new_exec names the task.
 */
public final class Exec416 extends ExecveAt {
  enum L implements Local { argv, envp, filename, name }

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
            Args.of(x -> x.get(L.name), x -> x.get(L.argv), x -> x.get(L.envp)))
        .ret("return ret", Exec::retval).build());
    k.image.add(k.image.c("do_execve", SRC).params(L.filename, L.argv, L.envp)
        .call("return do_execveat_common(AT_FDCWD, filename, argv, envp, 0)",
            "do_execveat_common",
            Args.of(x -> -100, x -> x.get(L.filename), x -> x.get(L.argv), x -> x.get(L.envp), x -> 0))
        .ret("return ret", Exec::retval).build());
  }

  /** do_execveat_common calls exec_binprm itself. */
  @Override
  void buildBprmExecve(Kernel k) {
  }
}
