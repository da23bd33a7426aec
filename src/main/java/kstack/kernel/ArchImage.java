package kstack.kernel;

import java.util.Map;
import kstack.cpu.RegisterSet;
import kstack.exec.Abi;
import kstack.layout.StructLayout;
import kstack.layout.Types;
import kstack.profile.Profile;

/**
 * The arch's part of the kernel image: its types, layouts and constants, its routines and
 * data, its per-CPU variables, and the symbols generic code calls into it by. Part of the arch
 * port, {@link Arch}.
 */
public interface ArchImage {
  String name();

  RegisterSet registers();

  Abi abi();

  Types types();

  /** First address above user space: the split between a process's mm and the shared kernel. */
  long userTop();

  /**
   * USER_DS, the addr_limit set_fs(USER_DS) gives a task that execs, on the generations that have
   * one: i386 PAGE_OFFSET (asm-i386/uaccess.h@2.6.11:29), x86_64 TASK_SIZE_MAX
   * (asm/uaccess.h@2.6.32.67:28), arm64 TASK_SIZE_64 - 1 (asm/uaccess.h@4.16.13:25).
   */
  default long userDs() {
    return userTop();
  }

  /** Arch struct layouts for a profile: pt_regs, thread_info, thread_struct, switch frames, TSS... */
  Map<String, StructLayout> layouts(Profile p);

  /**
   * The member handle enums the arch's code reads the profile's structs by (pt_regs, the TSS, the
   * switch frame, ...): the kernel resolves each when it is built, so a member the layout lacks
   * fails then.
   */
  default java.util.List<Class<? extends StructMember>> memberHandles(Profile p) {
    return java.util.List.of();
  }

  /** Profile constants: THREAD_SIZE, PAGE_SIZE, TOP_OF_KERNEL_STACK_PADDING, PAGE_OFFSET, ... */
  Map<String, Long> constants(Profile p);

  /** Adds the arch's routines (entry, switch, boot, copy_thread, start_thread) to the kernel image. */
  void buildRoutines(Kernel k);

  /** Lays out the arch's objects in the kernel image's .data (head_64.S boot data and the like). */
  void linkData(Kernel k, kstack.image.Linker l);

  /** The per-CPU variables, in .data..percpu order. */
  java.util.List<PerCpuVar> perCpuVars(Kernel k);

  /** Whether .data..percpu is linked at 0 (x86_64 before 6.15: symbols are offsets). */
  boolean perCpuZeroBased(Profile p);

  /** The link address a per-CPU access uses for a name, including names that are macros. */
  long perCpuAddress(Kernel k, String name);

  /** Fills one CPU's per-CPU area with the variables' initial values. */
  void initPerCpu(Kernel k, int cpu);

  /** The arch part of INIT_TASK: init_task.thread. */
  void initThread(Kernel k, long initTask);

  /** Resets a CPU to its power-on state pointing at the boot entry; per-CPU areas exist already. */
  void powerOn(Kernel k, int cpu);

  /** What copy_process calls to forge the child's registers and first frames. */
  String copyThreadSymbol(Profile p);

  /** What smp_init's cpu_up reaches to start a secondary CPU on its idle task. */
  String cpuUpSymbol();

  /**
   * The most CPUs this model boots (CONFIG_NR_CPUS as the arch's Kconfig limits it): 64 on the
   * 64-bit arches, x86_64's default (arch/x86/Kconfig: default "64" if SMP), which the model boots
   * on arm64 too.
   */
  default int nrCpus() {
    return 64;
  }

  /** Where {@link #nrCpus} comes from, said when {@code --cpus} asks for more. */
  default String nrCpusWhy() {
    return "the most this model boots; x86_64's NR_CPUS defaults to 64, arch/x86/Kconfig: default "
        + "\"64\" if SMP";
  }

  /**
   * Why this generation's machine runs one CPU (its SMP bring-up is not modelled, with where the
   * bring-up lives in Linux), or null where secondary CPUs boot.
   */
  default String smpBringUpMissing() {
    return null;
  }

  /** The routine whose first body step is the CPU's halt in the idle loop (hlt, wfi). */
  String idleHaltSymbol();

  /** What __schedule calls for switch_to (x86_64 __switch_to_asm, arm64 __switch_to), and how. */
  String switchToSymbol();

  String switchToText();

  /**
   * The switch_to macro as inline asm inside schedule() (2.6.32, SCHEDULE_SWITCH_INLINE): the steps
   * that save prev's resume point and stack, take next's, and go through __switch_to; afterwards
   * the return register holds prev. Only generations that have it ask.
   */
  default void inlineSwitch(Kernel k, kstack.exec.RoutineBuilder b) {
    throw new IllegalStateException(name() + " has no 2.6-era profile, so no inline switch_to");
  }

  /**
   * __pa(va) of a kernel address: x86_64 __phys_addr_nodebug (asm/page_64.h@4.16.13:14-22,
   * @6.19:23-31; arch/x86/mm/physaddr.c@2.6.32.67:11-23) with phys_base 0 (the image runs at the
   * address it was linked for); i386 va - PAGE_OFFSET (asm/page_32.h@4.16.13:9, @6.19:9;
   * asm-i386/page.h@2.6.11:134, @2.4.22:132); arm64 __virt_to_phys_nodebug, the linear map or the
   * image (asm/memory.h@4.16.13:226-234, @6.19:333-340).
   */
  long pa(Kernel k, long va);
}
