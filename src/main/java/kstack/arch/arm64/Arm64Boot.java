package kstack.arch.arm64;

import java.util.ArrayList;
import java.util.List;
import kstack.exec.Args;
import kstack.exec.Local;
import kstack.kernel.PerCpuVar;
import kstack.image.Linker;
import kstack.kernel.Kernel;
import kstack.layout.Types;
import kstack.profile.Feature;
import kstack.trace.Event;

/**
 * arm64 boot (head.S, smp.c, irq.c, traps.c): 4.16 enters start_kernel by a branch with SP at the
 * very top of init_stack and FP = LR = 0; 6.19's init_cpu_task leaves a pt_regs gap and a FINAL
 * frame record and calls start_kernel. Per-CPU: __entry_task, irq_stack_ptr, overflow_stack.
 */
final class Arm64Boot {
  enum L implements Local { cpu, idle }

  private Arm64Boot() {}

  static final String HEAD = "arch/arm64/kernel/head.S";

  static List<PerCpuVar> perCpuVars(Kernel k) {
    Types t = k.t;
    List<PerCpuVar> v = new ArrayList<>();
    v.add(new PerCpuVar("__entry_task", t.ptrTo("task_struct"), 8,
        "process.c: the task kernel_entry 0 loads into SP_EL0"));
    v.add(new PerCpuVar("irq_stack_ptr", t.voidp, 8, "irq.c: the base (low end) of the IRQ stack"));
    v.add(new PerCpuVar("cpu_number", t.s32, 4, "smp.c"));
    if (k.profile.config("VMAP_STACK")) {
      v.add(new PerCpuVar("overflow_stack", t.array(t.ulong, 512), 16,
          "traps.c: 4 KiB, for kernel_ventry's overflow path"));
    } else {
      // 4.16 without VMAP_STACK: the IRQ stacks are static, cache-line aligned per-CPU arrays
      // (irq.c@4.16.13:65-77; L1_CACHE_BYTES 128, cache.h@4.16.13:32)
      v.add(new PerCpuVar("irq_stack", t.array(t.ulong, (int) (k.threadSize / 8)), 128,
          "irq.c: IRQ_STACK_SIZE (= THREAD_SIZE) bytes, the IRQ stack without VMAP_STACK"));
    }
    return v;
  }

  /** struct secondary_data { stack; task; } as __cpu_up fills it for the AP. */
  static void linkData(Kernel k, Linker l) {
    l.object("secondary_data", k.t.array(k.t.ulong, 2), 8);
  }

  static void initPerCpu(Kernel k, int cpu) {
    k.mem.write(k.perCpu("cpu_number", cpu), 4, cpu);
  }

  static void powerOn(Kernel k, int cpu) {
    var c = k.cpu(cpu);
    c.set("pstate", Arm64.PSR_MODE_EL1H | 0x3c0);
    c.set("ttbr0_el1", kstack.kernel.PageTableRoot.ofInitMm(k));
    boolean v6 = k.profile.has(Feature.ARM64_ENTRY_COMMON);
    c.set("pc", cpu == 0 ? k.image.symbol(v6 ? "primary_entry" : "stext") : 0);
  }

