package kstack.kernel;

import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;

/**
 * The exec chain through do_execveat_common (4.x on; fs/exec.c@4.16.13, @6.19): sys_execve takes
 * the name with getname, do_execveat_common allocates the bprm and hands it to the next stage
 * (exec_binprm, or bprm_execve from 5.9), search_binary_handler finds the ELF handler, and
 * load_elf_binary finds the pt_regs itself. A generation supplies the system call's body, what
 * sits between do_execveat_common and exec_binprm, and its load_elf_binary.
 */
abstract class ExecveAt implements ExecPath {
  enum L implements Local { argv, bprm, envp, fd, filename, flags, name }

  static final String SRC = Execve.SRC;

  /** What do_execveat_common calls with the bprm. */
  private final String next;
  private final LoadElfBinary elf;

  ExecveAt(String next, LoadElfBinary elf) {
    this.next = next;
    this.elf = elf;
  }

  /** sys_execve's body after getname, down to do_execveat_common. */
  abstract void buildSysExecve(Kernel k, RoutineBuilder sys);

  /** The routines after do_execveat_common and before exec_binprm (kernel_execve, bprm_execve). */
  abstract void buildBprmExecve(Kernel k);

  @Override
  public void build(Kernel k) {
    String src = SRC;
    RoutineBuilder sys = Syscalls.entry(k, "execve", src, L.filename, L.argv, L.envp)
        .locals(L.name)
        .step("getname(filename): copy the path into a kernel struct filename",
            x -> x.set(L.name, Execve.getname(k, x, x.get(L.filename))));
    buildSysExecve(k, sys);
    k.image.add(k.image.c("do_execveat_common", src).params(L.fd, L.filename, L.argv, L.envp, L.flags)
        .locals(L.bprm)
        .step("bprm = alloc_bprm(fd, filename); copy_strings(argv, envp)", x -> {
          long bprm = k.pages.kmalloc(256, "struct linux_binprm");
          x.write(bprm, x.get(L.filename));
          x.set(L.bprm, bprm);
        })
        .call("retval = " + next + "(bprm)", next, Args.of(x -> x.get(L.bprm)))
        .ret("free_bprm(bprm); return retval", Exec::retval).build());
    buildBprmExecve(k);
    k.image.add(k.image.c("exec_binprm", src).params(L.bprm)
        .call("ret = search_binary_handler(bprm)", "search_binary_handler",
            Args.of(x -> x.get(L.bprm)))
        .ret("return ret", Exec::retval).build());
    k.image.add(k.image.c("search_binary_handler", src).params(L.bprm)
        .call("retval = fmt->load_binary(bprm): the ELF handler", "load_elf_binary",
            Args.of(x -> x.get(L.bprm)))
        .ret("return retval", Exec::retval).build());
    k.image.add(elf.build(k));
  }
}
