package kstack.profile;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Names that some generations (or architectures) of Linux define and others do not: linker
 * labels, macros the simulator offers as profile constants, structs. A profile that lacks a name
 * refuses it with where the name does live, so that a reader following a text written for another
 * generation learns what this one has instead. The simulator may still use such a value inside
 * (2.6.32's task_pt_regs subtracts the same 8 that 4.16 calls TOP_OF_KERNEL_STACK_PADDING); only
 * the name is hidden.
 */
public final class Generations {
  private Generations() {}

  /** Versions in order: what "appeared after" and "no longer" compare. */
  private static final List<String> ORDER = List.of("2.4.22", "2.6.11", "2.6.32", "4.16.13", "6.19");

  /**
   * A generation-sensitive name: the profiles that have it ("ARCH VERSION"), where the source
   * defines it, and (optional) what the profiles without it call it instead.
   */
  public record Name(String name, Set<String> has, String citation, String instead) {}

  private static final Map<String, Name> NAMES = new LinkedHashMap<>();

  private static final String[] X86 = {"x86_64", "i386"};
  private static final String[] ALL = {"x86_64", "i386", "arm64"};

  static {
    add("__start_init_task", on(ALL, "4.16.13"),
        "include/asm-generic/vmlinux.lds.h@4.16.13:277-285 (INIT_TASK_DATA); 2.6.32's INIT_TASK_DATA "
            + "names no start or end (@2.6.32.67:190-192)",
        "6.19 calls it __start_init_stack (include/asm-generic/vmlinux.lds.h@6.19:425-432)");
    add("__end_init_task", on(ALL, "4.16.13"),
        "include/asm-generic/vmlinux.lds.h@4.16.13:277-285 (INIT_TASK_DATA); 2.6.32's INIT_TASK_DATA "
            + "names no start or end (@2.6.32.67:190-192)",
        "6.19 calls it __end_init_stack (include/asm-generic/vmlinux.lds.h@6.19:425-432)");
    add("__start_init_stack", on(ALL, "6.19"), "include/asm-generic/vmlinux.lds.h@6.19:425-432",
        "4.16 calls it __start_init_task (include/asm-generic/vmlinux.lds.h@4.16.13:277-285)");
    add("__end_init_stack", on(ALL, "6.19"), "include/asm-generic/vmlinux.lds.h@6.19:425-432",
        "4.16 calls it __end_init_task (include/asm-generic/vmlinux.lds.h@4.16.13:277-285)");
    add("__top_init_kernel_stack", on(X86, "6.19"), "arch/x86/kernel/vmlinux.lds.S@6.19:180", null);
    add("init_thread_union", on(ALL, "2.6.11", "2.6.32", "4.16.13", "6.19"),
        "arch/i386/kernel/init_task.c@2.6.11:28; include/asm-generic/vmlinux.lds.h@4.16.13:280",
        "2.4 calls it init_task_union: the task_struct and its stack in one 8 KiB union "
            + "(arch/i386/kernel/init_task.c@2.4.22:21-23)");
    add("init_task_union", on(new String[] {"i386"}, "2.4.22"), "arch/i386/kernel/init_task.c@2.4.22:21-23",
        "later generations keep init_task apart from init_thread_union/init_stack");
    add("TOP_OF_INIT_STACK", on(X86, "4.16.13", "6.19"),
        "arch/x86/include/asm/processor.h@4.16.13:826-827, @6.19:643", null);
    add("TOP_OF_KERNEL_STACK_PADDING", on(X86, "4.16.13", "6.19"),
        "arch/x86/include/asm/thread_info.h@4.16.13:38-43, @6.19:40-48",
        "2.6.32's i386 task_pt_regs leaves the same 8 bytes without a name "
            + "(arch/x86/include/asm/processor.h@2.6.32.67:949-964); arm64's task_pt_regs leaves none");
    add("SIZEOF_PTREGS", on(X86, "4.16.13"),
        "arch/x86/entry/calling.h@4.16.13:98, arch/x86/kernel/head_32.S@4.16.13:47",
        "6.19 has PTREGS_SIZE (arch/x86/kernel/asm-offsets.c@6.19:104); sizeof(struct pt_regs) "
            + "works everywhere");
    add("PTREGS_SIZE", on(X86, "4.16.13", "6.19"),
        "arch/x86/kernel/asm-offsets.c@4.16.13:96, @6.19:104", "sizeof(struct pt_regs) works everywhere");
    add("S_FRAME_SIZE", on(new String[] {"arm64"}, "4.16.13"),
        "arch/arm64/kernel/asm-offsets.c@4.16.13:81", "6.19 calls it PT_REGS_SIZE");
    add("PT_REGS_SIZE", on(new String[] {"arm64"}, "6.19"),
        "arch/arm64/kernel/asm-offsets.c@6.19:81", "4.16 calls it S_FRAME_SIZE");
    add("THREAD_ALIGN", on(ALL, "4.16.13", "6.19"),
        "include/linux/thread_info.h@4.16.13:43, @6.19:90; arch/arm64/include/asm/memory.h@"
            + "4.16.13:120-122, @6.19:138", null);
    add("IRQ_STACK_SIZE", join(on(new String[] {"x86_64"}, "2.6.32", "4.16.13", "6.19"),
            on(new String[] {"i386"}, "6.19"), on(new String[] {"arm64"}, "4.16.13", "6.19")),
        "arch/x86/include/asm/page_64_types.h@2.6.32.67:15, @4.16.13:26, @6.19:22; "
            + "page_32_types.h@6.19:25; arch/arm64/include/asm/memory.h@4.16.13:125, @6.19:140",
        "i386 before 6.x sizes its IRQ stacks as THREAD_SIZE without a name of their own");
    add("CPU_ENTRY_AREA_PER_CPU", on(X86, "4.16.13", "6.19"),
        "arch/x86/include/asm/cpu_entry_area.h@4.16.13:67; pgtable_areas.h@6.19:10",
        "2.6.32 has no cpu_entry_area");
    add("__START_KERNEL", join(on(new String[] {"x86_64"}, "2.6.32", "4.16.13", "6.19"),
            on(new String[] {"i386"}, "4.16.13", "6.19")),
        "arch/x86/include/asm/page_64_types.h@2.6.32.67:38; page_types.h@4.16.13:46, @6.19:34",
        null);
    add("TASK_SIZE_MAX", join(on(X86, "2.6.32", "4.16.13", "6.19"),
            on(new String[] {"arm64"}, "6.19")),
        "arch/x86/include/asm/processor.h@2.6.32.67:913,972, @4.16.13:845,878; "
            + "page_32_types.h@6.19:50; page_64_types.h@6.19:53; arch/arm64/include/asm/processor.h@6.19:57",
        "older generations have only TASK_SIZE");
    add("STACK_END_MAGIC", on(ALL, "2.6.32", "4.16.13", "6.19"),
        "include/linux/magic.h@2.6.32.67:57; include/uapi/linux/magic.h@4.16.13:65, @6.19:75", null);
    add("KERNEL_STACK_OFFSET", on(new String[] {"x86_64"}, "2.6.32"),
        "arch/x86/include/asm/thread_info.h@2.6.32.67:203", null);
    add("current_task", on(X86, "2.6.32", "4.16.13", "6.19"),
        "arch/x86/include/asm/current.h@2.6.32.67:10; arch/x86/kernel/cpu/common.c@2.6.32.67:995",
        "2.4 and 2.6.11 find current from the stack pointer (esp & ~8191, then 2.6.11's "
            + "thread_info->task); arm64 keeps it in sp_el0");
    add("kthreadd", on(ALL, "2.6.32", "4.16.13", "6.19"),
        "kernel/kthread.c@2.6.32.67:191, @4.16.13:539, @6.19:815",
        "2.6.11 creates kernel threads on the kthread helper workqueue, 2.4 with kernel_thread");
    add("kthread_create_list", on(ALL, "2.6.32", "4.16.13", "6.19"),
        "kernel/kthread.c@2.6.32.67:20, @4.16.13:26, @6.19:35",
        "2.6.11 queues work on the kthread helper workqueue (kernel/kthread.c@2.6.11)");
    add("__cpu_online_mask", on(ALL, "4.16.13", "6.19"), "kernel/cpu.c@4.16.13:1980, @6.19:3103",
        "2.6.32 has cpu_online_mask, a pointer to cpu_online_bits (kernel/cpu.c@2.6.32.67:579-580); "
            + "2.4 and 2.6.11 have cpu_online_map (include/asm-i386/smp.h@2.4.22:34, "
            + "include/linux/cpumask.h@2.6.11:345)");
    add("cpu_number", join(on(X86, "2.6.32", "4.16.13", "6.19"), on(new String[] {"arm64"},
            "4.16.13", "6.19")),
        "arch/x86/kernel/setup_percpu.c@2.6.32.67:28, @4.16.13:26, @6.19:26; "
            + "arch/arm64/kernel/smp.c@4.16.13:66", "2.6.11 keeps the CPU in thread_info->cpu");
    add("this_cpu_off", on(X86, "2.6.32", "4.16.13", "6.19"),
        "arch/x86/kernel/setup_percpu.c@2.6.32.67:37, @4.16.13:35, @6.19:29",
        "2.6.11 uses __per_cpu_offset[smp_processor_id()]");
    add("_sdata", join(on(X86, "2.6.32", "4.16.13", "6.19"), on(new String[] {"arm64"}, "4.16.13",
            "6.19")),
        "arch/x86/kernel/vmlinux.lds.S@2.6.32.67:98, @4.16.13:152, @6.19:174; "
            + "arch/arm64/kernel/vmlinux.lds.S@4.16.13:191, @6.19:305",
        "the i386 linker scripts of 2.4 and 2.6.11 name only _etext and _edata");
    add("__per_cpu_start", join(on(X86, "2.6.11", "2.6.32", "4.16.13", "6.19"),
            on(new String[] {"arm64"}, "4.16.13", "6.19")),
        "arch/i386/kernel/vmlinux.lds.S@2.6.11:100; include/asm-generic/vmlinux.lds.h@2.6.32.67:"
            + "667, @4.16.13:845, @6.19:1088",
        "2.4.22 has no .data.percpu section: its per-CPU data are NR_CPUS arrays");
    add("__per_cpu_end", join(on(X86, "2.6.11", "2.6.32", "4.16.13", "6.19"),
            on(new String[] {"arm64"}, "4.16.13", "6.19")),
        "arch/i386/kernel/vmlinux.lds.S@2.6.11:102; include/asm-generic/vmlinux.lds.h@2.6.32.67:"
            + "672, @4.16.13:855, @6.19:1101",
        "2.4.22 has no .data.percpu section: its per-CPU data are NR_CPUS arrays");
    add("MODULES_VADDR", join(on(X86, "2.6.32", "4.16.13", "6.19"), on(new String[] {"arm64"},
            "4.16.13", "6.19")),
        "arch/x86/include/asm/pgtable_32_types.h@2.6.32.67:49, pgtable_64_types.h@2.6.32.67:59; "
            + "arch/arm64/include/asm/memory.h@4.16.13:72, @6.19:48",
        "i386 2.4 and 2.6.11 vmalloc modules without a name for the start of that area");
    // the tick's hrtimer path (kstack.kernel.Irq)
    add("tick_sched_timer", on(ALL, "2.6.32", "4.16.13"),
        "kernel/time/tick-sched.c@2.6.32.67:669", "6.19 calls it tick_nohz_handler "
            + "(kernel/time/tick-sched.c@6.19:306)");
    add("tick_nohz_handler", on(ALL, "6.19"), "kernel/time/tick-sched.c@6.19:306",
        "earlier generations call it tick_sched_timer (kernel/time/tick-sched.c@2.6.32.67:669)");
    add("tick_sched_handle", on(ALL, "4.16.13", "6.19"), "kernel/time/tick-sched.c@6.19:275",
        "2.6.32's tick_sched_timer calls update_process_times itself (@2.6.32.67:710)");
    add("__hrtimer_run_queues", on(ALL, "4.16.13", "6.19"),
        "kernel/time/hrtimer.c@4.16.13:1379", "2.6.32's hrtimer_interrupt runs the expired timers "
            + "itself (kernel/hrtimer.c@2.6.32.67:1249-1309)");
    // the expression language's kernel helpers, as name(): the macros and inlines they stand for
    add("end_of_stack()", on(ALL, "2.6.32", "4.16.13", "6.19"),
        "include/linux/sched.h@2.6.32.67:2284; include/linux/sched/task_stack.h@4.16.13:50",
        "2.4 and 2.6.11 have no end_of_stack() and no end-of-stack magic: on 2.4 the stack ends at "
            + "the task_struct it shares the task_union with");
    add("task_thread_info()", on(ALL, "2.6.32", "4.16.13", "6.19"),
        "include/linux/sched.h@2.6.32.67:2275, @4.16.13:1491",
        "2.6.11 writes task->thread_info; current_thread_info() works");
    add("find_task_by_vpid()", on(ALL, "2.6.32", "4.16.13", "6.19"),
        "include/linux/sched.h@2.6.32.67:2017, @4.16.13:1505, @6.19:1939",
        "2.4 and 2.6.11 look a pid up with find_task_by_pid(PID) "
            + "(include/linux/sched.h@2.4.22:552, @2.6.11:826)");
    add("find_task_by_pid()", on(X86, "2.4.22", "2.6.11"),
        "include/linux/sched.h@2.4.22:552 (a walk of the pidhash chain), @2.6.11:826 "
            + "(find_task_by_pid_type(PIDTYPE_PID, nr))",
        "later generations write find_task_by_vpid(PID) (include/linux/sched.h@2.6.32.67:2017)");
    add("task_stack_page()", on(ALL, "2.6.32", "4.16.13", "6.19"),
        "include/linux/sched.h@2.6.32.67:2276; include/linux/sched/task_stack.h@4.16.13:19,33, "
            + "@6.19:21,39",
        "2.6.11 writes (void *)T->thread_info, the thread_info at the base of the stack "
            + "(include/linux/sched.h@2.6.11:530); 2.4 uses the task pointer itself, (unsigned long)T: "
            + "the task_struct is the base of its 8 KiB task_union (include/linux/sched.h@2.4.22:"
            + "518-521; copy_thread adds THREAD_SIZE to it, arch/i386/kernel/process.c@2.4.22:588)");
    add("task_pt_regs()", join(on(X86, "2.6.11", "2.6.32", "4.16.13", "6.19"),
            on(new String[] {"arm64"}, "4.16.13", "6.19")),
        "include/asm-i386/processor.h@2.6.11:518-523; arch/x86/include/asm/processor.h@2.6.32.67:"
            + "959,1002, @4.16.13:831, @6.19:648; arch/arm64/include/asm/processor.h@4.16.13:197, "
            + "@6.19:383",
        "2.4's copy_thread writes ((struct pt_regs *)(THREAD_SIZE + (unsigned long)T)) - 1 "
            + "(arch/i386/kernel/process.c@2.4.22:588)");
    add("task_top_of_stack()", on(X86, "4.16.13", "6.19"),
        "arch/x86/include/asm/processor.h@4.16.13:829, @6.19:646",
        "task_pt_regs(T) + 1 is the same address");
    add("per_cpu()", join(on(X86, "2.6.11", "2.6.32", "4.16.13", "6.19"),
            on(new String[] {"arm64"}, "4.16.13", "6.19")),
        "include/asm-generic/percpu.h@2.6.11:15,32, @2.6.32.67:52,66; "
            + "include/linux/percpu-defs.h@4.16.13:271, @6.19:273",
        "2.4 has no per-CPU section: per-CPU data are NR_CPUS arrays indexed by the CPU, such as "
            + "aligned_data[cpu] (kernel/sched.c@2.4.22:107-110)");
    add("per_cpu_ptr()", join(on(X86, "2.6.32", "4.16.13", "6.19"),
            on(new String[] {"arm64"}, "4.16.13", "6.19")),
        "include/linux/percpu.h@2.6.32.67:130,147,164; include/linux/percpu-defs.h@4.16.13:235,"
            + "265, @6.19:237,261",
        "2.6.11's per_cpu_ptr takes only alloc_percpu pointers (include/linux/percpu.h@2.6.11:"
            + "30-34): write &per_cpu(NAME, CPU) there; 2.4 has no per-CPU section");
    add("this_cpu_read()", on(ALL, "4.16.13", "6.19"),
        "include/linux/percpu-defs.h@4.16.13:509, @6.19:499", "per_cpu(NAME, CPU) works");
    add("this_cpu_ptr()", on(ALL, "4.16.13", "6.19"),
        "include/linux/percpu-defs.h@4.16.13:248-267, @6.19:250-269", "per_cpu_ptr(&NAME, CPU) works");
    add("struct x86_hw_tss", on(X86, "2.6.32", "4.16.13", "6.19"),
        "arch/x86/include/asm/processor.h@2.6.32.67:198,230, @4.16.13:263,310, @6.19:261,308",
        "2.4 and 2.6.11 keep the hardware fields in struct tss_struct itself "
            + "(include/asm-i386/processor.h@2.6.11:375)");
    add("struct kthread_create_info", on(ALL, "2.6.11", "2.6.32", "4.16.13", "6.19"),
        "kernel/kthread.c@2.6.11:23, @2.6.32.67:23, @4.16.13:29, @6.19:41",
        "2.4 has no kernel/kthread.c: drivers start threads with kernel_thread and daemonize");
  }

  /** The table, in order, for documentation and tests. */
  public static List<Name> names() {
    return List.copyOf(NAMES.values());
  }

  /**
   * Why profile p has no such name ({@code struct X} for a struct), or empty when it has it or the
   * name is not generation-sensitive. Names the simulator uses only for its own placement
   * (ENTRY_STACK_SIZE, VMALLOC_ALLOC_START, the init_filename buffer) are no Linux names at all.
   */
  public static Optional<String> whyMissing(Profile p, String name) {
    if (name.equals("ENTRY_STACK_SIZE") || name.equals("VMALLOC_ALLOC_START")
        || name.equals("init_filename")) {
      return Optional.of("it is the simulator's own placement, not a Linux name");
    }
    Name n = NAMES.get(name);
    if (n == null || n.has().contains(p.arch() + " " + p.version())) {
      return Optional.empty();
    }
    String instead = n.instead() == null ? "" : "; " + n.instead();
    boolean archHasIt = n.has().stream().anyMatch(h -> h.startsWith(p.arch() + " "));
    if (!archHasIt) {
      return Optional.of(p.arch() + " has no " + name + " in any generation modelled here ("
          + n.citation() + ")" + instead);
    }
    int mine = ORDER.indexOf(p.version());
    boolean later = n.has().stream().filter(h -> h.startsWith(p.arch() + " "))
        .anyMatch(h -> ORDER.indexOf(h.substring(h.indexOf(' ') + 1)) > mine);
    return Optional.of((later ? "it appeared after Linux " + p.version()
        : "Linux " + p.version() + " no longer has it") + " (" + n.citation() + ")" + instead);
  }

  private static void add(String name, Set<String> has, String citation, String instead) {
    NAMES.put(name, new Name(name, has, citation, instead));
  }

  private static Set<String> on(String[] arches, String... versions) {
    java.util.Set<String> s = new java.util.TreeSet<>();
    for (String a : arches) {
      for (String v : versions) {
        if (!(a.equals("arm64") && ORDER.indexOf(v) < ORDER.indexOf("4.16.13"))) {
          s.add(a + " " + v);
        }
      }
    }
    return s;
  }

  @SafeVarargs
  private static Set<String> join(Set<String>... sets) {
    java.util.Set<String> s = new java.util.TreeSet<>();
    for (Set<String> x : sets) {
      s.addAll(x);
    }
    return s;
  }
}
