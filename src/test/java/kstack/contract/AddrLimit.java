package kstack.contract;

import static org.assertj.core.api.Assertions.assertThat;

import kstack.kernel.TaskMember;
import kstack.kernel.ThreadInfoMember;
import kstack.machine.Machine;

/** Where set_fs() keeps a task's address limit: USER_DS after exec, KERNEL_DS in kernel threads. */
enum AddrLimit {
  /** 2.4: task_struct.addr_limit. */
  TASK {
    @Override
    long read(Machine m, long task) {
      return m.kernel().tasks.taskRead(task, TaskMember.addr_limit);
    }
  },
  /** 2.6 to 4.x on i386 and arm64 4.16, x86_64 2.6.32: thread_info.addr_limit. */
  THREAD_INFO {
    @Override
    long read(Machine m, long task) {
      return m.kernel().tasks.tiRead(task, ThreadInfoMember.addr_limit);
    }
  },
  /**
   * x86 at 4.16 keeps it in thread_struct (processor.h@4.16.13); this model does not hold that
   * member, so there is nothing to check.
   */
  THREAD_STRUCT_UNMODELLED,
  /** 6.x: set_fs() is gone (5.10 on x86, 5.11 on arm64). */
  NONE;

  /** The address limit, or -1 where the generation or the model has none. */
  long read(Machine m, long task) {
    return -1;
  }
}
