package kstack.lang.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import kstack.machine.Machine;
import kstack.profile.Profile;
import kstack.catalog.Profiles;
import org.junit.jupiter.api.Test;

/**
 * Which generation-sensitive names each profile resolves, pinned against the sources read for it
 * (the snapshots of /work/shared/linux-facts.md section 0). A name a generation lacks must not
 * resolve there, and says where it does live; a name it has must resolve.
 */
class GenerationNamesTest {
  private static final Set<String> ALL = Set.of("x86_64 2.6", "x86_64 4.16", "x86_64 6.x",
      "i386 2.4", "i386 2.6.11", "i386 2.6", "i386 4.16", "i386 6.x", "arm64 4.16", "arm64 6.x");
  private static final Set<String> X86_4_6 = Set.of("x86_64 4.16", "x86_64 6.x", "i386 4.16",
      "i386 6.x");
  private static final Set<String> ALL_4 = Set.of("x86_64 4.16", "i386 4.16", "arm64 4.16");
  private static final Set<String> ALL_6 = Set.of("x86_64 6.x", "i386 6.x", "arm64 6.x");
  private static final Set<String> ALL_4_6 = union(ALL_4, ALL_6);
  private static final Set<String> X86_26_ON = union(X86_4_6, Set.of("x86_64 2.6", "i386 2.6"));

  /** Expression, the profiles that have its name, and where the source defines it. */
  private record Row(String expr, Set<String> has, String citation) {}

