package kstack.kernel;

import java.nio.charset.StandardCharsets;
import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.mem.Memory;
import kstack.mem.Region;
import kstack.profile.Feature;

/**
 * execve down to load_elf_binary and start_thread (fs/exec.c, fs/binfmt_elf.c). Every path names the
 * simulator's one user binary, kstack-box, which like busybox picks its behaviour from argv[0]; the
 * new image gets a fresh mm with text at 0x400000, a data page and a stack below STACK_TOP.
 */
final class Execve {
  enum L implements Local { argv, bprm, envp, fd, filename, flags, kernel_filename, name, regs, sp }

  private Execve() {}

  static final long TEXT = 0x400000L;
  static final long DATA = 0x600000L;
  static final long STACK_SIZE = 132 * 1024;

  static void build(Kernel k, boolean v6) {
    if (Syscalls.v26(k)) {
      build26(k);
      return;
    }
    String src = "fs/exec.c";
    RoutineBuilder sys = Syscalls.entry(k, "execve", src, L.filename, L.argv, L.envp)
        .locals(L.name)
        .step("getname(filename): copy the path into a kernel struct filename",
            x -> x.set(L.name, getname(k, x, x.get(L.filename))));
    if (v6) {
      // fs/exec.c@6.19:1927-1934: do_execve is static and called once, so gcc -O2 inlines it
      // (-finline-functions-called-once); the call to do_execveat_common (seven argument words:
      // one goes on the stack) is a real call, not a sibling call
      k.image.add(sys.call("return do_execve(getname(filename), argv, envp) [static, inlined]: return "
              + "do_execveat_common(AT_FDCWD, filename, argv, envp, 0)", "do_execveat_common",
              Args.of(x -> -100, x -> x.get(L.name), x -> x.get(L.argv), x -> x.get(L.envp), x -> 0))
          .ret("return ret", Exec::retval).build());
    } else {
      k.image.add(sys.call("return do_execve(getname(filename), argv, envp)", "do_execve",
              Args.of(x -> x.get(L.name), x -> x.get(L.argv), x -> x.get(L.envp)))
          .ret("return ret", Exec::retval).build());
      k.image.add(k.image.c("do_execve", src).params(L.filename, L.argv, L.envp)
          .call("return do_execveat_common(AT_FDCWD, filename, argv, envp, 0)",
              "do_execveat_common",
              Args.of(x -> -100, x -> x.get(L.filename), x -> x.get(L.argv), x -> x.get(L.envp), x -> 0))
          .ret("return ret", Exec::retval).build());
    }
    String next = v6 ? "bprm_execve" : "exec_binprm";
    k.image.add(k.image.c("do_execveat_common", src).params(L.fd, L.filename, L.argv, L.envp, L.flags)
        .locals(L.bprm)
        .step("bprm = alloc_bprm(fd, filename); copy_strings(argv, envp)", x -> {
          long bprm = k.pages.kmalloc(256, "struct linux_binprm");
          x.write(bprm, x.get(L.filename));
          x.set(L.bprm, bprm);
        })
        .call("retval = " + next + "(bprm)", next, Args.of(x -> x.get(L.bprm)))
        .ret("free_bprm(bprm); return retval", Exec::retval).build());
    if (v6) {
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
    k.image.add(k.image.c("exec_binprm", src).params(L.bprm)
        .call("ret = search_binary_handler(bprm)", "search_binary_handler",
            Args.of(x -> x.get(L.bprm)))
        .ret("return ret", Exec::retval).build());
    k.image.add(k.image.c("search_binary_handler", src).params(L.bprm)
        .call("retval = fmt->load_binary(bprm): the ELF handler", "load_elf_binary",
            Args.of(x -> x.get(L.bprm)))
        .ret("return retval", Exec::retval).build());
    k.image.add(loadElf(k, v6, false));
  }

  /**
   * 2.6.32 (fs/exec.c@2.6.32:1297-1446; fs/binfmt_elf.c@2.6.32): the arch's sys_execve hands its
   * pt_regs down; do_execve → search_binary_handler → load_elf_binary → start_thread all take
   * them, so exec rewrites exactly the frame the system call entered with.
   */
  static void build26(Kernel k) {
    if (k.profile.has(Feature.EXEC_2611)) {
      build2611(k);
      return;
    }
    String src = "fs/exec.c";
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
    k.image.add(loadElf(k, false, true));
  }

  /**
   * 2.6.11 (Feature.EXEC_2611): do_execve allocates the new mm itself (mm_alloc, init_new_context)
   * before counting and copying the strings, search_binary_handler tries each binfmt's
   * load_binary(bprm, regs) and marks current->did_exec, and load_elf_binary's flush_old_exec both
   * installs that mm and names the task (fs/exec.c@2.6.11:828-905,1024-1115,1122-1226;
   * fs/binfmt_elf.c@2.6.11:504-983).
   */
  private static void build2611(Kernel k) {
    String src = "fs/exec.c@2.6.11";
    k.image.add(k.image.c("do_execve", src + ":1122-1226").params(L.filename, L.argv, L.envp, L.regs)
        .locals(L.bprm)
        .step("bprm = kmalloc(sizeof(*bprm)); memset(bprm, 0); file = open_exec(filename); "
            + "sched_exec(); bprm->p = PAGE_SIZE * MAX_ARG_PAGES - sizeof(void *); bprm->file = "
            + "file; bprm->filename = bprm->interp = filename; bprm->mm = mm_alloc(); "
            + "init_new_context(current, bprm->mm); bprm->argc = count(argv); bprm->envc = "
            + "count(envp); security_bprm_alloc(bprm); prepare_binprm(bprm); "
            + "copy_strings_kernel(1, &bprm->filename); copy_strings(envc, envp); "
            + "copy_strings(argc, argv)", x -> x.set(L.bprm, newBprm(k, x.get(L.filename))))
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
    k.image.add(loadElf(k, false, true));
  }

  private static long newBprm(Kernel k, long filename) {
    long bprm = k.pages.kmalloc(256, "struct linux_binprm");
    k.mem.write(bprm, k.t.word, filename);
    return bprm;
  }

  private static kstack.exec.Routine loadElf(Kernel k, boolean v6, boolean withRegs) {
    String elf = k.profile.has(Feature.EXEC_2611) ? "fs/binfmt_elf.c@2.6.11:504-983" : "fs/binfmt_elf.c";
    var b = withRegs ? k.image.c("load_elf_binary", elf).params(L.bprm, L.regs)
        : k.image.c("load_elf_binary", elf).params(L.bprm);
    boolean v24 = k.profile.has(Feature.TASK_UNION);
    boolean v2611 = k.profile.has(Feature.EXEC_2611);
    b.locals(L.sp);
    if (v2611) {
      // flush_old_exec installs the mm do_execve allocated and names the task itself
      b.step("retval = flush_old_exec(bprm) (fs/exec.c@2.6.11:828-904): exec_mmap(bprm->mm) makes "
              + "it current's mm; set_task_comm(current, the file's base name); flush_thread(); "
              + "close-on-exec files go", x -> {
                newMm(k, x);
                comm(k, x);
              })
          .step("SET_PERSONALITY(); setup_arg_pages(bprm, STACK_TOP, executable_stack): the stack "
              + "VMA below STACK_TOP; map the segments; set_binfmt(&elf_format); "
              + "compute_creds(bprm)", x -> { });
    } else {
      b.step((v6 ? "begin_new_exec(bprm)" : "flush_old_exec(bprm)") + ": exec_mmap() gives "
              + "current a fresh mm; " + (v24 || v6 ? "" : "set_fs(USER_DS); ")
              + (v24 ? "" : "current->flags &= ~(PF_KTHREAD | ...); ")
              + "close-on-exec files go", x -> {
                newMm(k, x);
                if (!v24 && !v6) { // fs/exec.c@2.6.32.67:1012, @4.16.13:1283; 6.x has no set_fs
                  k.tasks.setFsUserDs(k.current(x));
                }
              })
          .step(v24 ? "strcpy(current->comm, the file's base name)"
              : "setup_new_exec(bprm): __set_task_comm(current, kbasename(filename))",
              x -> comm(k, x))
          .step("setup_arg_pages(bprm, STACK_TOP): the stack VMA below STACK_TOP", x -> { });
    }
    // 2.4.22 maps no vDSO; 2.6.11's vsyscall page is a fixmap shared by all, nothing per exec
    boolean startThreadMacro = v24 || k.profile.has(Feature.PT_REGS_60);
    if (!startThreadMacro) {
      b.step("arch_setup_additional_pages(bprm, ...): map the vDSO", x ->
          k.arch.setupAdditionalPages(k, x));
    }
    b.step("create_elf_tables(): argc, argv[], envp[] and auxv on the new user stack",
            x -> x.set(L.sp, elfTables(k, x, k.mem.readCString(x.read(x.get(L.bprm)), 256))));
    java.util.List<String> clear = k.arch.elfPlatInitRegs(k);
    if (!clear.isEmpty()) {
      b.step("ELF_PLAT_INIT(regs" + (v24 ? "" : v2611 ? ", reloc_func_desc" : ", load_addr")
          + "): regs->" + String.join(" = regs->",
          clear) + " = 0", x -> {
            long r = withRegs ? x.get(L.regs) : k.arch.taskPtRegs(k, k.current(x));
            for (String f : clear) {
              k.mem.write(r + k.image.off("pt_regs", f), k.t.word, 0);
            }
          });
    }
    if (startThreadMacro) {
      // a macro in 2.4 and 2.6.11 (include/asm-i386/processor.h@2.4.22:407-416, @2.6.11:480-489):
      // no frame of its own; both zero %fs and %gs (2.6.11 first, 2.4 last)
      b.step("start_thread(regs, elf_entry, bprm->p) [macro]: " + (v24 ? ""
          : "movl $0, %fs; movl $0, %gs; ") + "set_fs(USER_DS); regs->xds = "
          + "regs->xes = regs->xss = __USER_DS; regs->xcs = __USER_CS; regs->eip = elf_entry; "
          + "regs->esp = bprm->p" + (v24 ? "; %fs = %gs = 0" : ""), x -> {
            long r = x.get(L.regs);
            x.set("fs", 0);
            x.set("gs", 0);
            k.tasks.setFsUserDs(k.current(x));
            x.write(r + k.image.off("pt_regs", "xds"), k.image.constant("__USER_DS"));
            x.write(r + k.image.off("pt_regs", "xes"), k.image.constant("__USER_DS"));
            x.write(r + k.image.off("pt_regs", "xss"), k.image.constant("__USER_DS"));
            x.write(r + k.image.off("pt_regs", "xcs"), k.image.constant("__USER_CS"));
            x.write(r + k.image.off("pt_regs", "eip"), k.image.symbol("_start"));
            x.write(r + k.image.off("pt_regs", "esp"), x.get(L.sp));
          });
    } else {
      b.call("start_thread(regs, elf_entry, bprm->p)", "start_thread",
          Args.of(x -> withRegs ? x.get(L.regs) : k.arch.taskPtRegs(k, k.current(x)),
              x -> k.image.symbol("_start"), x -> x.get(L.sp)));
    }
    return b.ret("return 0", x -> 0).build();
  }

  private static void comm(Kernel k, Exec x) {
    k.tasks.setComm(k.current(x), basename(k.mem.readCString(x.read(x.get(L.bprm)), 256)));
  }

  static String basename(String path) {
    int i = path.lastIndexOf('/');
    return i < 0 ? path : path.substring(i + 1);
  }

  static long getname(Kernel k, Exec x, long user) {
    byte[] name = new byte[256];
    int n = 0;
    for (; n < 255; n++) {
      byte b = (byte) x.read(user + n, 1);
      if (b == 0) {
        break;
      }
      name[n] = b;
    }
    long f = k.pages.kmalloc(256, "struct filename");
    k.mem.writeBytes(f, java.util.Arrays.copyOf(name, n + 1));
    return f;
  }

  /** exec_mmap: a new mm_struct and user address space, loaded into CR3 at once. */
  private static void newMm(Kernel k, Exec x) {
    long cur = k.current(x);
    long mm = k.pages.kmalloc(k.image.struct("mm_struct").size(), "mm_struct");
    long top = k.image.constant("STACK_TOP");
    k.writePtr(mm + k.image.off("mm_struct", "pgd"), mm);
    k.mem.write(mm + k.image.off("mm_struct", "mm_users"), 4, 1);
    k.writePtr(mm + k.image.off("mm_struct", "task_size"), k.image.constant("TASK_SIZE_MAX"));
    k.writePtr(mm + k.image.off("mm_struct", "start_stack"), top);
    Memory m = k.mm.newUserSpace(mm, "mm of " + k.tasks.comm(cur));
    long textSize = k.image.userTextEnd() - TEXT;
    m.map(new Region("kstack-box .text", TEXT, (textSize + 4095) & -4096L, Region.Kind.USER));
    m.map(new Region("kstack-box .data", DATA, 4096, Region.Kind.USER));
    m.map(new Region("[stack]", top - STACK_SIZE, STACK_SIZE, Region.Kind.USER));
    k.tasks.taskWrite(cur, "mm", mm);
    k.tasks.taskWrite(cur, "active_mm", mm);
    if (!k.profile.has(Feature.TASK_UNION)) {
      k.tasks.taskWrite(cur, "flags", k.tasks.taskRead(cur, "flags") & ~Kernel.PF_KTHREAD); // none in 2.4
    }
    x.set(k.arch.mmRegister(), PageTableRoot.of(k, mm)); // switch_mm: __pa(mm->pgd)
    Files.closeOnExec(k, cur);
  }

  /** Lays out argc/argv/envp/auxv as create_elf_tables does; returns the new stack pointer. */
  private static long elfTables(Kernel k, Exec x, String path) {
    long top = k.image.constant("STACK_TOP");
    byte[] s = (path + "\0").getBytes(StandardCharsets.US_ASCII);
    long str = (top - 16 - s.length) & -16L;
    x.space().writeBytes(str, s);
    int w = x.word();
    long sp = (str - 6L * w) & -16L;
    long[] words = {1, str, 0, 0, 0, 0}; // argc, argv[0], argv[1] = NULL, envp[0] = NULL, AT_NULL
    for (int i = 0; i < words.length; i++) {
      x.write(sp + (long) i * w, words[i]);
    }
    return sp;
  }
}
