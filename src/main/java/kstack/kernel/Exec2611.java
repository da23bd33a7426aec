package kstack.kernel;

import java.util.Set;
import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.profile.Feature;

/**
 * exec at 2.6.11 (fs/exec.c@2.6.11:828-905,1024-1115,1122-1226; fs/binfmt_elf.c@2.6.11:504-983):
 * do_execve allocates the new mm itself (mm_alloc, init_new_context) before counting and copying
 * the strings, search_binary_handler tries each binfmt's load_binary(bprm, regs) and marks
 * current->did_exec, and load_elf_binary's flush_old_exec both installs that mm and names the task;
 * its ELF_PLAT_INIT follows create_elf_tables and start_thread is a macro that zeroes %fs and %gs
 * first.
 */
public final class Exec2611 implements ExecPath {
  enum L implements Local { argv, bprm, envp, filename, regs }

  private static final LoadElfBinary ELF = new LoadElfBinary("fs/binfmt_elf.c@2.6.11:504-983",
      true, "retval = flush_old_exec(bprm) (fs/exec.c@2.6.11:828-904): exec_mmap(bprm->mm) makes "
          + "it current's mm; set_task_comm(current, the file's base name); flush_thread(); "
          + "close-on-exec files go", false, true, "SET_PERSONALITY(); setup_arg_pages(bprm, "
          + "STACK_TOP, executable_stack): the stack VMA below STACK_TOP; map the segments; "
          + "set_binfmt(&elf_format); compute_creds(bprm)", true, ", reloc_func_desc",
      LoadElfBinary.startThreadMacro("movl $0, %fs; movl $0, %gs; ", ""));

  @Override
  public Set<Feature> features() {
    return Set.of(Feature.EXEC_2611);
  }

  @Override
  public void build(Kernel k) {
    String src = "fs/exec.c@2.6.11";
    k.image.add(k.image.c("do_execve", src + ":1122-1226").params(L.filename, L.argv, L.envp, L.regs)
        .locals(L.bprm)
        .step("bprm = kmalloc(sizeof(*bprm)); memset(bprm, 0); file = open_exec(filename); "
            + "sched_exec(); bprm->p = PAGE_SIZE * MAX_ARG_PAGES - sizeof(void *); bprm->file = "
            + "file; bprm->filename = bprm->interp = filename; bprm->mm = mm_alloc(); "
            + "init_new_context(current, bprm->mm); bprm->argc = count(argv); bprm->envc = "
            + "count(envp); security_bprm_alloc(bprm); prepare_binprm(bprm); "
            + "copy_strings_kernel(1, &bprm->filename); copy_strings(envc, envp); "
            + "copy_strings(argc, argv)", x -> x.set(L.bprm, Execve.newBprm(k, x.get(L.filename))))
        .call("retval = search_binary_handler(bprm, regs)", "search_binary_handler",
            Args.of(x -> x.get(L.bprm), x -> x.get(L.regs)))
        .ret("if (retval >= 0) { free_arg_pages(bprm); security_bprm_free(bprm); "
            + "acct_update_integrals(); update_mem_hiwater(); kfree(bprm); return retval }",
            Exec::retval).build());
    k.image.add(k.image.c("search_binary_handler", src + ":1024-1115").params(L.bprm, L.regs)
        .step("security_bprm_check(bprm); set_fs(USER_DS); retval = -ENOENT; for (try = 0; "
            + "try < 2; try++) { read_lock(&binfmt_lock); for (fmt = formats; fmt; fmt = "
            + "fmt->next) { fn = fmt->load_binary; try_module_get(fmt->module); "
            + "read_unlock(&binfmt_lock)", x -> k.tasks.setFsUserDs(k.current(x)))
        .call("  retval = fn(bprm, regs): elf_format's load_elf_binary", "load_elf_binary",
            Args.of(x -> x.get(L.bprm), x -> x.get(L.regs)))
        .ret("  retval >= 0: put_binfmt(fmt); allow_write_access(bprm->file); fput(bprm->file); "
            + "bprm->file = NULL; current->did_exec = 1; return retval", Exec::retval).build());
    k.image.add(ELF.build(k));
  }
}
