package kstack.lang.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The kernel's helpers answer as the machine's own implementation of them. */
class HelpersTest extends BootedTest {
  @Test
  void currentIsTheSelectedCpusTask() {
    assertThat(eval("current")).isEqualTo(m.current());
    assertThat(eval("current()")).isEqualTo(m.current());
    assertThat(eval("get_current()")).isEqualTo(m.current());
    assertThat(Expressions.eval("current", m).type().name()).isEqualTo("struct task_struct *");
  }

  @Test
  void findTaskByVpidGivesTheTask() {
    assertThat(eval("find_task_by_vpid(1)")).isEqualTo(m.inspector().findTaskByVpid(1));
    assertThat(eval("find_task_by_vpid(1)->pid")).isEqualTo(1);
    assertThat(Booted.print(m, "find_task_by_vpid(2)->comm")).isEqualTo("\"kthreadd\"");
  }

  @Test
  void findTaskByVpidOfAMissingPidIsNullAsInTheKernel() {
    assertThat(Booted.print(m, "find_task_by_vpid(99) == 0")).isEqualTo("1");
    assertThatThrownBy(() -> Expressions.eval("find_task_by_vpid(99)->pid", m))
        .isInstanceOf(ExprError.class).hasMessageContaining("cannot access memory at address 0x");
  }

  @Test
  void stackHelpersAgreeWithTheMachine() {
    long t = m.inspector().findTaskByVpid(1);
    assertThat(eval("task_stack_page(find_task_by_vpid(1))")).isEqualTo(m.kernel().stacks.taskStackPage(t));
    assertThat(eval("task_pt_regs(find_task_by_vpid(1))")).isEqualTo(m.inspector().taskPtRegs(t));
    assertThat(eval("task_top_of_stack(find_task_by_vpid(1))")).isEqualTo(m.inspector().taskTopOfStack(t));
    assertThat(eval("end_of_stack(find_task_by_vpid(1))")).isEqualTo(m.kernel().stacks.endOfStack(t));
    assertThat(Expressions.eval("task_pt_regs(current)", m).type().name())
        .isEqualTo("struct pt_regs *");
  }

  @Test
  void ptRegsSitAtTheTopOfTheStackPage() {
    assertThat(eval("task_pt_regs(find_task_by_vpid(1)) == task_stack_page(find_task_by_vpid(1))"
        + " + THREAD_SIZE - 168")).isEqualTo(1);
    assertThat(eval("(struct pt_regs *)task_top_of_stack(current) - 1 == task_pt_regs(current)"))
        .isEqualTo(1);
  }

  @Test
  void endOfStackHoldsTheMagic() {
    assertThat(eval("*end_of_stack(find_task_by_vpid(1)) == STACK_END_MAGIC")).isEqualTo(1);
  }

  @Test
  void initTaskRunsOnInitStack() {
    assertThat(eval("init_task.stack == &init_stack")).isEqualTo(1);
  }

  @Test
  void threadInfoIsTheStartOfTheTask() {
    assertThat(eval("current_thread_info() == task_thread_info(current)")).isEqualTo(1);
    assertThat(eval("(unsigned long)current_thread_info() == (unsigned long)current")).isEqualTo(1);
    assertThat(Expressions.eval("current_thread_info()", m).type().name())
        .isEqualTo("struct thread_info *");
  }

  @Test
  void taskHelpersRejectNullAndOtherStructs() {
    assertThatThrownBy(() -> Expressions.eval("task_pt_regs(0)", m))
        .isInstanceOf(ExprError.class).hasMessageContaining("NULL");
    assertThatThrownBy(() -> Expressions.eval("task_stack_page(&init_mm)", m))
        .isInstanceOf(ExprError.class).hasMessageContaining("struct task_struct *")
        .satisfies(e -> assertThat(((ExprError) e).column()).isEqualTo(17));
  }

  @Test
  void callingKernelFunctionsOrUnknownHelpersIsAnError() {
    assertThatThrownBy(() -> Expressions.eval("schedule()", m))
        .isInstanceOf(ExprError.class).hasMessageContaining("do not run kernel code");
    assertThatThrownBy(() -> Expressions.eval("nope(1)", m))
        .isInstanceOf(ExprError.class).hasMessageContaining("no helper");
    assertThatThrownBy(() -> Expressions.eval("task_pt_regs()", m))
        .isInstanceOf(ExprError.class).hasMessageContaining("takes 1 argument");
  }
}
