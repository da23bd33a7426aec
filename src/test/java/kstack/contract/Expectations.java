package kstack.contract;

import java.util.List;
import kstack.catalog.Profiles;
import kstack.profile.Profile;

/**
 * What the contract suite expects of one profile, as data: a new profile joins the suite by adding
 * its record here, with the citation for each value; the suite itself never asks which architecture
 * or generation it runs.
 *
 * @param threadSize THREAD_SIZE
 * @param ptRegsSize sizeof(struct pt_regs)
 * @param topPadding TOP_OF_KERNEL_STACK_PADDING: the bytes between pt_regs and the stack's top
 * @param threadAlign THREAD_ALIGN: the stack's alignment
 * @param stackEnd what marks the far end of a task's stack
 * @param current how the kernel finds current while the task is in the kernel
 * @param userSp where a system call keeps the user stack pointer
 * @param kthreadParent the pid whose child a new kthread is
 * @param smp whether the model boots secondary CPUs on this profile
 * @param addrLimit where set_fs() keeps the address limit, if the generation has one
 * @param sleepFrames two frames a task blocked in nanosleep shows
 * @param threadInfoAtBase whether thread_info sits at the stack's base and each copy carries
 *     init_thread_info's exec_domain and restart_block.fn (the 2.6 generations)
 * @param insideWrite a function write(2) always passes through below its entry (2.4 has no vfs_
 *     layer: sys_write calls the pipe's f_op->write)
 */
record Expectations(Profile profile, long threadSize, int ptRegsSize, long topPadding,
    long threadAlign, StackEnd stackEnd, Current current, UserSp userSp, int kthreadParent,
    boolean smp, AddrLimit addrLimit, List<String> sleepFrames, boolean threadInfoAtBase,
    String insideWrite) {

  @Override
  public String toString() {
    return profile.label();
  }

  private static final List<String> SLEEP = List.of("schedule", "do_nanosleep");
  private static final String VFS = "vfs_write";
  /** 2.4 and 2.6.11 have no hrtimers: sys_nanosleep sleeps in schedule_timeout on a timer_list. */
  private static final List<String> TIMEOUT = List.of("schedule", "schedule_timeout");

  /** One record per profile of the table (ExpectationsCoverTheTable checks none is missing). */
  static List<Expectations> all() {
    return List.of(
        // page_64_types.h@2.6.32.67:4-6; ptrace.h: 21 words; processor.h@2.6.32.67:1002 (no
        // padding); fork.c@2.6.32.67:254 writes STACK_END_MAGIC in dup_task_struct only; the
        // SYSCALL fast path parks the user rsp in the per-CPU old_rsp (entry_64.S@2.6.32.67)
        new Expectations(Profiles.x86_64_2_6_32(), 8192, 168, 0, 8192, StackEnd.MAGIC_EXCEPT_INIT,
            Current.PERCPU_CURRENT_TASK, UserSp.PERCPU_OLD_RSP, 2, true,
            AddrLimit.THREAD_INFO, List.of("thread_return", "do_nanosleep"), true, VFS),
        // page_64_types.h@4.16.13:9-16; processor.h@4.16.13:826-836
        new Expectations(Profiles.x86_64_4_16(), 16384, 168, 0, 16384, StackEnd.MAGIC,
            Current.PERCPU_CURRENT_TASK, UserSp.PT_REGS_SP, 2, true,
            AddrLimit.THREAD_STRUCT_UNMODELLED, SLEEP, false, VFS),
        // page_64_types.h@6.19:9-16; no FRED by default: no padding (thread_info.h@6.19:35-51)
        new Expectations(Profiles.x86_64_6_19(), 16384, 168, 0, 16384, StackEnd.MAGIC,
            Current.PERCPU_CURRENT_TASK, UserSp.PT_REGS_SP, 2, true, AddrLimit.NONE,
            SLEEP, false, VFS),
        // processor.h@2.4.22:445; the 60-byte pt_regs at the very top (process.c@2.4.22:588);
        // current = esp & ~8191; no kthreadd: the loader (init) forks it
        new Expectations(Profiles.i386_2_4(), 8192, 60, 0, 8192, StackEnd.TASK_STRUCT_AT_BASE,
            Current.ESP_MASK_IS_TASK, UserSp.PT_REGS_ESP, 1, false, AddrLimit.TASK,
            TIMEOUT, false, "pipe_write"),
        // thread_info.h@2.6.11:56-60; current_thread_info()->task (thread_info.h@2.6.11:28-93);
        // the kthread helper workqueue's worker (pid 5) forks kthreads
        new Expectations(Profiles.i386_2_6_11(), 8192, 60, 0, 8192,
            StackEnd.THREAD_INFO_BACKLINK, Current.ESP_MASK_THREAD_INFO_TASK, UserSp.PT_REGS_ESP,
            5, false, AddrLimit.THREAD_INFO, TIMEOUT, true, VFS),
        // page_32_types.h@2.6.32.67:18-23; 8 bytes above pt_regs (processor.h@2.6.32.67:942-964)
        new Expectations(Profiles.i386_2_6_32(), 8192, 68, 8, 8192, StackEnd.MAGIC_EXCEPT_INIT,
            Current.PERCPU_CURRENT_TASK, UserSp.PT_REGS_SP, 2, true, AddrLimit.THREAD_INFO,
            SLEEP, true, VFS),
        // page_32_types.h@4.16.13:22-23
        new Expectations(Profiles.i386_4_16(), 8192, 68, 8, 8192, StackEnd.MAGIC,
            Current.PERCPU_CURRENT_TASK, UserSp.PT_REGS_SP, 2, true,
            AddrLimit.THREAD_STRUCT_UNMODELLED, SLEEP, false, VFS),
        // page_32_types.h@6.19:22-23
        new Expectations(Profiles.i386_6_19(), 8192, 68, 8, 8192, StackEnd.MAGIC,
            Current.PERCPU_CURRENT_TASK, UserSp.PT_REGS_SP, 2, true, AddrLimit.NONE,
            SLEEP, false, VFS),
        // memory.h@4.16.13:86-127 (THREAD_ALIGN 2*THREAD_SIZE with VMAP_STACK); S_FRAME_SIZE 320;
        // SP_EL0 holds current in the kernel (asm/current.h@4.16.13)
        new Expectations(Profiles.arm64_4_16(), 16384, 320, 0, 32768, StackEnd.MAGIC,
            Current.SP_EL0, UserSp.PT_REGS_SP, 2, true, AddrLimit.THREAD_INFO, SLEEP, false, VFS),
        // memory.h@6.19:101-140; PT_REGS_SIZE 320
        new Expectations(Profiles.arm64_6_19(), 16384, 320, 0, 32768, StackEnd.MAGIC,
            Current.SP_EL0, UserSp.PT_REGS_SP, 2, true, AddrLimit.NONE,
            SLEEP, false, VFS));
  }
}
