package kstack.contract;

import static org.assertj.core.api.Assertions.assertThat;

import kstack.kernel.Kernel;
import kstack.kernel.ThreadInfoMember;
import kstack.machine.Machine;
import kstack.stack.TaskInfo;

/** What marks the far (lowest) end of a task's kernel stack, per generation. */
enum StackEnd {
  /** 2.4: no magic; task_struct itself sits at the base of the union it shares with the stack. */
  TASK_STRUCT_AT_BASE {
    @Override
    void check(Machine m, TaskInfo t) {
      assertThat(t.stack()).as("pid %d", t.pid()).isEqualTo(t.task());
    }
  },
  /** 2.6.11: no magic; thread_info at the base points back at its task. */
  THREAD_INFO_BACKLINK {
    @Override
    void check(Machine m, TaskInfo t) {
      assertThat(m.kernel().tasks.tiRead(t.task(), ThreadInfoMember.task)).as("pid %d", t.pid()).isEqualTo(t.task());
    }
  },
  /**
   * 2.6.32: STACK_END_MAGIC just above thread_info, written by dup_task_struct only
   * (fork.c@2.6.32.67:254), so never in init_task's stack.
   */
  MAGIC_EXCEPT_INIT {
    @Override
    void check(Machine m, TaskInfo t) {
      assertThat(m.kernel().readPtr(m.kernel().stacks.endOfStack(t.task()))).as("pid %d", t.pid())
          .isEqualTo(t.pid() == 0 ? 0 : Kernel.STACK_END_MAGIC);
    }
  },
  /** 3.18 on: every stack, init_task's too (set_task_stack_end_magic in start_kernel). */
  MAGIC {
    @Override
    void check(Machine m, TaskInfo t) {
      assertThat(m.kernel().readPtr(m.kernel().stacks.endOfStack(t.task()))).as("pid %d", t.pid())
          .isEqualTo(Kernel.STACK_END_MAGIC);
    }
  };

  abstract void check(Machine m, TaskInfo t);
}