  static void build(Kernel k) {
    boolean v6 = k.profile.has(Feature.ARM64_ENTRY_COMMON);
    if (v6) {
      k.image.add(k.image.asm("primary_entry", HEAD)
          .step("record_mmu_state; preserve_boot_args; SP = early_init_stack; x29 = 0 (early C "
              + "code runs there: not modelled)", x -> x.setFp(0))
          .step("b __primary_switch", x -> x.jumpTo(k.image.symbol("__primary_switch"))).build());
      k.image.add(k.image.asm("__primary_switch", HEAD)
          .step("__enable_mmu; __pi_early_map_kernel (not modelled); ldr x8, =__primary_switched; "
              + "br x8", x -> x.jumpTo(k.image.symbol("__primary_switched"))).build());
      k.image.add(k.image.asm("__primary_switched", HEAD)
          .step("adr_l x4, init_task; init_cpu_task x4: msr sp_el0, x4; sp = init_task.stack + "
              + "THREAD_SIZE - PT_REGS_SIZE; stackframe = {0, 0, FINAL}; x29 = &stackframe; "
              + "TPIDR_EL1 = this CPU's per-CPU offset", x -> initCpuTask(k, x, k.image.symbol("init_task")))
          .step("msr vbar_el1 = vectors", x -> x.set("vbar_el1", k.image.symbol("vectors")))
          .call("bl start_kernel", "start_kernel", Args.inPlace())
          .step("ASM_BUG()", x -> { }).build());
    } else {
      k.image.add(k.image.asm("stext", HEAD)
          .step("preserve_boot_args; __create_page_tables; __cpu_setup (not modelled)", x -> { })
          .step("b __primary_switch", x -> x.jumpTo(k.image.symbol("__primary_switch"))).build());
      k.image.add(k.image.asm("__primary_switch", HEAD)
          .step("__enable_mmu; ldr x8, =__primary_switched; br x8",
              x -> x.jumpTo(k.image.symbol("__primary_switched"))).build());
      k.image.add(k.image.asm("__primary_switched", HEAD)
          .step("adrp x4, init_thread_union; add sp, x4, #THREAD_SIZE: SP = the top of init_stack "
              + "(no pt_regs gap)", x -> {
                x.setSp(k.image.symbol("init_thread_union") + k.threadSize);
                k.timeline.emit(new Event.BootStack(x.cpu().id(), "__primary_switched", "sp",
                    "init_thread_union + THREAD_SIZE", x.sp()));
              })
          .step("adr_l x5, init_task; msr sp_el0, x5: current = init_task", x -> {
            x.set("sp_el0", k.image.symbol("init_task"));
            x.set("tpidr_el1", k.perCpuOffset(x.cpu().id()));
          })
          .step("msr vbar_el1 = vectors", x -> x.set("vbar_el1", k.image.symbol("vectors")))
          .step("stp xzr, x30, [sp, #-16]!; mov x29, sp; clear BSS, kaslr_early_init (not "
              + "modelled); add sp, sp, #16", x -> { })
          .step("mov x29, #0; mov x30, #0; b start_kernel", x -> {
            x.setFp(0);
            x.set("x30", 0);
            x.jumpTo(k.image.symbol("start_kernel"));
          }).build());
    }
    k.image.add(k.image.c("trap_init", "arch/arm64/kernel/traps.c").params()
        .step("register_kernel_break_hook(...) (no stack effect)", x -> { })
        .retVoid().build());
    k.image.add(k.image.c("init_IRQ", "arch/arm64/kernel/irq.c").params()
        .step(k.profile.config("VMAP_STACK")
            ? "init_irq_stacks(): for_each_possible_cpu: per_cpu(irq_stack_ptr, cpu) = "
                + "arch_alloc_vmap_stack(IRQ_STACK_SIZE, node) (THREAD_ALIGN-aligned, guard page)"
            : "init_irq_stacks(): for_each_possible_cpu: per_cpu(irq_stack_ptr, cpu) = "
                + "per_cpu(irq_stack, cpu) (the static array; no guard page)", x -> {
              for (int c = 0; c < k.cpus; c++) {
                long s = k.profile.config("VMAP_STACK")
                    ? k.pages.vmalloc(k.threadSize, k.image.constant("THREAD_ALIGN"), "IRQ stack of CPU " + c)
                    : k.perCpu("irq_stack", c);
                k.mem.write64(k.perCpu("irq_stack_ptr", c), s);
              }
            })
        .step("irqchip_init(): handle_arch_irq = gic_handle_irq", x -> { })
        .retVoid().build());
    buildSmp(k, v6);
  }

