package kstack.catalog;

import static kstack.profile.Feature.*;

import java.util.EnumSet;
import kstack.kernel.Exec24;
import kstack.kernel.Exec2611;
import kstack.kernel.Exec2632;
import kstack.kernel.Exec416;
import kstack.kernel.Exec619;
import kstack.kernel.Exit24;
import kstack.kernel.Exit2611;
import kstack.kernel.Exit2632;
import kstack.kernel.Exit416;
import kstack.kernel.Exit619;
import kstack.kernel.Fork24;
import kstack.kernel.Fork2611;
import kstack.kernel.Fork2632;
import kstack.kernel.ForkDoFork416;
import kstack.kernel.ForkKernelClone;
import kstack.kernel.FramePointerCalls;
import kstack.kernel.GenIrq2632;
import kstack.kernel.GenIrq416;
import kstack.kernel.Hrtimers2632;
import kstack.kernel.Hrtimers416;
import kstack.kernel.Hrtimers6;
import kstack.kernel.Init24;
import kstack.kernel.Init2611;
import kstack.kernel.Init2632;
import kstack.kernel.InitKernelThread416;
import kstack.kernel.InitTaskUnion24;
import kstack.kernel.InitThreadUnion;
import kstack.kernel.InitUserModeThread619;
import kstack.kernel.Irq24;
import kstack.kernel.Irq2611;
import kstack.kernel.IrqEntry6;
import kstack.kernel.Kthread24;
import kstack.kernel.Kthread2611;
import kstack.kernel.Kthreadd2632;
import kstack.kernel.Kthreadd416;
import kstack.kernel.Kthreadd619;
import kstack.kernel.Sched24;
import kstack.kernel.Sched2611;
import kstack.kernel.Sched2632;
import kstack.kernel.Sched416;
import kstack.kernel.SchedLoop6;
import kstack.kernel.SoftirqInvoke;
import kstack.kernel.Syscalls24;
import kstack.kernel.Syscalls26;
import kstack.kernel.SyscallsDefine;
import kstack.kernel.Timer2611;
import kstack.kernel.TimerBh24;
import kstack.kernel.Vfs24;
import kstack.kernel.Vfs2611;
import kstack.kernel.Vfs2632;
import kstack.kernel.Vfs416;
import kstack.kernel.Vfs6;
import kstack.profile.KernelConfig;
import kstack.profile.Profile;

/** The profile table's i386 entries (see {@link Profiles}: versions meet modules only here). */
final class I386Profiles {
  private I386Profiles() {}

