package kstack.contract;

import static org.assertj.core.api.Assertions.assertThat;

import kstack.machine.Machine;

/** How the kernel finds {@code current} while a task runs in the kernel, per generation. */
enum Current {
  /** 2.4 i386: the task_struct is the base of the stack, esp & ~(THREAD_SIZE-1). */
  ESP_MASK_IS_TASK {
    @Override
    void check(Machine m, long task) {
      assertThat(m.cpu(0).get("esp") & -m.kernel().threadSize).as("esp & ~8191").isEqualTo(task);
    }
  },
  /** 2.6.11 i386: current_thread_info()->task, thread_info at esp & ~(THREAD_SIZE-1). */
  ESP_MASK_THREAD_INFO_TASK {
    @Override
    void check(Machine m, long task) {
      long ti = m.cpu(0).get("esp") & -m.kernel().threadSize;
      assertThat(m.kernel().readPtr(ti)).as("(esp & ~8191)->task").isEqualTo(task);
    }
  },
  /** x86 from 2.6.2x: the per-CPU variable current_task. */
  PERCPU_CURRENT_TASK {
    @Override
    void check(Machine m, long task) {
      assertThat(m.kernel().readPtr(m.inspector().perCpuAddress("current_task", 0))).isEqualTo(task);
    }
  },
  /** arm64: SP_EL0 holds current while in the kernel (asm/current.h). */
  SP_EL0 {
    @Override
    void check(Machine m, long task) {
      assertThat(m.cpu(0).get("sp_el0")).as("SP_EL0 holds current in the kernel").isEqualTo(task);
    }
  };

  abstract void check(Machine m, long task);
}