  private static final List<Row> TABLE = List.of(
      // INIT_TASK_DATA names start and end only from 4.x; 2.6.32's is the bare section
      new Row("&__start_init_task", ALL_4, "include/asm-generic/vmlinux.lds.h@4.16.13:277-285; "
          + "@2.6.32.67:190-192 has no labels"),
      new Row("&__end_init_task", ALL_4, "include/asm-generic/vmlinux.lds.h@4.16.13:277-285"),
      new Row("&__start_init_stack", ALL_6, "include/asm-generic/vmlinux.lds.h@6.19:425-432"),
      new Row("&__end_init_stack", ALL_6, "include/asm-generic/vmlinux.lds.h@6.19:425-432"),
      new Row("&__top_init_kernel_stack", Set.of("x86_64 6.x", "i386 6.x"),
          "arch/x86/kernel/vmlinux.lds.S@6.19:180 (arm64's script has none)"),
      new Row("&init_thread_union", minus(ALL, "i386 2.4"),
          "arch/i386/kernel/init_task.c@2.6.11:28; include/asm-generic/vmlinux.lds.h@4.16.13:280"),
      new Row("&init_task_union", Set.of("i386 2.4"), "arch/i386/kernel/init_task.c@2.4.22:21-23"),
      new Row("TOP_OF_INIT_STACK", X86_4_6,
          "arch/x86/include/asm/processor.h@4.16.13:826-827, @6.19:643"),
      new Row("TOP_OF_KERNEL_STACK_PADDING", X86_4_6,
          "arch/x86/include/asm/thread_info.h@4.16.13:38-43, @6.19:40-48"),
      new Row("SIZEOF_PTREGS", Set.of("x86_64 4.16", "i386 4.16"),
          "arch/x86/entry/calling.h@4.16.13:98; arch/x86/kernel/head_32.S@4.16.13:47"),
      new Row("PTREGS_SIZE", X86_4_6, "arch/x86/kernel/asm-offsets.c@4.16.13:96, @6.19:104"),
      new Row("S_FRAME_SIZE", Set.of("arm64 4.16"), "arch/arm64/kernel/asm-offsets.c@4.16.13:81"),
      new Row("PT_REGS_SIZE", Set.of("arm64 6.x"), "arch/arm64/kernel/asm-offsets.c@6.19:81"),
      new Row("THREAD_ALIGN", ALL_4_6, "include/linux/thread_info.h@4.16.13:43, @6.19:90; "
          + "arch/arm64/include/asm/memory.h@4.16.13:120-122, @6.19:138"),
      new Row("IRQ_STACK_SIZE", Set.of("x86_64 2.6", "x86_64 4.16", "x86_64 6.x", "i386 6.x",
          "arm64 4.16", "arm64 6.x"), "arch/x86/include/asm/page_64_types.h@2.6.32.67:15, "
          + "@4.16.13:26, @6.19:22; page_32_types.h@6.19:25; arm64 memory.h@4.16.13:125, @6.19:140"),
      new Row("CPU_ENTRY_AREA_PER_CPU", X86_4_6,
          "arch/x86/include/asm/cpu_entry_area.h@4.16.13:67; pgtable_areas.h@6.19:10"),
      new Row("__START_KERNEL", Set.of("x86_64 2.6", "x86_64 4.16", "x86_64 6.x", "i386 4.16",
          "i386 6.x"), "arch/x86/include/asm/page_64_types.h@2.6.32.67:38; "
          + "page_types.h@4.16.13:46, @6.19:34"),
      new Row("TASK_SIZE_MAX", union(X86_26_ON, Set.of("arm64 6.x")),
          "arch/x86/include/asm/processor.h@2.6.32.67:913,972, @4.16.13:845,878; "
          + "arch/arm64/include/asm/processor.h@6.19:57 (4.16 has only TASK_SIZE_64)"),
      new Row("STACK_END_MAGIC", minus(ALL, "i386 2.4", "i386 2.6.11"),
          "include/linux/magic.h@2.6.32.67:57; include/uapi/linux/magic.h@4.16.13:65"),
      new Row("KERNEL_STACK_OFFSET", Set.of("x86_64 2.6"),
          "arch/x86/include/asm/thread_info.h@2.6.32.67:203"),
      new Row("&current_task", X86_26_ON, "arch/x86/kernel/cpu/common.c@2.6.32.67:995"),
      new Row("&kthreadd", minus(ALL, "i386 2.4", "i386 2.6.11"),
          "kernel/kthread.c@2.6.32.67:191, @4.16.13:539, @6.19:815"),
      new Row("&kthread_create_list", minus(ALL, "i386 2.4", "i386 2.6.11"),
          "kernel/kthread.c@2.6.32.67:20, @4.16.13:26, @6.19:35"),
      new Row("sizeof(struct kthread_create_info)", minus(ALL, "i386 2.4"),
          "kernel/kthread.c@2.6.11:23, @2.6.32.67:23, @4.16.13:29, @6.19:41; 2.4.22 has no kthread.c"),
      new Row("&__cpu_online_mask", ALL_4_6, "kernel/cpu.c@4.16.13:1980, @6.19:3103; 2.6.32 has "
          + "cpu_online_bits, 2.x cpu_online_map"),
      new Row("&this_cpu_off", X86_26_ON,
          "arch/x86/kernel/setup_percpu.c@2.6.32.67:37, @4.16.13:35, @6.19:29"),
      new Row("&_sdata", minus(ALL, "i386 2.4", "i386 2.6.11"),
          "arch/x86/kernel/vmlinux.lds.S@2.6.32.67:98; arch/arm64/kernel/vmlinux.lds.S@4.16.13:191"),
      new Row("MODULES_VADDR", minus(ALL, "i386 2.4", "i386 2.6.11"),
          "arch/x86/include/asm/pgtable_32_types.h@2.6.32.67:49; arm64 memory.h@4.16.13:72"),
      new Row("&init_filename", Set.of(), "not a Linux name: run_init_process's parameter"),
      new Row("end_of_stack(&init_task)", minus(ALL, "i386 2.4", "i386 2.6.11"),
          "include/linux/sched.h@2.6.32.67:2284; include/linux/sched/task_stack.h@4.16.13:50"),
      new Row("task_thread_info(&init_task)", minus(ALL, "i386 2.4", "i386 2.6.11"),
          "include/linux/sched.h@2.6.32.67:2275, @4.16.13:1491"),
      new Row("find_task_by_vpid(0)", minus(ALL, "i386 2.4", "i386 2.6.11"),
          "include/linux/sched.h@2.6.32.67:2017, @4.16.13:1505, @6.19:1939"),
      new Row("find_task_by_pid(0)", Set.of("i386 2.4", "i386 2.6.11"),
          "include/linux/sched.h@2.4.22:552, @2.6.11:826"),
      new Row("task_stack_page(&init_task)", minus(ALL, "i386 2.4", "i386 2.6.11"),
          "include/linux/sched.h@2.6.32.67:2276; include/linux/sched/task_stack.h@4.16.13:19"),
      new Row("task_pt_regs(&init_task)", minus(ALL, "i386 2.4"),
          "include/asm-i386/processor.h@2.6.11:518-523; 2.4.22 has none"),
      new Row("task_top_of_stack(&init_task)", X86_4_6,
          "arch/x86/include/asm/processor.h@4.16.13:829, @6.19:646"),
      new Row("this_cpu_read(cpu_number)", ALL_4_6, "include/linux/percpu-defs.h@4.16.13:509"),
      new Row("per_cpu(cpu_number, 0)", union(X86_26_ON, Set.of("arm64 4.16", "arm64 6.x")),
          "arch/x86/kernel/setup_percpu.c@2.6.32.67:28; arch/arm64/kernel/smp.c@4.16.13:66"),
      new Row("&tick_sched_timer", minus(union(X86_26_ON, Set.of("arm64 4.16")), "x86_64 6.x",
          "i386 6.x"), "kernel/time/tick-sched.c@2.6.32.67:669 (2.4 and 2.6.11 have no hrtimers)"),
      new Row("&tick_nohz_handler", ALL_6, "kernel/time/tick-sched.c@6.19:306"),
      new Row("&tick_sched_handle", ALL_4_6, "kernel/time/tick-sched.c@6.19:275"),
      new Row("&__hrtimer_run_queues", ALL_4_6, "kernel/time/hrtimer.c@4.16.13:1379"),
      new Row("sizeof(struct x86_hw_tss)", X86_26_ON,
          "arch/x86/include/asm/processor.h@2.6.32.67:198,230; 2.6.11 has only tss_struct"),
      new Row("ENTRY_STACK_SIZE", Set.of(), "not a Linux name: the simulator's own"),
      new Row("VMALLOC_ALLOC_START", Set.of(), "not a Linux name: the simulator's own"));