  /**
   * i386 at 4.16 (4.16.13): 8 KiB stacks from the page allocator (no VMAP_STACK on 32-bit), the
   * 68-byte pt_regs below an 8-byte padding, int $0x80 (docs/research/i386-and-2.x.md §4).
   */
  static Profile i386_4_16() {
    return Profiles.profile("i386", "4.16", "4.16.13", EnumSet.of(THREAD_INFO_IN_TASK,
        INIT_TASK_SYMBOLS, DO_FORK, SOFTIRQ_ON_OWN_STACK), Configs.i386(),
        Profiles.modules(
            new Sched416(),
            new FramePointerCalls(),
            new GenIrq416(SoftirqInvoke.OWN_STACK),
            new Vfs416(),
            new Hrtimers416(),
            new SyscallsDefine(),
            InitThreadUnion.initTaskNames(true),
            KernelModules.TASK_4_16,
            KernelModules.ROUTINES_2_6_ON,
            new ForkDoFork416(),
            new Kthreadd416(),
            new InitKernelThread416(),
            new Exec416(),
            new Exit416(),
            new kstack.arch.i386.Entry416(),
            new kstack.arch.i386.Irq416(),
            new kstack.arch.i386.Traps416(),
            new kstack.arch.i386.Process416(),
            new kstack.arch.i386.Boot416(),
            new kstack.arch.i386.Layout416(),
            new kstack.arch.i386.Sysenter416()
            ));
  }
  /**
   * i386 at 2.4 (2.4.22): the 8 KiB task_union with task_struct at its base, current = esp &
   * ~8191, the 60-byte pt_regs at the very top, system_call, switch_to inline in schedule()
   * pushing esi, edi, ebp (docs/research/i386-and-2.x.md §1).
   */
  static Profile i386_2_4() {
    return Profiles.profile("i386", "2.4", "2.4.22", EnumSet.of(TASK_UNION, I386_ENTRY_24, SCHED_24,
        VFS_24, SCHEDULE_SWITCH_INLINE, FORK_PASSES_REGS, ARCH_KERNEL_THREAD, NO_KTHREADD, TIMER_BH),
        KernelConfig.builder().build(),
        Profiles.modules(
            new Sched24(),
            new FramePointerCalls(),
            new Irq24(),
            new Vfs24(),
            new TimerBh24(),
            new Syscalls24(),
            new InitTaskUnion24(),
            KernelModules.TASK_2_4,
            KernelModules.ROUTINES_2_4,
            new Fork24(),
            new Kthread24(),
            new Init24(),
            new Exec24(),
            new Exit24(),
            new kstack.arch.i386.Entry24(),
            new kstack.arch.i386.Irq24(),
            new kstack.arch.i386.Traps24(),
            new kstack.arch.i386.Process24(),
            new kstack.arch.i386.Boot24(),
            new kstack.arch.i386.Layout24(),
            new kstack.arch.i386.SysenterNone24()
            ));
  }
  /**
   * i386 at 2.6.11, the generation the seed articles describe: thread_info at the base of an 8 KiB
   * stack and current = current_thread_info()->task (no per-CPU current_task), the 60-byte pt_regs
   * at the very top, system_call and the switch_to of 2.6.32's shape with 2.6.11's names
   * (docs/research/i386-and-2.x.md §2).
   */
  static Profile i386_2_6_11() {
    return Profiles.profile("i386", "2.6.11", "2.6.11", EnumSet.of(THREAD_INFO_AT_BASE,
        CURRENT_FROM_THREAD_INFO, PT_REGS_60, KTHREAD_HELPER_WQ, HEAD_CALLS_START_KERNEL,
        SYSCALL_TABLE_2611, NO_HRTIMERS, VFS_2611, SCHEDULE_SWITCH_INLINE, FORK_PASSES_REGS,
        ARCH_KERNEL_THREAD, SOFTIRQ_VIA_DO_SOFTIRQ, IRQ_2611,
        SYSENTER_2611, TRAPS_2611, SCHED_O1_2611, TIF_WORK_2611, EXEC_2611),
        KernelConfig.builder()
            .option("4KSTACKS", false, "THREAD_SIZE 4096, and interrupts and softirqs move to "
                + "per-CPU irq_ctx stacks (arch/i386/kernel/irq.c@2.6.11:34-40,48-107)")
            .option("PREEMPT", false, "an interrupt returning to kernel mode may preempt "
                + "(resume_kernel → preempt_schedule_irq, entry.S@2.6.11:177-190); off = "
                + "resume_kernel is restore_all")
            .build(),
        Profiles.modules(
            new Sched2611(),
            new FramePointerCalls(),
            new Irq2611(),
            new Vfs2611(),
            new Timer2611(),
            new Syscalls26("kernel/timer.c@2.6.11:967-970", "return current->tgid",
                "kernel/signal.c@2.6.11:1973-1976"),
            InitThreadUnion.unnamed(),
            KernelModules.TASK_2_6_11,
            KernelModules.ROUTINES_2_6_ON,
            new Fork2611(),
            new Kthread2611(),
            new Init2611(),
            new Exec2611(),
            new Exit2611(),
            new kstack.arch.i386.Entry2611(),
            new kstack.arch.i386.Irq2611(),
            new kstack.arch.i386.Traps2611(),
            new kstack.arch.i386.Process2611(),
            new kstack.arch.i386.Boot2611(),
            new kstack.arch.i386.Layout2611(),
            new kstack.arch.i386.Sysenter2611()
            ));
  }
  /**
   * i386 at 2.6.32 (2.6.32.67, the "2.6"): thread_info at the base of an 8 KiB stack (4 KiB
   * with CONFIG_4KSTACKS, plus per-CPU hardirq and softirq irq_ctx stacks), the 68-byte pt_regs at
   * top - 8 - 68, system_call through sys_call_table, switch_to inline in schedule()
   * (docs/research/i386-and-2.x.md §3).
   */
  static Profile i386_2_6_32() {
    return Profiles.profile("i386", "2.6", "2.6.32", EnumSet.of(THREAD_INFO_AT_BASE,
        SCHEDULE_SWITCH_INLINE, FORK_PASSES_REGS, ARCH_KERNEL_THREAD, SOFTIRQ_VIA_DO_SOFTIRQ,
        GENIRQ_MODULE_2632),
        KernelConfig.builder()
            .option("4KSTACKS", false, "THREAD_SIZE 4096, and interrupts and softirqs move to "
                + "per-CPU irq_ctx stacks (arch/x86/kernel/irq_32.c@2.6.32:60-152)")
            .option("PREEMPT", false, "an interrupt returning to kernel mode may preempt "
                + "(resume_kernel → preempt_schedule_irq); off = PREEMPT_NONE")
            .build(),
        Profiles.modules(
            new Sched2632(),
            new FramePointerCalls(),
            new GenIrq2632(),
            new Vfs2632(),
            new Hrtimers2632(),
            new Syscalls26("kernel/timer.c@2.6.32.67:1293-1296",
                "return task_tgid_vnr(current)", "kernel/signal.c@2.6.32.67:2006-2009"),
            InitThreadUnion.unnamed(),
            KernelModules.TASK_2_6_32,
            KernelModules.ROUTINES_2_6_ON,
            new Fork2632(),
            new Kthreadd2632(),
            new Init2632(),
            new Exec2632(),
            new Exit2632(),
            new kstack.arch.i386.Entry2632(),
            new kstack.arch.i386.Irq2632(),
            new kstack.arch.i386.Traps2632(),
            new kstack.arch.i386.Process2632(),
            new kstack.arch.i386.Boot2632(),
            new kstack.arch.i386.Layout2632(),
            new kstack.arch.i386.Sysenter2632()
            ));
  }
  /**
   * i386 at 6.19, the newest the sources allow: the per-CPU entry stack under TSS.sp0, __ia32_sys_
   * pt_regs wrappers reached through ia32_sys_call, the generic entry code, kernel_clone
   * (docs/research/i386-and-2.x.md §5).
   */
  static Profile i386_6_19() {
    return Profiles.profile("i386", "6.x", "6.19", EnumSet.of(THREAD_INFO_IN_TASK, INIT_STACK_SYMBOLS,
        KERNEL_CLONE, INIT_USER_MODE_THREAD, RET_FROM_FORK_ASM_AND_C, TASK_STATE_DUNDER,
        FORK_FRAME_ENCODED_BP, STACK_CACHE_CLEARED, SCHEDULE_LOOP, TASK_CPU_IN_THREAD_INFO,
        TSS_IO_BITMAP_STRUCT, IRQENTRY, SOFTIRQ_ON_OWN_STACK, SYSCALL_PTREGS_WRAPPERS,
        HOTPLUG_SPLIT_STARTUP),
        Configs.i386(),
        Profiles.modules(
            new SchedLoop6(),
            new FramePointerCalls(),
            new IrqEntry6(SoftirqInvoke.OWN_STACK),
            new Vfs6(),
            new Hrtimers6("get_old_timespec32"),
            new SyscallsDefine(),
            InitThreadUnion.initStackNames(true),
            KernelModules.TASK_6_19,
            KernelModules.ROUTINES_2_6_ON,
            new ForkKernelClone(),
            new Kthreadd619(),
            new InitUserModeThread619(),
            new Exec619(),
            new Exit619(),
            new kstack.arch.i386.Entry619(),
            new kstack.arch.i386.Irq619(),
            new kstack.arch.i386.Traps619(),
            new kstack.arch.i386.Process619(),
            new kstack.arch.i386.Boot619(),
            new kstack.arch.i386.Layout619(),
            new kstack.arch.i386.Sysenter619()
            ));
  }
}