  /** init_cpu_task (head.S@6.19:195-213). */
  private static void initCpuTask(Kernel k, kstack.exec.Exec x, long task) {
    x.set("sp_el0", task);
    long sp = k.stacks.stack(task) + k.threadSize - 320;
    x.setSp(sp);
    int sf = Arm64Entry.stackframe(k);
    x.write(sp + sf, 0);
    x.write(sp + sf + 8, 0);
    x.write(sp + sf + 16, 1);
    x.setFp(sp + sf);
    x.set("tpidr_el1", k.perCpuOffset(x.cpu().id()));
    k.timeline.emit(new Event.InitCpuTask(x.cpu().id(), k.tasks.pid(task), sp, sp + sf));
  }

  private static void buildSmp(Kernel k, boolean v6) {
    k.image.add(k.image.c("__cpu_up", "arch/arm64/kernel/smp.c").params(L.cpu, L.idle)
        .step(v6 ? "secondary_data.task = idle; boot_secondary(cpu, idle): PSCI CPU_ON at "
                + "secondary_entry" : "secondary_data.task = idle; secondary_data.stack = "
                + "task_stack_page(idle) + THREAD_SIZE; boot_secondary(): PSCI CPU_ON", x -> {
                  long sd = k.image.symbol("secondary_data");
                  long idle = x.get(L.idle);
                  x.write(sd, k.stacks.stack(idle) + k.threadSize);
                  x.write(sd + 8, idle);
                  var ap = k.cpu((int) x.get(L.cpu));
                  ap.set("pc", k.image.symbol("secondary_entry"));
                })
        .label("wait")
        .branchIf("wait", "wait_for_completion_timeout(&cpu_running): the AP is booting",
            x -> (x.read(k.image.symbol("__cpu_online_mask")) & (1L << x.get(L.cpu))) == 0)
        .ret("return 0", x -> 0).build());
    k.image.add(k.image.asm("secondary_entry", HEAD)
        .step("__cpu_setup; __enable_mmu; ldr x8, =__secondary_switched; br x8",
            x -> x.jumpTo(k.image.symbol("__secondary_switched"))).build());
    var s = k.image.asm("__secondary_switched", HEAD)
        .step("msr vbar_el1 = vectors", x -> x.set("vbar_el1", k.image.symbol("vectors")));
    if (v6) {
      s.step("ldr x2, [secondary_data + CPU_BOOT_TASK]; init_cpu_task x2",
          x -> initCpuTask(k, x, x.read(k.image.symbol("secondary_data") + 8)))
          .call("bl secondary_start_kernel", "secondary_start_kernel", Args.inPlace());
    } else {
      s.step("ldr x1, [secondary_data + CPU_BOOT_STACK]; mov sp, x1; ldr x2, [... CPU_BOOT_TASK]; "
          + "msr sp_el0, x2; mov x29, #0; mov x30, #0", x -> {
            long sd = k.image.symbol("secondary_data");
            x.setSp(x.read(sd));
            x.set("sp_el0", x.read(sd + 8));
            x.set("tpidr_el1", k.perCpuOffset(x.cpu().id()));
            x.setFp(0);
            x.set("x30", 0);
          })
          .step("b secondary_start_kernel", x -> x.jumpTo(k.image.symbol("secondary_start_kernel")));
    }
    k.image.add(s.build());
    k.image.add(k.image.c("secondary_start_kernel", "arch/arm64/kernel/smp.c").params()
        .step("cpu_uninstall_idmap(); cpuinfo_store_cpu(); set_cpu_online(cpu, true); "
            + "complete(&cpu_running); local_daif_restore(DAIF_PROCCTX)", x -> {
              long mask = k.image.symbol("__cpu_online_mask");
              x.write(mask, x.read(mask) | (1L << x.cpu().id()));
              k.arch.irqEnable(x);
            })
        .call("cpu_startup_entry(CPUHP_AP_ONLINE_IDLE)", "cpu_startup_entry", Args.of(x -> 0))
        .retVoid().build());
  }
}
