package kstack.arch.arm64;

import java.util.ArrayList;
import java.util.List;
import kstack.exec.Args;
import kstack.exec.Local;
import kstack.kernel.PerCpuVar;
import kstack.image.Linker;
import kstack.kernel.Kernel;
import kstack.layout.Types;

/**
 * arm64 boot (head.S, smp.c, irq.c, traps.c) as every generation has it: the per-CPU variables
 * (__entry_task, irq_stack_ptr, overflow_stack), trap_init, init_IRQ's IRQ stacks, __cpu_up and
 * the secondary CPU's way in. The generation's head.S path to start_kernel is its {@link BootPath}.
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

  static void powerOn(Kernel k, int cpu, BootPath boot) {
    var c = k.cpu(cpu);
    c.set(Regs.pstate, Arm64.PSR_MODE_EL1H | 0x3c0);
    c.set(Regs.ttbr0_el1, kstack.kernel.PageTableRoot.ofInitMm(k));
    c.set(Regs.pc, cpu == 0 ? k.image.symbol(boot.entrySymbol()) : 0);
  }

  static void build(Kernel k, BootPath boot) {
    boot.buildPrimary(k);
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
    buildSmp(k, boot);
  }

  private static void buildSmp(Kernel k, BootPath boot) {
    k.image.add(k.image.c("__cpu_up", "arch/arm64/kernel/smp.c").params(L.cpu, L.idle)
        .step(boot.cpuUpText(), x -> {
          long sd = k.image.symbol("secondary_data");
          long idle = x.get(L.idle);
          x.write(sd, k.stacks.stack(idle) + k.threadSize);
          x.write(sd + 8, idle);
          var ap = k.cpu((int) x.get(L.cpu));
          ap.set(Regs.pc, k.image.symbol("secondary_entry"));
        })
        .label("wait")
        .branchIf("wait", "wait_for_completion_timeout(&cpu_running): the AP is booting",
            x -> (x.read(k.image.symbol("__cpu_online_mask")) & (1L << x.get(L.cpu))) == 0)
        .ret("return 0", x -> 0).build());
    k.image.add(k.image.asm("secondary_entry", HEAD)
        .step("__cpu_setup; __enable_mmu; ldr x8, =__secondary_switched; br x8",
            k.image.jump("__secondary_switched")).build());
    var s = k.image.asm("__secondary_switched", HEAD)
        .step("msr vbar_el1 = vectors", x -> x.set(Regs.vbar_el1, k.image.symbol("vectors")));
    boot.secondarySwitched(k, s);
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
