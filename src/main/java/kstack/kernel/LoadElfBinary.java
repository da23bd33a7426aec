package kstack.kernel;

import java.util.List;
import kstack.exec.Args;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.exec.Routine;
import kstack.exec.RoutineBuilder;
import kstack.layout.Member;

/**
 * load_elf_binary (fs/binfmt_elf.c) as a generation has it: each field is one of the differences
 * between 2.4.22, 2.6.11, 2.6.32, 4.16 and 6.19, the body is shared. The new mm, the task's name,
 * the arg pages, the vDSO, the ELF tables, ELF_PLAT_INIT and start_thread, in that order.
 *
 * @param source where it lives
 * @param withRegs whether it takes the system call's pt_regs (2.4, 2.6) or finds them itself
 * @param flush the first step: flush_old_exec (begin_new_exec from 5.9) and what it does
 * @param setsFs whether that step also does set_fs(USER_DS) (2.6.32 to 5.x)
 * @param commInFlush whether flush_old_exec names the task itself (2.6.11: no setup_new_exec)
 * @param name the second step: naming the task (or 2.6.11's personality and arg pages)
 * @param clearsKthread whether the exec drops PF_KTHREAD (2.6.27+; 2.4 has no such flag)
 * @param platInitArgs ELF_PLAT_INIT's arguments after regs
 * @param startThreadMacro start_thread's text where it is a macro (2.4, 2.6.11: no frame, no vDSO
 *     to map), or null where it is a function called after arch_setup_additional_pages
 */
record LoadElfBinary(String source, boolean withRegs, String flush, boolean setsFs,
    boolean commInFlush, String name, boolean clearsKthread, String platInitArgs,
    String startThreadMacro) {
  enum L implements Local { bprm, regs, sp }


  /** flush_old_exec's (or begin_new_exec's) usual text: the new mm, then what else it clears. */
  static String flushText(String fn, String also) {
    return fn + ": exec_mmap() gives current a fresh mm; " + also + "close-on-exec files go";
  }

  /** The i386 start_thread macro (include/asm-i386/processor.h@2.4.22:407-416, @2.6.11:480-489). */
  static String startThreadMacro(String before, String after) {
    return "start_thread(regs, elf_entry, bprm->p) [macro]: " + before + "set_fs(USER_DS); "
        + "regs->xds = regs->xes = regs->xss = __USER_DS; regs->xcs = __USER_CS; regs->eip = "
        + "elf_entry; regs->esp = bprm->p" + after;
  }

  Routine build(Kernel k) {
    RoutineBuilder b = withRegs ? k.image.c("load_elf_binary", source).params(L.bprm, L.regs)
        : k.image.c("load_elf_binary", source).params(L.bprm);
    b.locals(L.sp)
        .step(flush, x -> {
          Execve.newMm(k, x, clearsKthread);
          if (setsFs) {
            k.tasks.setFsUserDs(k.current(x));
          }
          if (commInFlush) {
            Execve.comm(k, x);
          }
        })
        .step(name, x -> {
          if (!commInFlush) {
            Execve.comm(k, x);
          }
        });
    if (!commInFlush) {
      b.step("setup_arg_pages(bprm, STACK_TOP): the stack VMA below STACK_TOP", x -> { });
    }
    if (startThreadMacro == null) {
      b.step("arch_setup_additional_pages(bprm, ...): map the vDSO", x ->
          k.arch.setupAdditionalPages(k, x));
    }
    b.step("create_elf_tables(): argc, argv[], envp[] and auxv on the new user stack",
        x -> x.set(L.sp, Execve.elfTables(k, x, k.mem.readCString(x.read(x.get(L.bprm)), 256))));
    List<Member> clear = k.arch.elfPlatInitRegs(k);
    if (!clear.isEmpty()) {
      b.step("ELF_PLAT_INIT(regs" + platInitArgs + "): regs->" + String.join(" = regs->",
          clear.stream().map(Member::path).toList()) + " = 0", x -> {
            long r = regs(k, x);
            for (Member f : clear) {
              k.mem.write(r + f.offset(), k.t.word, 0);
            }
          });
    }
    if (startThreadMacro != null) {
      b.step(startThreadMacro, startThread(k));
    } else {
      b.call("start_thread(regs, elf_entry, bprm->p)", "start_thread",
          Args.of(x -> regs(k, x), x -> k.image.symbol("_start"), x -> x.get(L.sp)));
    }
    return b.ret("return 0", x -> 0).build();
  }

  private long regs(Kernel k, Exec x) {
    return withRegs ? x.get(L.regs) : k.arch.taskPtRegs(k, k.current(x));
  }

  /** The macro's work: %fs and %gs zeroed, USER_DS, the user segments, eip and esp. */
  private static kstack.exec.Op startThread(Kernel k) {
    int ds = InlineMacroRegs.ds.off(k);
    int es = InlineMacroRegs.es.off(k);
    int ss = InlineMacroRegs.ss.off(k);
    int cs = InlineMacroRegs.cs.off(k);
    int ip = InlineMacroRegs.ip.off(k);
    int sp = InlineMacroRegs.sp.off(k);
    int fsReg = k.arch.registers().of("fs");
    int gsReg = k.arch.registers().of("gs");
    return x -> {
      long r = x.get(L.regs);
      x.set(fsReg, 0);
      x.set(gsReg, 0);
      k.tasks.setFsUserDs(k.current(x));
      x.write(r + ds, k.image.constant("__USER_DS"));
      x.write(r + es, k.image.constant("__USER_DS"));
      x.write(r + ss, k.image.constant("__USER_DS"));
      x.write(r + cs, k.image.constant("__USER_CS"));
      x.write(r + ip, k.image.symbol("_start"));
      x.write(r + sp, x.get(L.sp));
    };
  }
}
