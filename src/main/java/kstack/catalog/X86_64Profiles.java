package kstack.catalog;

import static kstack.profile.Feature.*;

import java.util.EnumSet;
import kstack.arch.x86_64.*;
import kstack.kernel.Exec2632;
import kstack.kernel.Exec416;
import kstack.kernel.Exec619;
import kstack.kernel.Exit2632;
import kstack.kernel.Exit416;
import kstack.kernel.Exit619;
import kstack.kernel.Fork2632;
import kstack.kernel.ForkDoFork416;
import kstack.kernel.ForkKernelClone;
import kstack.kernel.FramePointerCalls;
import kstack.kernel.GenIrq2632;
import kstack.kernel.GenIrq416;
import kstack.kernel.Hrtimers2632;
import kstack.kernel.Hrtimers416;
import kstack.kernel.Hrtimers6;
import kstack.kernel.Init2632;
import kstack.kernel.InitKernelThread416;
import kstack.kernel.InitThreadUnion;
import kstack.kernel.InitUserModeThread619;
import kstack.kernel.IrqEntry6;
import kstack.kernel.Kthreadd2632;
import kstack.kernel.Kthreadd416;
import kstack.kernel.Kthreadd619;
import kstack.kernel.Sched2632;
import kstack.kernel.Sched416;
import kstack.kernel.SchedLoop6;
import kstack.kernel.SiblingCall;
import kstack.kernel.SoftirqInvoke;
import kstack.kernel.Syscalls26;
import kstack.kernel.SyscallsDefine;
import kstack.kernel.Vfs2632;
import kstack.kernel.Vfs416;
import kstack.kernel.Vfs6;
import kstack.profile.KernelConfig;
import kstack.profile.Profile;

/** The profile table's x86_64 entries (see {@link Profiles}: versions meet modules only here). */
final class X86_64Profiles {
  private X86_64Profiles() {}

  /** x86_64 at the seeds' version: 4.16 (read from the 4.16.13 stable snapshot). */
  static Profile x86_64_4_16() {
    return Profiles.profile("x86_64", "4.16", "4.16.13", EnumSet.of(
        THREAD_INFO_IN_TASK, INIT_TASK_SYMBOLS, BOOT_RSP_FROM_INITIAL_STACK,
        TOP_OF_STACK_IN_TSS_SP1, SYSCALL_SCRATCH_RSP_SCRATCH, DO_FORK, SIBLING_CALLS),
        Configs.x86_64(false),
        Profiles.modules(
            new Sched416(),
            new SiblingCall(),
            new GenIrq416(SoftirqInvoke.IN_PLACE),
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
            new LayoutsTaskInfo416(),
            new EntrySyscall64RspScratch416(),
            new InterruptEntry416(),
            new IstEntryArea416(),
            new SwitchToAsm416(),
            new BootInitialStack416(),
            new InactiveTaskFrameUnwinder()
            ));
  }
  /**
   * x86_64 at 2.6.32 (2.6.32.67): thread_info at the base of an 8 KiB stack, SYSCALL into
   * system_call's partial frame, switch_to inline in schedule() (docs/research/i386-and-2.x.md §7).
   */
  static Profile x86_64_2_6_32() {
    return Profiles.profile("x86_64", "2.6", "2.6.32", EnumSet.of(THREAD_INFO_AT_BASE,
        SCHEDULE_SWITCH_INLINE, FORK_PASSES_REGS, ARCH_KERNEL_THREAD, SOFTIRQ_VIA_DO_SOFTIRQ,
        GENIRQ_MODULE_2632),
        KernelConfig.builder()
            .option("PREEMPT", false, "an interrupt returning to kernel mode may preempt; "
                + "off = PREEMPT_NONE (only this setting is modelled on 2.6.32 x86_64)")
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
            new LayoutsThreadInfoAtBase2632(),
            new SystemCall2632(),
            new IrqStackSaveArgs2632(),
            new SwitchToInline2632(),
            new BootStackStart2632(),
            new ParanoidIst2632(),
            new ThreadReturnUnwinder2632()
            ));
  }
  /** x86_64 at the newest 6.x the sources let us cite: 6.19. */
  static Profile x86_64_6_19() {
    return Profiles.profile("x86_64", "6.x", "6.19", EnumSet.of(
        THREAD_INFO_IN_TASK, INIT_STACK_SYMBOLS, BOOT_RSP_FROM_THREAD_SP, TOP_OF_STACK_PERCPU,
        SYSCALL_SCRATCH_TSS_SP2, SYSCALL_NR_ARG_AND_BOOL, SYSCALL_PTREGS_WRAPPERS, KERNEL_CLONE,
        INIT_USER_MODE_THREAD, RET_FROM_FORK_ASM_AND_C, TASK_STATE_DUNDER, FORK_FRAME_ENCODED_BP,
        STACK_CACHE_CLEARED, SCHEDULE_LOOP, TASK_CPU_IN_THREAD_INFO, TSS_IO_BITMAP_STRUCT, IRQENTRY, PERCPU_IN_IMAGE,
        SIBLING_CALLS, HOTPLUG_SPLIT_STARTUP), Configs.x86_64(true),
        Profiles.modules(
            new SchedLoop6(),
            new SiblingCall(),
            new IrqEntry6(SoftirqInvoke.IN_PLACE),
            new Vfs6(),
            new Hrtimers6("get_timespec64"),
            new SyscallsDefine(),
            InitThreadUnion.initStackNames(true),
            KernelModules.TASK_6_19,
            KernelModules.ROUTINES_2_6_ON,
            new ForkKernelClone(),
            new Kthreadd619(),
            new InitUserModeThread619(),
            new Exec619(),
            new Exit619(),
            new LayoutsTaskInfo619(),
            new EntrySyscall64TssSp2619(),
            new IdtentryIrqentry619(),
            new IstGuardedIdtentry619(),
            new SwitchToAsmForkAsm619(),
            new BootThreadSp619(),
            new InactiveTaskFrameUnwinder()
            ));
  }
}
