package kstack.catalog;

import static kstack.profile.Feature.*;

import java.util.EnumSet;
import kstack.arch.arm64.*;
import kstack.kernel.Exec416;
import kstack.kernel.Exec619;
import kstack.kernel.Exit416;
import kstack.kernel.Exit619;
import kstack.kernel.ForkDoFork416;
import kstack.kernel.ForkKernelClone;
import kstack.kernel.FramePointerCalls;
import kstack.kernel.GenIrq416;
import kstack.kernel.Hrtimers416;
import kstack.kernel.Hrtimers6;
import kstack.kernel.InitKernelThread416;
import kstack.kernel.InitThreadUnion;
import kstack.kernel.InitUserModeThread619;
import kstack.kernel.IrqEntry6;
import kstack.kernel.Kthreadd416;
import kstack.kernel.Kthreadd619;
import kstack.kernel.Sched416;
import kstack.kernel.SchedLoop6;
import kstack.kernel.SoftirqInvoke;
import kstack.kernel.SyscallsDefine;
import kstack.kernel.Vfs416;
import kstack.kernel.Vfs6;
import kstack.profile.Profile;

/** The profile table's arm64 entries (see {@link Profiles}: versions meet modules only here). */
final class Arm64Profiles {
  private Arm64Profiles() {}

  /** arm64 at 4.16 (4.16.13): 4 KiB pages, 48-bit VA, VMAP_STACK (research arm64.md). */
  static Profile arm64_4_16() {
    return Profiles.profile("arm64", "4.16", "4.16.13", EnumSet.of(THREAD_INFO_IN_TASK,
        INIT_TASK_SYMBOLS, DO_FORK), Configs.arm64(false),
        Profiles.modules(
            new Sched416(),
            new FramePointerCalls(),
            new GenIrq416(SoftirqInvoke.IN_PLACE),
            new Vfs416(),
            new Hrtimers416(),
            new SyscallsDefine(),
            InitThreadUnion.initTaskNames(false),
            KernelModules.TASK_4_16,
            KernelModules.ROUTINES_2_6_ON,
            new ForkDoFork416(),
            new Kthreadd416(),
            new InitKernelThread416(),
            new Exec416(),
            new Exit416(),
            new LayoutLinearMapHigh416(),
            new EntryAsm416(),
            new FrameRecordZero416(),
            new SvcSysCallTable416(),
            new IrqStackEntry416(),
            new BootPrimarySwitched416(),
            new CopyThreadPfKthread416()
            ));
  }
  /** arm64 at 6.19: generic IRQ entry, __arm64_sys_ wrappers, kernel_clone. */
  static Profile arm64_6_19() {
    return Profiles.profile("arm64", "6.x", "6.19", EnumSet.of(THREAD_INFO_IN_TASK, INIT_STACK_SYMBOLS,
        KERNEL_CLONE, INIT_USER_MODE_THREAD, TASK_STATE_DUNDER, STACK_CACHE_CLEARED, SCHEDULE_LOOP,
        TASK_CPU_IN_THREAD_INFO, IRQENTRY, PERCPU_IN_IMAGE, SOFTIRQ_ON_OWN_STACK),
        Configs.arm64(true),
        Profiles.modules(
            new SchedLoop6(),
            new FramePointerCalls(),
            new IrqEntry6(SoftirqInvoke.OWN_STACK),
            new Vfs6(),
            new Hrtimers6("get_timespec64"),
            new SyscallsDefine(),
            InitThreadUnion.initStackNames(false),
            KernelModules.TASK_6_19,
            KernelModules.ROUTINES_2_6_ON,
            new ForkKernelClone(),
            new Kthreadd619(),
            new InitUserModeThread619(),
            new Exec619(),
            new Exit619(),
            new LayoutFlippedVa619(),
            new EntryCommon619(),
            new FrameRecordMeta619(),
            new SvcInvokeSyscall619(),
            new IrqCallOnIrqStack619(),
            new BootInitCpuTask619(),
            new CopyThreadCloneArgs619()
            ));
  }
}
