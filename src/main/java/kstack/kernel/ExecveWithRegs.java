package kstack.kernel;

import java.util.Set;
import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.profile.Feature;

/**
 * The exec chain that hands the system call's pt_regs down (2.4, 2.6.32); a generation supplies its
 * load_elf_binary.
 */
abstract class ExecveWithRegs implements ExecPath {
  enum L implements Local { argv, bprm, envp, filename, regs }

  private final LoadElfBinary elf;

  ExecveWithRegs(LoadElfBinary elf) {
    this.elf = elf;
  }

  @Override
  public Set<Feature> features() {
    return Set.of(Feature.FORK_PASSES_REGS);
  }

  /**
   * The chain of 2.4 and 2.6.32 (fs/exec.c@2.4.22:810-954, @2.6.32:1297-1446): the arch's
   * sys_execve hands its pt_regs down; do_execve → search_binary_handler → load_elf_binary →
   * start_thread all take them, so exec rewrites exactly the frame the system call entered with.
   */
  @Override
  public void build(Kernel k) {
    String src = Execve.SRC;
    k.image.add(k.image.c("do_execve", src).params(L.filename, L.argv, L.envp, L.regs).locals(L.bprm)
        .step("bprm = kzalloc(sizeof(*bprm)); file = open_exec(filename); bprm_mm_init(bprm); "
            + "copy_strings(argv, envp)", x -> {
              long bprm = k.pages.kmalloc(256, "struct linux_binprm");
              x.write(bprm, x.get(L.filename));
              x.set(L.bprm, bprm);
            })
        .call("retval = search_binary_handler(bprm, regs)", "search_binary_handler",
            Args.of(x -> x.get(L.bprm), x -> x.get(L.regs)))
        .ret("free_bprm(bprm); return retval", Exec::retval).build());
    k.image.add(k.image.c("search_binary_handler", src).params(L.bprm, L.regs)
        .call("retval = fn(bprm, regs): fmt->load_binary, the ELF handler", "load_elf_binary",
            Args.of(x -> x.get(L.bprm), x -> x.get(L.regs)))
        .ret("return retval", Exec::retval).build());
    k.image.add(elf.build(k));
  }
}