  /** Each profile's machine with its "ARCH KERNEL" key; returns what check reported wrong. */
  private static List<String> onEveryProfile(
      java.util.function.BiConsumer<String, Machine> check, List<String> wrong) {
    for (Profile p : Profiles.all()) {
      check.accept(p.arch() + " " + p.kernel(), Machine.create(p, 1));
    }
    return wrong;
  }

  @Test
  void eachProfileResolvesExactlyTheGenerationSensitiveNamesItsSourceDefines() {
    List<String> wrong = new ArrayList<>();
    assertThat(onEveryProfile((key, m) -> {
      for (Row r : TABLE) {
        boolean has = r.has().contains(key);
        try {
          Expressions.eval(r.expr(), m);
          if (!has) {
            wrong.add(key + ": " + r.expr() + " resolves, but only " + r.has() + " have it ("
                + r.citation() + ")");
          }
        } catch (ExprError e) {
          if (has) {
            wrong.add(key + ": " + r.expr() + " fails (" + e.getMessage() + "), yet " + r.citation());
          } else if (!e.getMessage().contains("in this profile: ")) {
            wrong.add(key + ": " + r.expr() + " is refused without saying why: " + e.getMessage());
          }
        }
      }
    }, wrong)).isEmpty();
  }

  /**
   * per_cpu() exists from 2.6 (include/asm-generic/percpu.h@2.6.11:15,32; 2.4.22 keeps NR_CPUS
   * arrays); per_cpu_ptr() takes a static variable's address from 2.6.32
   * (include/linux/percpu.h@2.6.32.67:130), 2.6.11's only alloc_percpu pointers (@2.6.11:30-34).
   * The macro itself is refused where the generation lacks it, whatever the variable.
   */
  @Test
  void perCpuMacrosAreRefusedOnTheGenerationsThatLackThem() {
    List<String> wrong = new ArrayList<>();
    assertThat(onEveryProfile((key, m) -> {
      String[][] calls = {{"per_cpu(no_such_var, 0)", "i386 2.4"},
          {"per_cpu_ptr(&no_such_var, 0)", "i386 2.4 i386 2.6.11"}};
      for (String[] c : calls) {
        String name = c[0].substring(0, c[0].indexOf('(') + 1) + "): not in this profile";
        String msg = "";
        try {
          Expressions.eval(c[0], m);
        } catch (ExprError e) {
          msg = e.getMessage();
        }
        boolean lacks = (c[1] + " ").contains(key + " ");
        if (msg.contains(name) != lacks) {
          wrong.add(key + ": " + c[0] + " -> " + msg);
        }
      }
    }, wrong)).isEmpty();
  }

  @Test
  void topOfInitStackIsTheTopOfInitStackLessThePadding() {
    for (Profile p : List.of(Profiles.x86_64_4_16(), Profiles.i386_4_16(), Profiles.i386_6_19())) {
      Machine m = Machine.create(p, 1);
      assertThat(Booted.eval(m, "TOP_OF_INIT_STACK == (unsigned long)&init_stack + "
          + "sizeof(init_stack) - TOP_OF_KERNEL_STACK_PADDING")).as(p.label()).isEqualTo(1);
      assertThat(Booted.eval(m, "TOP_OF_INIT_STACK - (unsigned long)&init_stack"))
          .isEqualTo(Booted.eval(m, "THREAD_SIZE") - (p.arch().equals("i386") ? 8 : 0));
    }
  }

  @Test
  void aNameFromALaterGenerationSaysWhereItAppeared() {
    Machine m = Machine.create(Profiles.x86_64_2_6_32(), 1);
    assertThatThrownBy(() -> Expressions.eval("&__end_init_task", m))
        .hasMessageStartingWith("no symbol \"__end_init_task\" in this profile: it appeared after "
            + "Linux 2.6.32 (include/asm-generic/vmlinux.lds.h@4.16.13:277-285");
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    java.util.Set<String> s = new java.util.TreeSet<>(a);
    s.addAll(b);
    return s;
  }

  private static Set<String> minus(Set<String> a, String... drop) {
    java.util.Set<String> s = new java.util.TreeSet<>(a);
    s.removeAll(List.of(drop));
    return s;
  }
}
